"""Days defined by Hijri date, expanded into Gregorian dates: pure, no database."""

from datetime import date

import pytest

from sla.hijri_rules import HijriDays, dates_of, expand_hijri_rule, in_hijri_year

EID_AL_FITR = HijriDays(month=10, first_day=1, last_day=3)
EID_AL_ADHA = HijriDays(month=12, first_day=10, last_day=13)
RAMADAN = HijriDays(month=9)


@pytest.mark.parametrize(
    ("days", "years", "spans"),
    [
        # 1-3 Shawwal 1447 follows a 30-day Ramadan; 1448 a 29-day one.
        (
            EID_AL_FITR,
            [2026, 2027],
            [
                (date(2026, 3, 20), date(2026, 3, 22)),
                (date(2027, 3, 9), date(2027, 3, 11)),
            ],
        ),
        (
            EID_AL_ADHA,
            [2026, 2027],
            [
                (date(2026, 5, 27), date(2026, 5, 30)),
                (date(2027, 5, 16), date(2027, 5, 19)),
            ],
        ),
        # Ramadan 1447 has 30 days, Ramadan 1448 has 29.
        (
            RAMADAN,
            [2026, 2027],
            [
                (date(2026, 2, 18), date(2026, 3, 19)),
                (date(2027, 2, 8), date(2027, 3, 8)),
            ],
        ),
        # Rajab 1447 runs from December 2025 into January 2026: kept whole,
        # in each year it touches, once.
        (
            HijriDays(month=7),
            [2026],
            [
                (date(2025, 12, 21), date(2026, 1, 19)),
                (date(2026, 12, 10), date(2027, 1, 8)),
            ],
        ),
        (
            HijriDays(month=7),
            [2025, 2026],
            [
                (date(2025, 1, 1), date(2025, 1, 30)),
                (date(2025, 12, 21), date(2026, 1, 19)),
                (date(2026, 12, 10), date(2027, 1, 8)),
            ],
        ),
    ],
)
def test_hijri_days_become_the_gregorian_dates_of_each_year(days, years, spans):
    assert expand_hijri_rule(days, years) == spans


def test_day_30_is_the_months_last_day_in_a_29_day_month():
    up_to_30 = HijriDays(month=9, first_day=25, last_day=30)

    # Ramadan 1448 has 29 days: the span ends on 29 Ramadan, before Eid.
    assert in_hijri_year(up_to_30, 1448) == (date(2027, 3, 4), date(2027, 3, 8))
    assert in_hijri_year(up_to_30, 1447) == (date(2026, 3, 14), date(2026, 3, 19))


def test_day_30_alone_is_skipped_in_a_29_day_month():
    day_30 = HijriDays(month=9, first_day=30, last_day=30)

    assert in_hijri_year(day_30, 1448) is None
    assert expand_hijri_rule(day_30, [2026, 2027]) == [
        (date(2026, 3, 19), date(2026, 3, 19))
    ]


def test_years_outside_the_converters_range_give_no_dates_and_no_error():
    assert in_hijri_year(EID_AL_FITR, 1501) is None
    assert in_hijri_year(EID_AL_FITR, 1342) is None
    assert expand_hijri_rule(EID_AL_FITR, [1900, 2150]) == []
    # 2077 is the last Gregorian year it covers: its Eid is still found.
    assert expand_hijri_rule(EID_AL_FITR, [2077, 2078]) == [
        (date(2077, 8, 19), date(2077, 8, 21))
    ]


def test_expanded_dates_are_plain_dates():
    (first, last), *_ = expand_hijri_rule(EID_AL_FITR, [2026])

    assert type(first) is date and type(last) is date
    assert dates_of([(first, last)]) == [
        date(2026, 3, 20),
        date(2026, 3, 21),
        date(2026, 3, 22),
    ]


@pytest.mark.parametrize(
    ("month", "first", "last"),
    [(0, 1, 3), (13, 1, 3), (10, 0, 3), (10, 3, 1), (10, 1, 31)],
)
def test_impossible_hijri_days_are_refused(month, first, last):
    with pytest.raises(ValueError):
        HijriDays(month=month, first_day=first, last_day=last)
