"""Umm al-Qura dates beside Gregorian ones, in each language's month names."""

import datetime as dt

import pytest

from helpdesk.hijri import hijri_label, to_hijri


@pytest.mark.parametrize(
    ("day", "hijri"),
    [
        (dt.date(2026, 12, 7), (1448, 6, 27)),
        # The last day of Shaban and the first of Ramadan 1448.
        (dt.date(2027, 2, 7), (1448, 8, 30)),
        (dt.date(2027, 2, 8), (1448, 9, 1)),
        # The last day of Ramadan 1447 and Eid al-Fitr.
        (dt.date(2026, 3, 19), (1447, 9, 30)),
        (dt.date(2026, 3, 20), (1447, 10, 1)),
    ],
)
def test_dates_at_month_boundaries(day, hijri):
    assert to_hijri(day) == hijri


def test_arabic_and_english_month_names():
    day = dt.date(2026, 3, 20)

    assert hijri_label(day, "ar") == "1 شوال 1447هـ"
    assert hijri_label(day, "en") == "1 Shawwal 1447 AH"
    assert hijri_label(dt.datetime(2026, 12, 7, 23, 0, tzinfo=dt.UTC), "en") == (
        "27 Jumada al-Akhirah 1448 AH"
    )


def test_outside_the_calendar_nothing_is_shown():
    assert hijri_label(dt.date(1900, 1, 1), "en") == ""
    assert hijri_label(None, "en") == ""
