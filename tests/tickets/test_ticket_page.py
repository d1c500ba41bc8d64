"""The agent's ticket page: every action through the verbs, bad input kept,
no lost updates, permissions, and a query count that does not grow."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helpdesk.channels import Channel
from sla import config as sla_config
from tickets import services
from tickets.models import CannedResponse, Message
from tickets.permissions import AGENTS

from ..factories import CategoryFactory, CustomerFactory, make_staff, make_ticket
from ..markers import requires_postgres
from .histories import give_long_history

RIYADH = ZoneInfo("Asia/Riyadh")

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(alice, queue):
    return make_ticket(alice, queue, subject="Invoice is wrong")


def seen(ticket):
    return services.last_seen_event(ticket)


def post(client, ticket, action, data, **extra):
    url = reverse(f"tickets:{action}", args=[ticket.number])
    page = {"seen": seen(ticket), "seen_message": services.newest_message(ticket)}
    return client.post(url, page | data, **extra)


def test_a_reply_to_a_customer_with_email_is_recorded_as_email(
    agent_client, agent, ticket
):
    response = post(
        agent_client, ticket, "reply", {"body_text": "Fixed.", "channel": "email"}
    )

    assert response.status_code == 302
    reply = ticket.messages.get(direction="outbound")
    assert (reply.channel, reply.body_text, reply.author) == ("email", "Fixed.", agent)
    ticket.refresh_from_db()
    assert ticket.first_responded_at == reply.created_at
    assert ticket.status == "open"


@pytest.mark.parametrize(
    ("then", "status", "resolution_clock"),
    [("pending", "pending", "paused"), ("resolved", "resolved", "met")],
)
def test_send_and_set_pending_or_resolve_in_one_step(
    agent_client, ticket, then, status, resolution_clock
):
    response = post(
        agent_client,
        ticket,
        "reply",
        {"body_text": "Here is the fix.", "channel": "email", "then": then},
    )

    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == status
    assert ticket.messages.get(direction="outbound").body_text == "Here is the fix."
    assert ticket.clocks.get(target="resolution").status == resolution_clock
    assert ticket.clocks.get(target="first_response").status == "met"


# A resolved ticket cannot be set pending: the reply is not sent either.
@pytest.mark.parametrize("then", ["pending", "nonsense"])
def test_a_reply_the_workflow_cannot_follow_is_kept_unsent(
    agent_client, agent, ticket, then
):
    services.change_status(ticket, status="resolved", by=agent)

    response = post(
        agent_client,
        ticket,
        "reply",
        {"body_text": "One more thing.", "channel": "email", "then": then},
    )

    assert response.status_code == 400
    assert "One more thing." in response.text
    assert not ticket.messages.filter(direction="outbound").exists()
    ticket.refresh_from_db()
    assert ticket.status == "resolved"


def test_a_customer_without_email_cannot_be_replied_to_by_email(agent_client, queue):
    walk_in = CustomerFactory(name="Huda", email="")
    ticket = make_ticket(walk_in, queue, channel="walk_in")

    response = post(
        agent_client,
        ticket,
        "reply",
        {"body_text": "Please call us back.", "channel": "email"},
    )

    assert response.status_code == 400
    assert "Please call us back." in response.text  # what was typed is kept
    assert not ticket.messages.filter(direction="outbound").exists()


def test_a_reply_recorded_as_a_call_back(agent_client, queue):
    ticket = make_ticket(CustomerFactory(email=""), queue, channel="phone")

    post(agent_client, ticket, "reply", {"body_text": "Called", "channel": "phone"})

    assert ticket.messages.get(direction="outbound").channel == "phone"


def test_an_internal_note_and_a_memo_to_another_queue(
    agent_client, ticket, other_queue
):
    post(agent_client, ticket, "note", {"body_text": "Checked with finance"})
    agent_client.post(
        reverse("memos:send", args=[ticket.number]),
        {"body_text": "Please refund", "to_queue": other_queue.pk},
    )

    note, memo = ticket.messages.filter(direction="internal").order_by("id")
    assert note.body_text == "Checked with finance"
    assert note.to_queue is None
    assert memo.to_queue == other_queue


def test_logging_a_call_from_the_customer(agent_client, ticket):
    response = post(
        agent_client,
        ticket,
        "log_contact",
        {
            "channel": "phone",
            "direction": "inbound",
            "body_text": "Asked for an update",
            "duration": "7",
        },
    )

    assert response.status_code == 302
    call = ticket.messages.filter(channel="phone").get()
    assert call.direction == "inbound"
    assert call.details == {"duration_minutes": 7}


def test_changing_the_ticket_records_each_change(agent_client, agent, ticket):
    response = post(
        agent_client,
        ticket,
        "properties",
        {
            "status": "pending",
            "priority": "4",
            "queue": ticket.queue_id,
            "assignee": agent.pk,
            "kind": "complaint",
            "category": "",
        },
    )

    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority, ticket.kind, ticket.assignee) == (
        "pending",
        4,
        "complaint",
        agent,
    )
    actions = set(ticket.events.values_list("action", flat=True))
    assert {"status", "priority", "kind", "assigned"} <= actions


def test_a_refused_status_change_is_explained_not_an_error(agent_client, agent, ticket):
    services.change_status(ticket, status="closed", by=agent)

    response = post(
        agent_client,
        ticket,
        "properties",
        {
            "status": "open",
            "priority": "2",
            "queue": ticket.queue_id,
            "assignee": "",
            "kind": "inquiry",
            "category": "",
        },
    )

    assert response.status_code == 400
    assert "cannot go from Closed to Open" in response.text
    ticket.refresh_from_db()
    assert ticket.status == "closed"


def test_a_second_agent_is_told_what_changed_and_nothing_is_overwritten(
    agent_client, supervisor, ticket
):
    loaded = seen(ticket)
    services.change_priority(ticket, priority=4, by=supervisor)
    url = reverse("tickets:properties", args=[ticket.number])
    fields = {
        "status": "new",
        "priority": "2",
        "queue": ticket.queue_id,
        "assignee": "",
        "kind": "complaint",
        "category": "",
    }

    response = agent_client.post(url, {"seen": loaded, **fields})

    assert response.status_code == 409
    assert "changed while you were working on it" in response.text
    assert "Priority changed" in response.text
    ticket.refresh_from_db()
    assert (ticket.priority, ticket.kind) == (4, "inquiry")
    # Submitting again, now aware of the change, goes through.
    again = agent_client.post(
        url,
        {"seen": response.context["forms"]["properties"].data["seen"], **fields},
    )
    assert again.status_code == 302
    ticket.refresh_from_db()
    assert ticket.kind == "complaint"


def test_stale_properties_do_not_undo_anothers_change(
    agent_client, supervisor, agent, ticket
):
    loaded = seen(ticket)
    services.assign_ticket(ticket, agent=supervisor, by=supervisor)

    response = agent_client.post(
        reverse("tickets:properties", args=[ticket.number]),
        {
            "seen": loaded,
            "status": "new",
            "priority": "2",
            "queue": ticket.queue_id,
            "assignee": "",
            "kind": "inquiry",
            "category": "",
        },
    )

    assert response.status_code == 409
    ticket.refresh_from_db()
    assert ticket.assignee == supervisor


def test_merging_moves_the_correspondence_and_closes_the_source(
    agent_client, alice, queue, ticket
):
    target = make_ticket(alice, queue, subject="Same invoice, again")

    response = post(agent_client, ticket, "merge", {"into": target.number.lower()})

    assert response.status_code == 302
    assert response.url == target.get_absolute_url()
    ticket.refresh_from_db()
    assert ticket.status == "closed"
    assert target.messages.count() == 2
    assert ticket.events.filter(action="merged", new_value=target.number).exists()
    assert target.events.filter(action="merged", old_value=ticket.number).exists()
    history = agent_client.get(target.get_absolute_url()).text
    assert f"Merged: {ticket.number} was merged into this ticket" in history


def test_merging_into_a_ticket_the_agent_cannot_see_is_refused(
    agent_client, bob, other_queue, ticket
):
    hidden = make_ticket(bob, other_queue)

    response = post(agent_client, ticket, "merge", {"into": hidden.number})

    assert response.status_code == 400
    assert "No ticket with this number in your queues." in response.text
    assert hidden.messages.count() == 1


def test_sizes_read_as_people_write_them_in_arabic(agent_client, ticket, settings):
    settings.ATTACHMENT_MAX_BYTES = 2048
    agent_client.cookies["django_language"] = "ar"
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4" + b"0" * 3000)

    response = post(agent_client, ticket, "upload", {"attachments": big})

    assert response.status_code == 400
    assert "أكبر من 2\u00a0كيلوبايت" in response.text
    assert "م.ب" not in response.text


def test_uploads_are_stored_and_too_large_files_refused(agent_client, ticket, settings):
    settings.ATTACHMENT_MAX_BYTES = 10

    small = post(
        agent_client,
        ticket,
        "upload",
        {"attachments": SimpleUploadedFile("scan.pdf", b"%PDF-1.4")},
    )
    large = post(
        agent_client,
        ticket,
        "upload",
        {"attachments": SimpleUploadedFile("big.pdf", b"x" * 11)},
    )

    assert small.status_code == 302
    assert large.status_code == 400
    assert "big.pdf is larger than" in large.text
    names = Message.objects.filter(ticket=ticket).values_list(
        "attachments__original_name", flat=True
    )
    assert "scan.pdf" in names
    assert "big.pdf" not in names


def test_a_canned_response_is_added_to_what_was_typed(agent_client, agent, ticket):
    canned = CannedResponse.objects.create(
        queue=ticket.queue,
        language="en",
        title="Thanks",
        body="Dear {customer_name}, ticket {ticket_number} is with {agent}.",
    )

    response = agent_client.get(
        reverse("tickets:canned", args=[ticket.number]),
        {"response": canned.pk, "body_text": "Hello"},
    )

    assert response.status_code == 200
    assert "Hello\n\nDear Alice, ticket " + ticket.number in response.text
    assert "is with Omar." in response.text


@pytest.mark.parametrize(
    ("at", "promised"),
    [
        # The first response (8 working hours) is due Tuesday 09:00: promised.
        (datetime(2026, 11, 30, 10, 0, tzinfo=RIYADH), "1 Dec 2026, 09:00"),
        # Overdue: the end of today's working hours, not the missed time.
        (datetime(2026, 12, 1, 14, 0, tzinfo=RIYADH), "1 Dec 2026, 16:00"),
        # Overdue after hours: the end of the next working day.
        (datetime(2026, 12, 1, 18, 0, tzinfo=RIYADH), "2 Dec 2026, 16:00"),
    ],
)
def test_a_canned_reply_never_promises_a_time_already_past(
    policies, agent_client, bob, queue, at, promised
):
    with time_machine.travel(datetime(2026, 11, 30, 9, 0, tzinfo=RIYADH), tick=False):
        ticket = make_ticket(bob, queue, subject="Rude clerk", kind="complaint")
    canned = CannedResponse.objects.create(
        queue=queue, language="en", title="Soon", body="We will answer by {due_date}."
    )

    with time_machine.travel(at, tick=False):
        response = agent_client.get(
            reverse("tickets:canned", args=[ticket.number]), {"response": canned.pk}
        )

    assert f"We will answer by {promised}." in response.text
    # The reply box keeps its Bootstrap look when the text is swapped in.
    assert "form-control" in response.text


def test_canned_responses_of_another_queue_are_not_offered(
    agent_client, ticket, other_queue
):
    other = CannedResponse.objects.create(queue=other_queue, title="Billing", body="x")

    response = agent_client.get(
        reverse("tickets:canned", args=[ticket.number]), {"response": other.pk}
    )
    bad = [
        agent_client.get(
            reverse("tickets:canned", args=[ticket.number]), {"response": value}
        )
        for value in ("x", "²", "9" * 30)
    ]

    assert response.status_code == 404
    assert [page.status_code for page in bad] == [404, 404, 404]


def test_an_agent_of_another_queue_can_neither_see_nor_act(client, other_agent, ticket):
    client.force_login(other_agent)

    page = client.get(ticket.get_absolute_url())
    reply = post(client, ticket, "reply", {"body_text": "x", "channel": "email"})

    assert page.status_code == 404
    assert reply.status_code == 404
    assert ticket.messages.count() == 1


def test_actions_need_post(agent_client, ticket):
    url = reverse("tickets:reply", args=[ticket.number])

    assert agent_client.get(url).status_code == 405


# Session, user with their groups, ticket, messages (with authors and
# memos), attachments, emails sent, register numbers, events, addresses
# allowed to write, clocks, the customer's other tickets and ratings, letters.
TICKET_PAGE_QUERIES = 12


def page_queries(client, ticket) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(ticket.get_absolute_url())
    assert response.status_code == 200
    return len(captured)


@requires_postgres("a UNION of LIMITed queries: the customer's tickets, ratings")
def test_ticket_page_query_count_does_not_grow_with_its_history(
    agent_client, agent, alice, queue, other_queue, production_caches, settings
):
    short = make_ticket(alice, queue, subject="Short")
    long = make_ticket(alice, queue, subject="Long")
    give_long_history(long, agent, other_queue)
    for n in range(6):
        make_ticket(alice, queue, subject=f"Other {n}")
    for ticket in (short, long):  # the reference data, cached
        agent_client.get(ticket.get_absolute_url())
    # Rendered anew each time (a page kept rendered costs fewer:
    # tests/tickets/test_page_cache.py).
    settings.TICKET_PAGE_CACHE_SECONDS = 0

    assert page_queries(agent_client, short) == TICKET_PAGE_QUERIES
    assert page_queries(agent_client, long) == TICKET_PAGE_QUERIES
    response = agent_client.get(long.get_absolute_url())
    assert long.messages.count() == 26
    assert "Note 11" in response.text
    assert response.text.count('data-testid="delivery-state"') == 12
    assert 'data-testid="ticket-memos"' in response.text
    assert "cc@example.com" in response.text
    assert reverse("letters:edit", args=[long.number, long.letters.get().pk]) in (
        response.text
    )
    assert response.text.count('class="ticket-number" href') == 7


def test_a_renamed_queue_shows_its_new_name_on_the_next_page(
    agent_client, ticket, other_queue, production_caches
):
    agent_client.get(ticket.get_absolute_url())

    other_queue.name = "Accounts"
    other_queue.save()
    page = agent_client.get(ticket.get_absolute_url())

    properties = page.context["forms"]["properties"]
    assert "Accounts" in dict(properties.fields["queue"].choices).values()
    memo_form = page.text.split('name="to_queue"')[1].split("</select>")[0]
    assert ">Accounts<" in memo_form
    assert ">Billing<" not in page.text


def test_a_new_canned_response_and_category_are_offered_at_once(
    agent_client, ticket, production_caches
):
    agent_client.get(ticket.get_absolute_url())

    CannedResponse.objects.create(title="Refund sent", body="Done.", language="en")
    CategoryFactory(name="Refunds")
    page = agent_client.get(ticket.get_absolute_url())

    assert "Refund sent (English)" in page.text
    assert ">Refunds<" in page.text


def test_an_agent_who_joins_the_queue_can_be_assigned_at_once(
    agent_client, ticket, queue, production_caches
):
    agent_client.get(ticket.get_absolute_url())

    newcomer = make_staff("newcomer", AGENTS, first_name="Yusuf")
    queue.agents.add(newcomer)
    page = agent_client.get(ticket.get_absolute_url())

    choices = page.context["forms"]["properties"].fields["assignee"].choices
    assert newcomer.pk in dict(choices)


def test_ticket_pages_read_the_calendar_once_while_the_sla_settings_are_fresh(
    agent_client, policies, alice, queue, settings
):
    settings.SLA_CONFIG_CACHE_SECONDS = 30
    sla_config.forget_sla_config()
    ticket = make_ticket(alice, queue, channel=Channel.PHONE)
    assert ticket.sla_policy.calendar_id is not None
    # A web worker that has shown pages but opened no ticket since it started.
    sla_config.forget_sla_config()

    def calendar_queries() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            response = agent_client.get(ticket.get_absolute_url())
        assert response.status_code == 200
        assert 'data-testid="sla-clocks"' in response.text
        return [
            q["sql"]
            for q in captured.captured_queries
            if "tickets_holiday" in q["sql"] or "tickets_workinghours" in q["sql"]
        ]

    try:
        assert calendar_queries()
        assert calendar_queries() == []
    finally:
        sla_config.forget_sla_config()


def test_assigning_to_an_agent_of_another_queue_is_explained_not_done(
    agent_client, ticket, other_agent
):
    response = post(
        agent_client,
        ticket,
        "properties",
        {
            "status": ticket.status,
            "priority": ticket.priority,
            "queue": ticket.queue_id,
            "assignee": other_agent.pk,
            "kind": ticket.kind,
            "category": "",
        },
    )

    assert response.status_code == 400
    assert "other-agent does not work in the Customer Service queue." in response.text
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_merging_into_another_customers_ticket_is_explained_and_changes_nothing(
    agent_client, bob, bob_client, alice_client, queue, ticket, client
):
    theirs = make_ticket(bob, queue, body_text="Bob's private words")

    response = post(agent_client, ticket, "merge", {"into": theirs.number})

    assert response.status_code == 400
    assert (
        f"{theirs.number} is another customer&#x27;s ticket: only tickets of the "
        "same customer can be merged." in response.text
    )
    ticket.refresh_from_db()
    assert ticket.status != "closed"
    assert (ticket.messages.count(), theirs.messages.count()) == (1, 1)
    for page in (
        alice_client.get(reverse("portal:detail", args=[ticket.number])),
        client.get(reverse("portal:track", args=[ticket.tracking_token])),
    ):
        assert page.status_code == 200
        assert "Bob&#x27;s private words" not in page.text
    assert (
        alice_client.get(reverse("portal:detail", args=[theirs.number])).status_code
        == 404
    )
    assert (
        "Bob&#x27;s private words"
        in bob_client.get(reverse("portal:detail", args=[theirs.number])).text
    )


def test_merge_needs_someone_who_may_see_both_tickets(
    alice, queue, other_queue, ticket, other_agent, agent
):
    hidden = make_ticket(alice, other_queue)

    for by in (other_agent, agent, None):
        with pytest.raises(ValidationError, match="merge tickets you can see"):
            services.merge_tickets(ticket, into=hidden, by=by)

    assert (ticket.messages.count(), hidden.messages.count()) == (1, 1)
    assert not ticket.events.filter(action="merged").exists()
