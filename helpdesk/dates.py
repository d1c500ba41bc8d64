"""Dates as the page's language writes them, fast enough for long lists.

`date_format` builds a formatter, looks the format up and translates the
month's name for every value: about 80 µs, a tenth of a queue row. Lists call
`local_datetime` instead, which reads the format once per language and keeps
the month names, and writes the same text (a test compares the two)."""

from collections.abc import Callable
from datetime import datetime, tzinfo
from functools import lru_cache

from django.utils import timezone
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.formats import date_format, get_format
from django.utils.translation import get_language

# The format characters written here; any other falls back to date_format.
_FIELDS: dict[str, Callable[[datetime, tuple, tuple], str]] = {
    "j": lambda d, long, short: str(d.day),
    "d": lambda d, long, short: f"{d.day:02d}",
    "n": lambda d, long, short: str(d.month),
    "m": lambda d, long, short: f"{d.month:02d}",
    "F": lambda d, long, short: long[d.month],
    "M": lambda d, long, short: short[d.month],
    "Y": lambda d, long, short: f"{d.year:04d}",
    "G": lambda d, long, short: str(d.hour),
    "H": lambda d, long, short: f"{d.hour:02d}",
    "i": lambda d, long, short: f"{d.minute:02d}",
    "s": lambda d, long, short: f"{d.second:02d}",
}


@lru_cache(maxsize=32)
def _formatter(language: str, format_name: str):
    """The parts of the format (text or field), with this language's month
    names; None when the format uses a character not written here."""
    spec = get_format(format_name)
    parts, escaped = [], False
    for char in spec:
        if escaped:
            parts.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in _FIELDS:
            parts.append(_FIELDS[char])
        elif char.isalpha():
            return None
        else:
            parts.append(char)
    long = ("",) + tuple(str(MONTHS[m]) for m in range(1, 13))
    short = ("",) + tuple(str(MONTHS_3[m]).title() for m in range(1, 13))
    return parts, long, short


def local_datetime(
    value: datetime,
    format_name: str = "SHORT_DATETIME_FORMAT",
    *,
    zone: tzinfo | None = None,
    language: str | None = None,
):
    """`value` in the current time zone, written in the named format of the
    current language: what `date_format(localtime(value), format_name)` says.

    A list passes the page's `zone` and `language`, read once: looking them
    up is a few microseconds each, a hundred times a page."""
    local = value.astimezone(zone) if zone else timezone.localtime(value)
    formatter = _formatter(language or get_language(), format_name)
    if formatter is None:
        return date_format(local, format_name)
    parts, long, short = formatter
    return "".join(
        part if isinstance(part, str) else part(local, long, short) for part in parts
    )
