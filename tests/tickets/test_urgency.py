"""Urgency at a glance and honest timestamps: time left in business time in
the queue and the ticket header, and a timeline that says when each contact
happened, how a call went, and which entries are internal notes."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from sla import config as sla_config
from tickets import services

from ..factories import make_ticket

pytestmark = pytest.mark.django_db
RIYADH = ZoneInfo("Asia/Riyadh")
MONDAY = datetime(2026, 11, 30, 9, tzinfo=RIYADH)
NOW = datetime(2026, 12, 7, 10, tzinfo=RIYADH)  # Monday 7 December
LIST = reverse("tickets:list")


def at(moment):
    return time_machine.travel(moment, tick=False)


def row(page: str, number: str) -> str:
    start = page.index(f'data-number="{number}"')
    return page[start : page.index("</tr>", start)]


def header(page: str) -> str:
    return page[: page.index('data-testid="header-dates"')]


def entry(page: str, text: str) -> str:
    """The timeline entry whose body says `text`."""
    end = page.index(text)
    return page[page.rindex("<article", 0, end) : page.index("</article>", end)]


@pytest.fixture
def written(alice, queue, agent):
    """A VIP's email: answered within 24 hours, round the clock (shipped
    policy)."""
    with at(NOW - timedelta(hours=22)):
        ticket = make_ticket(alice, queue, subject="Invoice is wrong")
        services.assign_ticket(ticket, agent=agent, by=agent)
    return ticket


@pytest.fixture
def complaint(policies, bob, queue, agent):
    """A complaint on office hours (Sunday-Thursday 08:00-16:00): first
    response within 8 working hours, due Tuesday 09:00."""
    with at(MONDAY):
        ticket = make_ticket(bob, queue, kind="complaint", subject="Rude clerk")
        services.assign_ticket(ticket, agent=agent, by=agent)
    return ticket


def test_the_queue_shows_time_left_beside_the_due_time(agent_client, written):
    with at(NOW):
        english = agent_client.get(LIST, {"view": "open"}).text
        arabic = agent_client.get(
            LIST, {"view": "open"}, HTTP_ACCEPT_LANGUAGE="ar"
        ).text

    assert "7 Dec 2026, 12:00</time>" in row(english, written.number)
    assert "2 h left" in row(english, written.number)
    assert "7 ديسمبر 2026، 12:00</time>" in row(arabic, written.number)
    assert "متبقٍ ساعتان" in row(arabic, written.number)


def test_the_queue_says_how_long_overdue(agent_client, written):
    with at(NOW + timedelta(days=1, hours=6)):
        english = agent_client.get(LIST, {"view": "open"}).text
        arabic = agent_client.get(
            LIST, {"view": "open"}, HTTP_ACCEPT_LANGUAGE="ar"
        ).text

    assert "overdue by 1 day 4 h" in row(english, written.number)
    assert "متأخرة يومًا و4 ساعات" in row(arabic, written.number)


def test_time_left_counts_working_hours_only(agent_client, complaint):
    # Monday 15:00: due Tuesday 09:00 is 18 hours away on the wall clock but
    # two hours of the office's time (15:00-16:00 today, 08:00-09:00).
    with at(MONDAY + timedelta(hours=6)):
        page = agent_client.get(LIST, {"view": "open"}).text

    assert "2 h left" in row(page, complaint.number)
    assert "1 Dec 2026, 09:00" in row(page, complaint.number)


def test_the_ticket_header_shows_time_left(agent_client, complaint):
    with at(MONDAY + timedelta(hours=6)):
        english = agent_client.get(complaint.get_absolute_url()).text
        arabic = agent_client.get(
            complaint.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ar"
        ).text

    assert "2 h left" in header(english)
    assert "متبقٍ ساعتان" in header(arabic)


@pytest.fixture
def own_sla_config():
    """No policies kept in the process from another test, none left behind."""
    sla_config.forget_sla_config()
    yield
    sla_config.forget_sla_config()


def test_queue_query_count_stays_flat_on_working_calendars(
    agent_client,
    agent,
    bob,
    queue,
    policies,
    settings,
    own_sla_config,
    django_assert_num_queries,
):
    # As in production: the policies and calendars are kept in the process
    # (this test's own, not another test's).
    settings.SLA_CONFIG_CACHE_SECONDS = 30
    settings.REFERENCE_CACHE_SECONDS = 10

    def add(n):
        with at(MONDAY):
            for _ in range(n):
                ticket = make_ticket(bob, queue, kind="complaint")
                services.assign_ticket(ticket, agent=agent, by=agent)

    add(2)
    with at(MONDAY + timedelta(hours=6)):
        # Loads the calendars, queues and tiers once.
        agent_client.get(LIST, {"view": "open"})
        with django_assert_num_queries(5) as few:
            agent_client.get(LIST, {"view": "open"})
    add(6)
    with at(MONDAY + timedelta(hours=6)), django_assert_num_queries(len(few)):
        page = agent_client.get(LIST, {"view": "open"}).text

    assert page.count("2 h left") == 8


def log(client, ticket, **data):
    url = reverse("tickets:log_contact", args=[ticket.number])
    return client.post(
        url,
        {"seen": services.last_seen_event(ticket), "direction": "inbound", **data},
    )


def test_a_letter_logged_late_shows_when_it_arrived_and_when_it_was_recorded(
    agent_client, written
):
    with at(NOW):
        response = log(
            agent_client,
            written,
            channel="letter",
            body_text="Please correct the invoice.",
            received_at="2026-12-03T11:30",
        )
        assert response.status_code == 302
        log(agent_client, written, channel="phone", body_text="Called in")
        page = agent_client.get(written.get_absolute_url()).text

    letter = entry(page, "Please correct the invoice.")
    assert 'datetime="2026-12-03T11:30:00+03:00"' in letter
    assert "3 Dec 2026, 11:30" in letter
    assert "(recorded" in letter and "7 Dec 2026, 10:00" in letter
    # Entered as it happened: one time only.
    assert 'data-testid="recorded-at"' not in entry(page, "Called in")


def test_a_logged_call_shows_its_length_and_outcome(agent_client, written):
    with at(NOW):
        response = log(
            agent_client,
            written,
            channel="phone",
            body_text="Left details on voicemail",
            duration="7",
            outcome="left_message",
        )
        english = agent_client.get(written.get_absolute_url()).text
        arabic = agent_client.get(
            written.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ar"
        ).text

    assert response.status_code == 302
    call = written.messages.get(channel="phone")
    assert call.details == {"duration_minutes": 7, "outcome": "left_message"}
    assert "7 minute call" in entry(english, "Left details on voicemail")
    assert "Left a message" in entry(english, "Left details on voicemail")
    assert "مكالمة مدتها 7 دقائق" in entry(arabic, "Left details on voicemail")
    assert "تُركت رسالة صوتية" in entry(arabic, "Left details on voicemail")


def test_only_a_call_has_an_outcome(agent_client, written):
    with at(NOW):
        response = log(
            agent_client,
            written,
            channel="letter",
            body_text="A letter",
            outcome="answered",
        )

    assert response.status_code == 400
    assert "Only a call has an outcome" in response.text
    assert not written.messages.filter(channel="letter").exists()


def test_an_internal_note_is_labelled_as_one_not_with_the_tickets_channel(
    agent_client, agent, other_queue, written
):
    with at(NOW):
        services.add_note(written, body_text="Checked the ledger", by=agent)
        services.add_note(
            written, body_text="Please check", by=agent, to_queue=other_queue
        )
        page = agent_client.get(written.get_absolute_url()).text

    note = entry(page, "Checked the ledger")
    assert "Internal note" in note and "Email" not in note
    memo = entry(page, "Please check")
    assert "memo to" in memo and "Internal note" not in memo


def test_the_dashboards_due_soon_list_shows_time_left(supervisor_client, written):
    with at(NOW):
        page = supervisor_client.get(reverse("supervisor:dashboard")).text

    row = page.split(f'id="at-risk-{written.pk}"')[1].split("</tr>")[0]
    assert "2 h left" in row
