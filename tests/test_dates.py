"""Dates in lists: the quick writer says what Django's date_format says."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from helpdesk.dates import local_datetime


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("format_name", ["SHORT_DATETIME_FORMAT", "DATE_FORMAT"])
def test_every_month_and_hour_as_date_format_writes_it(language, format_name):
    riyadh = zoneinfo.ZoneInfo("Asia/Riyadh")
    moments = [
        dt.datetime(2026, month, day, hour, minute, tzinfo=dt.UTC)
        for month in range(1, 13)
        for day, hour, minute in ((1, 0, 5), (28, 21, 59))
    ]
    with translation.override(language), timezone.override(riyadh):
        for moment in moments:
            expected = date_format(timezone.localtime(moment), format_name)
            assert local_datetime(moment, format_name) == expected


def test_in_the_readers_language_and_time_zone():
    moment = dt.datetime(2026, 12, 7, 21, 5, tzinfo=dt.UTC)

    with timezone.override(zoneinfo.ZoneInfo("Asia/Riyadh")):
        with translation.override("en"):
            assert local_datetime(moment) == "8 Dec 2026, 00:05"
        with translation.override("ar"):
            assert local_datetime(moment) == "8 ديسمبر 2026، 00:05"


def test_a_format_it_does_not_write_falls_back_to_date_format():
    moment = dt.datetime(2026, 12, 7, 9, 5, tzinfo=dt.UTC)

    with translation.override("en"), timezone.override(dt.UTC):
        assert local_datetime(moment, "Y-m-d D") == date_format(moment, "Y-m-d D")


def test_a_list_gives_its_zone_and_language_once_and_gets_the_same_text():
    moment = dt.datetime(2026, 12, 7, 21, 5, tzinfo=dt.UTC)
    riyadh = zoneinfo.ZoneInfo("Asia/Riyadh")

    # The page's zone and language, passed in, win over the active ones.
    with translation.override("en"), timezone.override(dt.UTC):
        given = local_datetime(moment, zone=riyadh, language="ar")
    with translation.override("ar"), timezone.override(riyadh):
        active = local_datetime(moment)

    assert given == active == "8 ديسمبر 2026، 00:05"
