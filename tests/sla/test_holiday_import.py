"""Public holidays from the holidays package into business calendars."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from sla.holiday_import import import_public_holidays, public_holidays
from sla.models import BusinessCalendar, Holiday

pytestmark = pytest.mark.django_db


@pytest.fixture
def cairo():
    return BusinessCalendar.objects.create(
        name="Cairo branch", timezone="Africa/Cairo", country="EG"
    )


@pytest.mark.parametrize("country", ["SA", "EG", "AE", "JO", "GB"])
def test_each_regional_country_has_named_holidays(country):
    found = public_holidays(country, [2026])

    assert len(found) >= 5
    assert all(name for name, _ in found.values())


def test_gulf_holidays_come_with_arabic_names():
    found = public_holidays("SA", [2026])

    assert found[date(2026, 9, 23)] == ("National Day Holiday", "اليوم الوطني")


def test_an_unknown_country_is_refused_clearly():
    with pytest.raises(
        ValueError, match="No public holidays are known for country .XX."
    ):
        public_holidays("XX", [2026])


def test_importing_keeps_hand_entered_holidays_and_is_repeatable(cairo):
    Holiday.objects.create(calendar=cairo, date=date(2026, 1, 7), name="Our own")

    first = import_public_holidays(cairo, [2026, 2027])
    again = import_public_holidays(cairo, [2026, 2027])

    assert first.kept == 1 and first.added > 10
    assert (again.added, again.updated) == (0, 0)
    assert Holiday.objects.get(calendar=cairo, date=date(2026, 1, 7)).name == "Our own"
    assert cairo.holidays.filter(date__year=2027, is_imported=True).exists()


def test_the_command_imports_a_range_of_years(cairo, capsys):
    call_command("import_holidays", "Cairo branch", "2026-2028")

    assert "added" in capsys.readouterr().out
    years = {h.date.year for h in cairo.holidays.all()}
    assert years == {2026, 2027, 2028}


def test_the_command_imports_another_countrys_holidays(cairo):
    call_command("import_holidays", "Cairo branch", "2026", "--country", "GB")

    assert cairo.holidays.filter(name="Good Friday").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Nowhere", "2026"], "No calendar named 'Nowhere'"),
        (["Cairo branch", "soon"], "'soon' is not a year"),
        (["Cairo branch", "2026-2999"], "not a sensible range"),
        (["Cairo branch", "2026", "--country", "XX"], "No public holidays"),
    ],
)
def test_the_command_explains_bad_input(cairo, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_holidays", *args)


def test_the_admin_action_imports_holidays(client, admin_user, cairo):
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:sla_businesscalendar_changelist"),
        {"action": "import_holidays", "_selected_action": [cairo.pk]},
        follow=True,
    )

    assert "holidays added" in response.content.decode()
    assert cairo.holidays.filter(is_imported=True).exists()


def test_the_admin_action_asks_for_a_country(client, admin_user):
    nowhere = BusinessCalendar.objects.create(name="No country")
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:sla_businesscalendar_changelist"),
        {"action": "import_holidays", "_selected_action": [nowhere.pk]},
        follow=True,
    )

    assert "has no country" in response.content.decode()
