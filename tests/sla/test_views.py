"""SLA on screen: clocks on the ticket page, badges in lists, the settings page."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from helpdesk.channels import Channel
from sla.sweep import run_sweep
from tickets import services

from ..factories import make_ticket

pytestmark = pytest.mark.django_db
RIYADH = ZoneInfo("Asia/Riyadh")
T0 = datetime(2026, 11, 30, 9, tzinfo=RIYADH)  # Monday


def at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def complaint(policies, bob, queue, agent):
    """A complaint on office hours: first response within 8 working hours."""
    with at(T0):
        ticket = make_ticket(bob, queue, kind="complaint", subject="Rude clerk")
        services.assign_ticket(ticket, agent=agent, by=agent)
    return ticket


def clock_row(page: str, target: str) -> str:
    start = page.index(f'data-clock="{target}"')
    return page[start : page.index("</div>", start)]


def test_the_ticket_page_shows_each_clock_with_its_state_and_time_left(
    complaint, agent_client
):
    with at(T0 + timedelta(hours=2)):
        page = agent_client.get(complaint.get_absolute_url()).text

    first = clock_row(page, "first_response")
    assert 'data-state="on_track"' in first
    assert "On track" in first
    assert "6 hours of business time left" in first
    assert "30 Nov 2026, 17:00" not in first  # 8 working hours end Tuesday 09:00
    assert "1 Dec 2026, 09:00" in first


def test_a_breached_clock_says_so_in_words_and_colour(complaint, agent_client):
    with at(T0 + timedelta(days=1, hours=3)):  # Tuesday 12:00
        page = agent_client.get(complaint.get_absolute_url()).text

    first = clock_row(page, "first_response")
    assert 'data-state="breached"' in first and "text-bg-danger" in first
    assert "3 hours of business time over" in first


def test_a_met_and_a_paused_clock_on_the_ticket_page(complaint, agent, agent_client):
    with at(T0 + timedelta(hours=1)):
        services.reply_to_ticket(complaint, body_text="We are sorry", by=agent)
        services.change_status(complaint, status="pending", by=agent)
        page = agent_client.get(complaint.get_absolute_url()).text

    assert "Met" in clock_row(page, "first_response")
    resolution = clock_row(page, "resolution")
    assert 'data-state="paused"' in resolution
    assert "Paused while waiting on the customer; 39 hours left." in resolution


def test_the_ledger_explains_the_policy_and_the_calendar(complaint, agent_client):
    with at(T0 + timedelta(hours=9)):
        run_sweep(T0 + timedelta(days=1, hours=1))
        page = agent_client.get(complaint.get_absolute_url()).text

    ledger = page[page.index('data-testid="sla-ledger"') :]
    assert "Policy chosen: T complaints" in ledger
    assert "ticket kind is Complaint, one of Complaint" in ledger
    assert "skipped T VIP complaints: service tier is Standard" in ledger
    assert "2026-12-03 is a holiday: Test Day" in ledger
    assert "First response breached" in ledger
    # The ledger is not repeated in the history.
    history = page[page.index('id="history-heading"') : page.index("sla-ledger")]
    assert "SLA" not in history


def test_the_ledger_in_arabic(complaint, agent_client):
    agent_client.cookies["django_language"] = "ar"

    page = agent_client.get(
        complaint.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ar"
    ).text

    with translation.override("ar"):
        assert translation.gettext("Why is it due then?") in page
        assert (
            translation.gettext("On track") in page
            or translation.gettext("Breached") in page
        )


def test_the_ticket_page_query_count_does_not_grow_with_the_ledger(
    complaint, agent, agent_client, django_assert_num_queries
):
    def queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            agent_client.get(complaint.get_absolute_url())
        return len(captured)

    before = queries()
    for n in range(4):
        services.add_message(complaint, direction="inbound", body_text=f"More {n}")
        services.reply_to_ticket(complaint, body_text=f"Answer {n}", by=agent)
    run_sweep(T0 + timedelta(days=30))

    assert queries() == before


def test_the_ticket_list_shows_the_most_urgent_clock(complaint, agent_client):
    with at(T0 + timedelta(days=1, hours=3)):
        page = agent_client.get("/agent/").text

    assert 'data-sla-state="breached"' in page


def test_a_ticket_without_targets_shows_a_dash_in_the_list(
    policies, bob, queue, agent_client
):
    policies["written"].is_active = False
    policies["written"].save()
    make_ticket(bob, queue, channel=Channel.EMAIL)

    page = agent_client.get("/agent/").text

    assert "data-sla-state" not in page


def test_supervisors_read_every_policy_in_plain_words(policies, supervisor_client):
    page = supervisor_client.get("/supervisor/sla/").text

    assert "Applies to tickets that are a Complaint." in page
    assert "First response within 8 hours of working time." in page
    assert "Time is counted round the clock, every hour of every day." in page
    assert "Sunday to Thursday 08:00–16:00, Asia/Riyadh time" in page
    assert "Warns the assignee at 50%, 75% of each target" in page
    assert f"/supervisor/sla/policies/{policies['complaints'].pk}/" in page


def test_supervisors_see_the_calendars_hijri_holidays_with_their_next_dates(
    policies, supervisor_client
):
    calendar = policies["complaints"].calendar
    calendar.hijri_rules.create(
        name="Eid al-Fitr", name_ar="عيد الفطر", month=10, first_day=1, last_day=3
    )

    with at(T0):
        english = supervisor_client.get("/supervisor/sla/").text
        with translation.override("ar"):
            arabic = supervisor_client.get(
                "/supervisor/sla/", headers={"accept-language": "ar"}
            ).text

    assert "Eid al-Fitr: 1–3 Shawwal (Holiday (closed)) — next on" in english
    assert '<time datetime="2027-03-09">' in english
    assert "عيد الفطر: 1–3 شوال" in arabic


@pytest.mark.parametrize("who", ["agent_client", "alice_client"])
def test_agents_and_customers_cannot_open_the_sla_settings(policies, who, request):
    client = request.getfixturevalue(who)

    assert client.get("/supervisor/sla/").status_code == 403


def test_supervisors_may_edit_policies_in_the_admin(policies, supervisor_client):
    policy = policies["complaints"]

    response = supervisor_client.get(f"/admin/sla/slapolicy/{policy.pk}/change/")

    assert response.status_code == 200


def test_due_times_show_in_the_viewers_time_zone(complaint, agent_client):
    agent_client.cookies["tz"] = "Europe/London"

    with at(T0 + timedelta(hours=2)):
        page = agent_client.get(complaint.get_absolute_url()).text

    # Tuesday 09:00 in Riyadh is 06:00 in London.
    assert "1 Dec 2026, 06:00" in clock_row(page, "first_response")


def test_an_unknown_time_zone_falls_back_to_the_departments(complaint, agent_client):
    agent_client.cookies["tz"] = "Mars/Olympus"

    with at(T0 + timedelta(hours=2)):
        page = agent_client.get(complaint.get_absolute_url()).text

    assert "1 Dec 2026, 09:00" in clock_row(page, "first_response")


def test_a_ticket_waiting_on_the_customer_shows_paused_in_the_list(
    complaint, agent, agent_client
):
    with at(T0 + timedelta(hours=1)):
        services.reply_to_ticket(complaint, body_text="Which branch?", by=agent)
        services.change_status(complaint, status="pending", by=agent)
        page = agent_client.get("/agent/?view=pending").text

    assert 'data-sla-state="paused"' in page


def test_the_policies_page_reads_a_fixed_number_of_queries(
    policies, supervisor_client, django_assert_num_queries
):
    from sla.models import BusinessCalendar

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            supervisor_client.get("/supervisor/sla/")
        return len(captured)

    before = queries()
    for n in range(3):
        BusinessCalendar.objects.create(name=f"Branch {n}", country="EG")

    with django_assert_num_queries(before):
        response = supervisor_client.get("/supervisor/sla/")

    assert "Branch 2" in response.text


def test_calendars_are_named_in_the_readers_language(policies, supervisor_client):
    calendar = policies["complaints"].calendar
    calendar.name_ar = "المكتب الرئيسي"
    calendar.save()

    with at(T0):
        english = supervisor_client.get("/supervisor/sla/").text
        arabic = supervisor_client.get(
            "/supervisor/sla/", headers={"accept-language": "ar"}
        ).text

    assert f'<h3 class="h5">{calendar.name}' in english
    assert '<h3 class="h5">المكتب الرئيسي' in arabic
    assert f'<h3 class="h5">{calendar.name}' not in arabic
