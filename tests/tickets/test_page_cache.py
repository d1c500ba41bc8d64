"""The ticket page kept rendered (tickets/page_cache.py): served again only
while nothing it shows has changed, whoever or whatever changed it."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tickets import page_cache, services
from tickets.models import Category, Ticket

from ..factories import CategoryFactory, make_ticket
from ..markers import requires_postgres
from .histories import give_long_history
from .test_ticket_page import TICKET_PAGE_QUERIES

# Committed for real, request by request as in production: a row version
# (xmin) is the writing transaction's, so writes inside one test transaction
# would all share one.
pytestmark = [
    requires_postgres("the kept page is stamped with PostgreSQL row versions"),
    pytest.mark.django_db(transaction=True),
]

RIYADH = ZoneInfo("Asia/Riyadh")
NOON = datetime(2026, 12, 6, 12, 0, tzinfo=RIYADH)
# Session, user with their groups, the ticket with its stamp.
KEPT_PAGE_QUERIES = 3


@pytest.fixture
def kept(production_caches):
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def ticket(alice, queue, kept):
    return make_ticket(alice, queue, subject="Printer on fire")


def look(client, ticket):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(ticket.get_absolute_url())
    assert response.status_code == 200
    return response, len(captured)


def test_an_unchanged_page_is_served_again_in_three_queries(agent_client, ticket):
    first, first_queries = look(agent_client, ticket)
    # The stamp's statement is prepared once per database session.
    _again, preparing = look(agent_client, ticket)
    again, queries = look(agent_client, ticket)

    assert queries == KEPT_PAGE_QUERIES < first_queries
    assert preparing in (KEPT_PAGE_QUERIES, KEPT_PAGE_QUERIES + 1)
    assert "Printer on fire" in again.text
    assert again.text.count('name="csrfmiddlewaretoken"') == first.text.count(
        'name="csrfmiddlewaretoken"'
    )


def test_a_reply_by_a_colleague_shows_at_once(agent_client, ticket, supervisor):
    look(agent_client, ticket)
    services.reply_to_ticket(
        ticket, body_text="The fire brigade is on its way", by=supervisor
    )

    page, queries = look(agent_client, ticket)

    assert "The fire brigade is on its way" in page.text
    assert queries > KEPT_PAGE_QUERIES


def test_a_change_made_in_sql_outside_the_orm_shows_at_once(agent_client, ticket):
    look(agent_client, ticket)
    # As the SLA sweep writes: one statement, no model saved, no signal.
    Ticket.objects.filter(pk=ticket.pk).update(subject="Printer no longer on fire")

    page, _ = look(agent_client, ticket)

    assert "Printer no longer on fire" in page.text


def test_the_customer_renamed_or_their_other_ticket_closed_shows_at_once(
    agent_client, ticket, alice, queue, agent
):
    other = make_ticket(alice, queue, subject="Toner low")
    look(agent_client, ticket)
    alice.name = "Alice Renamed"
    alice.save()

    renamed, _ = look(agent_client, ticket)
    services.change_status(other, status="resolved", by=agent)
    closed, _ = look(agent_client, ticket)

    assert "Alice Renamed" in renamed.text
    assert closed.text != renamed.text


def test_a_bulk_update_of_reference_data_shows_at_once(agent_client, ticket):
    category = CategoryFactory(name="Refunds")
    look(agent_client, ticket)

    # No save announces it to the reference cache: the row versions tell.
    Category.objects.filter(pk=category.pk).update(name="Repayments")
    page, _ = look(agent_client, ticket)

    assert ">Repayments<" in page.text
    assert ">Refunds<" not in page.text


def test_rendering_anew_costs_the_same_queries_however_long_the_history(
    agent_client, agent, alice, ticket, queue, other_queue, kept
):
    long = make_ticket(alice, queue, subject="Long")
    give_long_history(long, agent, other_queue)
    third = make_ticket(alice, queue, subject="Third")
    give_long_history(third, agent, other_queue)
    for page in (ticket, long):
        look(agent_client, page)
    kept.shift(timedelta(minutes=1))
    look(agent_client, third)  # the reference data, cached again

    _, short_queries = look(agent_client, ticket)
    _, long_queries = look(agent_client, long)

    assert short_queries == long_queries == TICKET_PAGE_QUERIES


def test_a_new_minute_renders_the_time_left_afresh(agent_client, ticket, kept):
    look(agent_client, ticket)
    kept.shift(timedelta(minutes=1))

    _, queries = look(agent_client, ticket)

    assert queries > KEPT_PAGE_QUERIES


def test_one_viewers_copy_is_never_served_to_another(
    agent_client, supervisor_client, ticket, client, other_agent
):
    look(agent_client, ticket)

    _, supervisor_queries = look(supervisor_client, ticket)
    client.force_login(other_agent)
    stranger = client.get(ticket.get_absolute_url())

    assert supervisor_queries > KEPT_PAGE_QUERIES
    assert stranger.status_code == 404


def test_an_agent_taken_off_the_queue_is_not_served_the_kept_copy(
    agent_client, agent, ticket, other_queue
):
    look(agent_client, ticket)
    look(agent_client, ticket)

    ticket.queue.agents.remove(agent)
    other_queue.agents.add(agent)

    assert agent_client.get(ticket.get_absolute_url()).status_code == 404


def test_a_ticket_moved_out_of_the_agents_queues_is_not_served_the_kept_copy(
    agent_client, ticket, other_queue
):
    look(agent_client, ticket)
    look(agent_client, ticket)

    Ticket.objects.filter(pk=ticket.pk).update(queue=other_queue)

    assert agent_client.get(ticket.get_absolute_url()).status_code == 404


def test_a_kept_page_carries_a_token_that_sends_the_reply(agent, ticket):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(agent)
    browser.get(ticket.get_absolute_url())
    page = browser.get(ticket.get_absolute_url())
    token = page.text.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    reply_form = page.text.split('data-testid="reply-form"')[1].split("</form>")[0]

    def hidden(name):
        return reply_form.split(f'name="{name}" value="')[1].split('"')[0]

    sent = browser.post(
        f"{ticket.get_absolute_url()}reply/",
        {
            "csrfmiddlewaretoken": token,
            "body_text": "Sent from a kept page",
            "channel": "email",
            "seen": hidden("seen"),
            "seen_message": hidden("seen_message"),
        },
    )

    assert sent.status_code == 302
    assert ticket.messages.filter(body_text="Sent from a kept page").exists()


@pytest.fixture
def two_stamped(monkeypatch):
    """The stamp reads only the customer's two newest tickets."""
    monkeypatch.setattr(page_cache, "CUSTOMER_TICKETS_STAMPED", 2)
    page_cache.stamp_sql.cache_clear()
    page_cache._stamp_by_number_sql.cache_clear()
    connection.close()  # a new session prepares the new statement
    yield
    page_cache.stamp_sql.cache_clear()
    page_cache._stamp_by_number_sql.cache_clear()
    connection.close()


def test_of_a_customers_many_tickets_the_newest_are_stamped_the_rest_within_a_minute(
    agent_client, ticket, alice, queue, agent, kept, two_stamped
):
    others = [make_ticket(alice, queue, subject=f"Other {n}") for n in range(3)]
    for hours, received in enumerate([ticket, *others]):
        Ticket.objects.filter(pk=received.pk).update(
            received_at=NOON - timedelta(hours=hours)
        )
    oldest, newest = others[-1], others[0]
    look(agent_client, ticket)

    services.change_status(oldest, status="resolved", by=agent)
    beyond, _ = look(agent_client, ticket)
    kept.shift(timedelta(minutes=1))
    next_minute, _ = look(agent_client, ticket)
    services.change_status(newest, status="resolved", by=agent)
    among, _ = look(agent_client, ticket)

    resolved = 'text-bg-success">Resolved'
    assert beyond.text.count(resolved) == 0  # beyond the two: kept a while
    assert next_minute.text.count(resolved) == 1  # within the minute
    assert among.text.count(resolved) == 2  # among the two: at once
