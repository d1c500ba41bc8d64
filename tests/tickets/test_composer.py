"""The ticket page's composer: below the correspondence, sent by htmx with
the page's changed parts coming back in place, and the same forms still
posting and redirecting without JavaScript."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tickets import services

from ..factories import CustomerFactory, make_ticket

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
SWAPPED = re.compile(r'id="([\w-]+)"[^>]*hx-swap-oob="true"')


@pytest.fixture
def ticket(alice, queue):
    return make_ticket(alice, queue, subject="Invoice is wrong")


def post(client, ticket, action, data, seen=None, seen_message=None, **extra):
    url = reverse(f"tickets:{action}", args=[ticket.number])
    if seen is None:
        seen = services.last_seen_event(ticket)
    if seen_message is None:
        seen_message = services.newest_message(ticket)
    page = {"seen": seen, "seen_message": seen_message}
    return client.post(url, {**page, **data}, **extra)


def properties(ticket, **changes):
    return {
        "status": ticket.status,
        "priority": str(ticket.priority),
        "queue": ticket.queue_id,
        "assignee": ticket.assignee_id or "",
        "kind": ticket.kind,
        "category": ticket.category_id or "",
        **changes,
    }


def swapped(response):
    return SWAPPED.findall(response.text)


def test_the_composer_sits_below_the_correspondence(agent_client, ticket):
    page = agent_client.get(ticket.get_absolute_url()).text

    assert page.index('id="timeline"') < page.index('id="composer"')
    assert page.index('id="composer"') < page.index('id="history"')
    assert "crispy" not in page  # plain Bootstrap markup of our own
    for mode in ("reply", "note", "log", "upload", "memo"):
        assert f'data-testid="mode-{mode}"' in page
    assert 'data-testid="letter-tab"' in page
    # Each form's own ids: a label points at its own field, htmx finds its
    # "seen" to refresh.
    for form in ("reply", "note", "log", "upload"):
        assert f'id="{form}-seen"' in page
    assert 'for="note-body_text"' in page
    assert "js/composer.js" in page


def test_a_reply_sent_by_htmx_returns_the_changed_parts_of_the_page(
    agent_client, ticket
):
    response = post(
        agent_client,
        ticket,
        "reply",
        {"body_text": "Here is the fix.", "channel": "email", "then": "pending"},
        **HTMX,
    )

    assert response.status_code == 200
    assert set(swapped(response)) >= {
        "messages",
        "ticket-badges",
        "timeline",
        "composer",
        "history",
        "ticket-clocks",
        "ticket-properties",
    }
    assert "Reply recorded." in response.text
    assert "Here is the fix." in response.text  # in the timeline
    badges = response.text[response.text.index('id="ticket-badges"') :]
    assert badges[: badges.index("</div>")].count(">Pending<") == 1
    # The composer comes back empty, on the reply, and knows the new history.
    assert re.search(
        r'<textarea name="body_text"[^>]*id="reply-body"[^>]*>\n</', response.text
    )
    seen = services.last_seen_event(ticket)
    assert f'name="seen" value="{seen}"' in response.text
    ticket.refresh_from_db()
    assert ticket.status == "pending"


def test_without_htmx_the_same_reply_redirects_as_before(agent_client, ticket):
    response = post(
        agent_client, ticket, "reply", {"body_text": "Fixed.", "channel": "email"}
    )

    assert response.status_code == 302
    assert response["Location"] == ticket.get_absolute_url()


def test_a_note_sent_by_htmx_keeps_the_note_tab_open(agent_client, ticket):
    response = post(agent_client, ticket, "note", {"body_text": "Ask finance"}, **HTMX)

    assert response.status_code == 200
    assert re.search(
        r'class="nav-link active"[^>]*data-bs-target="#tab-note"', response.text
    )
    assert ticket.messages.get(direction="internal").body_text == "Ask finance"


def test_a_refused_reply_comes_back_with_its_text_and_the_reason(agent_client, queue):
    ticket = make_ticket(CustomerFactory(name="Huda", email=""), queue, channel="phone")

    response = post(
        agent_client,
        ticket,
        "reply",
        {"body_text": "Please call us back.", "channel": "email"},
        **HTMX,
    )

    assert response.status_code == 400
    assert "composer" in swapped(response)
    assert "Please call us back." in response.text
    assert "is-invalid" in response.text
    assert 'aria-describedby="reply-channel_error"' in response.text
    assert not ticket.messages.filter(direction="outbound").exists()


def test_an_empty_log_contact_says_what_is_missing(agent_client, ticket):
    response = post(
        agent_client,
        ticket,
        "log_contact",
        {"channel": "phone", "direction": "inbound", "body_text": "", "duration": "7"},
        **HTMX,
    )

    assert response.status_code == 400
    assert 'id="log-body_text_error"' in response.text
    assert re.search(
        r'class="nav-link active"[^>]*data-bs-target="#tab-log"', response.text
    )
    assert 'value="7"' in response.text  # the minutes typed are kept


def test_a_reply_after_the_customer_wrote_meanwhile_is_held_back_with_its_text(
    agent_client, ticket
):
    loaded = services.newest_message(ticket)
    services.add_message(
        ticket, direction="inbound", channel="email", body_text="Any news?"
    )

    response = post(
        agent_client,
        ticket,
        "reply",
        {"body_text": "My careful answer", "channel": "email"},
        seen_message=loaded,
        **HTMX,
    )

    assert response.status_code == 409
    assert {"conflict", "composer"} <= set(swapped(response))
    assert "moved on since you opened this ticket" in response.text
    assert "Any news?" in response.text
    assert "My careful answer" in response.text
    assert not ticket.messages.filter(direction="outbound").exists()


def test_a_change_of_fields_meanwhile_comes_back_with_the_changes(
    agent_client, supervisor, ticket
):
    loaded = services.last_seen_event(ticket)
    services.change_priority(ticket, priority=4, by=supervisor)

    response = post(
        agent_client,
        ticket,
        "properties",
        properties(ticket, priority="1"),
        seen=loaded,
        **HTMX,
    )

    assert response.status_code == 409
    assert "conflict" in swapped(response)
    assert "changed while you were working on it" in response.text
    ticket.refresh_from_db()
    assert ticket.priority == 4


def test_changing_properties_by_htmx_leaves_what_is_typed_alone(agent_client, ticket):
    response = post(
        agent_client, ticket, "properties", properties(ticket, priority="4"), **HTMX
    )

    assert response.status_code == 200
    assert "composer" not in swapped(response)
    seen = services.last_seen_event(ticket)
    for form in ("reply", "note", "log", "upload"):
        assert (
            f'<input type="hidden" name="seen" value="{seen}" id="{form}-seen"'
            f' hx-swap-oob="true">'
        ) in response.text
    assert {"ticket-badges", "ticket-properties", "history"} <= set(swapped(response))
    ticket.refresh_from_db()
    assert ticket.priority == 4


def test_moving_the_ticket_out_of_sight_sends_the_browser_to_the_queues(
    agent_client, ticket, other_queue
):
    response = post(
        agent_client,
        ticket,
        "properties",
        properties(ticket, queue=other_queue.pk),
        **HTMX,
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("tickets:list")


def test_the_htmx_answer_costs_a_fixed_number_of_queries(
    agent_client, agent, ticket, django_assert_num_queries
):
    with CaptureQueriesContext(connection) as few:
        post(agent_client, ticket, "note", {"body_text": "First"}, **HTMX)
    for n in range(5):
        services.reply_to_ticket(ticket, body_text=f"Reply {n}", by=agent)
        services.add_note(ticket, body_text=f"Note {n}", by=agent)

    with django_assert_num_queries(len(few)):
        response = post(agent_client, ticket, "note", {"body_text": "Again"}, **HTMX)

    assert "Reply 4" in response.text
    assert ticket.messages.count() == 13


def test_a_refusal_by_htmx_costs_no_more_queries_than_the_page_and_the_action(
    agent_client, ticket
):
    with CaptureQueriesContext(connection) as page:
        agent_client.get(ticket.get_absolute_url())

    with CaptureQueriesContext(connection) as refusal:
        response = post(agent_client, ticket, "note", {"body_text": ""}, **HTMX)

    assert response.status_code == 400
    # The page's own queries, and the one read of the ticket the action needs
    # before it knows the form is refused.
    assert len(refusal) <= len(page) + 1
