"""Dates written in a sentence, for telling a promise already overdue.

Pure: `today` is passed in. Handles what agents type: 5/12/2026 (day first,
as the department writes), 2026-12-05, "5 December" and "December 5" with or
without a year, "5 ديسمبر 2026", and "yesterday"/"أمس". A date with no year
that fell within the last two months is read as this year's (a reply
promising "by 1 December" on 7 December is late); older, as next year's.
"""

import re
from datetime import date, timedelta

_MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
    # Arabic, folded (ا for أ/إ/آ): Egyptian and Levantine names.
    "يناير": 1,
    "فبراير": 2,
    "مارس": 3,
    "ابريل": 4,
    "مايو": 5,
    "يونيو": 6,
    "يوليو": 7,
    "اغسطس": 8,
    "سبتمبر": 9,
    "اكتوبر": 10,
    "نوفمبر": 11,
    "ديسمبر": 12,
    "شباط": 2,
    "اذار": 3,
    "نيسان": 4,
    "ايار": 5,
    "حزيران": 6,
    "تموز": 7,
    "اب": 8,
    "ايلول": 9,
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NUMERIC = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\b")
_ISO = re.compile(r"\b(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})\b")
_DAY_MONTH = re.compile(
    r"(?<!\w)(\d{1,2})(?:st|nd|rd|th)? (?:of |من )?(" + _MONTH_NAMES + r")(?!\w)"
    r"(?:,? (\d{4}))?"
)
_MONTH_DAY = re.compile(
    r"(?<!\w)(" + _MONTH_NAMES + r") (\d{1,2})(?:st|nd|rd|th)?(?!\w)(?:,? (\d{4}))?"
)
_YESTERDAY = re.compile(r"(?<!\w)(?:yesterday|امس|البارحه|last week)(?!\w)")
# Kanun al-thani is January; kanun al-awwal December.
_KANUN = re.compile(r"(?<!\w)(\d{1,2}) كانون (الثاني|الاول)(?: (\d{4}))?")
_TISHRIN = re.compile(r"(?<!\w)(\d{1,2}) تشرين (الثاني|الاول)(?: (\d{4}))?")
LATE_WINDOW = timedelta(days=60)


def _make(year: int | None, month: int, day: int, today: date) -> date | None:
    try:
        if year is not None:
            return date(year + 2000 if year < 100 else year, month, day)
        moment = date(today.year, month, day)
    except ValueError:
        return None
    if moment < today - LATE_WINDOW:
        try:
            moment = date(today.year + 1, month, day)
        except ValueError:
            return None
    return moment


def dates_in(folded: str, today: date) -> list[date]:
    """Every calendar date named in `folded` (text already folded)."""
    found: list[date] = []
    for match in _NUMERIC.finditer(folded):
        day, month, year = (int(group) for group in match.groups())
        found.append(_make(year, month, day, today))
    for match in _ISO.finditer(folded):
        year, month, day = (int(group) for group in match.groups())
        found.append(_make(year, month, day, today))
    for match in _DAY_MONTH.finditer(folded):
        day, month, year = match.groups()
        found.append(_make(year and int(year), _MONTHS[month], int(day), today))
    for match in _MONTH_DAY.finditer(folded):
        month, day, year = match.groups()
        found.append(_make(year and int(year), _MONTHS[month], int(day), today))
    for pattern, months in ((_KANUN, (1, 12)), (_TISHRIN, (11, 10))):
        for match in pattern.finditer(folded):
            day, which, year = match.groups()
            month = months[0] if which == "الثاني" else months[1]
            found.append(_make(year and int(year), month, int(day), today))
    if _YESTERDAY.search(folded):
        found.append(today - timedelta(days=1))
    return [moment for moment in found if moment is not None]


def names_past_date(folded: str, today: date) -> bool:
    """Whether `folded` names a date before `today` (and none from today on)."""
    moments = dates_in(folded, today)
    return bool(moments) and max(moments) < today
