"""Umm al-Qura (Hijri) dates beside Gregorian ones, for registers and letters.

Pure: a Gregorian date in, a label out, in the active language's month names.
"""

import datetime as dt

from django.utils.translation import get_language
from hijridate import Gregorian

MONTHS_AR = (
    "محرم",
    "صفر",
    "ربيع الأول",
    "ربيع الآخر",
    "جمادى الأولى",
    "جمادى الآخرة",
    "رجب",
    "شعبان",
    "رمضان",
    "شوال",
    "ذو القعدة",
    "ذو الحجة",
)
MONTHS_EN = (
    "Muharram",
    "Safar",
    "Rabi' al-Awwal",
    "Rabi' al-Thani",
    "Jumada al-Ula",
    "Jumada al-Akhirah",
    "Rajab",
    "Sha'ban",
    "Ramadan",
    "Shawwal",
    "Dhu al-Qi'dah",
    "Dhu al-Hijjah",
)


def to_hijri(day: dt.date) -> tuple[int, int, int]:
    """(year, month, day) in the Umm al-Qura calendar."""
    hijri = Gregorian(day.year, day.month, day.day).to_hijri()
    return hijri.year, hijri.month, hijri.day


def hijri_label(day: dt.date | None, language: str | None = None) -> str:
    """E.g. "27 جمادى الآخرة 1448هـ" in Arabic, "27 Jumada al-Akhirah 1448 AH"
    in English; empty outside the converter's range (1343-1500 AH)."""
    if day is None:
        return ""
    if isinstance(day, dt.datetime):
        day = day.date()
    try:
        year, month, number = to_hijri(day)
    except (OverflowError, ValueError):
        return ""
    arabic = (language or get_language() or "en").startswith("ar")
    if arabic:
        return f"{number} {MONTHS_AR[month - 1]} {year}هـ"
    return f"{number} {MONTHS_EN[month - 1]} {year} AH"
