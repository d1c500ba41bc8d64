"""Creating and changing tickets through the API: the web's verbs, the web's
rules, the web's lost-update guard."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from api import idempotency
from api.models import IdempotencyKey, TokenLabel
from api.tasks import forget_old_api_records
from api.tokens import create_token
from customers.models import Customer
from tickets import services
from tickets.models import Message, Ticket, TicketEvent

from ..factories import make_ticket

pytestmark = pytest.mark.django_db

LIST = reverse("api:ticket-list")


def _detail(ticket):
    return reverse("api:ticket-detail", args=[ticket.number])


def _call(**fields):
    return {
        "subject": "Meter reading",
        "body_text": "The caller read out their meter.",
        "channel": "phone",
        "queue": "service",
    } | fields


def test_a_phone_system_opens_a_ticket_for_a_known_customer(agent_api, agent, alice):
    received = timezone.now() - timedelta(minutes=5)

    response = agent_api.post(
        LIST,
        _call(customer=alice.pk, received_at=received.isoformat(), answered=True),
        content_type="application/json",
    )

    body = response.json()
    ticket = Ticket.objects.get(number=body["number"])
    assert response.status_code == 201
    assert response["Location"] == _detail(ticket)
    assert ticket.customer == alice
    assert ticket.received_at == received
    assert ticket.first_responded_at == received
    assert ticket.events.filter(action=TicketEvent.Action.CREATED, actor=agent).exists()
    assert body["messages"][0]["body_text"] == "The caller read out their meter."


def test_opening_a_ticket_costs_the_same_queries_for_every_caller(
    agent_api,
    supervisor_api,
    alice,
    policies,
    production_caches,
    django_assert_num_queries,
):
    # Each caller's first request fills the reference caches and notes the
    # token's use.
    for api in (agent_api, supervisor_api):
        api.post(LIST, _call(customer=alice.pk), format="json")

    # The token with its user's groups; the transaction's start and end; the
    # customer; the ticket's number, the ticket, its message, clocks,
    # milestones and history (one statement each); the history's last id for
    # the ETag. The caller's queues come from the reference caches, the
    # answer from what was written.
    for api in (agent_api, supervisor_api):
        with django_assert_num_queries(11):
            response = api.post(LIST, _call(customer=alice.pk), format="json")
        assert response.status_code == 201
        read = api.get(response["Location"])
        assert response.json() == read.json()
        assert response["ETag"] == read["ETag"]


def test_a_portal_finds_the_customer_by_email_or_makes_a_new_one(agent_api, alice):
    known = agent_api.post(
        LIST,
        _call(channel="web", customer_email="ALICE@example.com"),
        content_type="application/json",
    )
    new = agent_api.post(
        LIST,
        _call(channel="web", customer_email="carol@example.com", customer_name="Carol"),
        content_type="application/json",
    )

    assert known.json()["customer"]["id"] == alice.pk
    carol = Customer.objects.get(email="carol@example.com")
    assert new.json()["customer"] == {
        "id": carol.pk,
        "name": "Carol",
        "email": "carol@example.com",
        "phone": "",
    }


def test_creating_refuses_a_future_date_another_queue_and_no_customer(
    agent_api, alice, other_queue
):
    future = (timezone.now() + timedelta(hours=1)).isoformat()

    response = agent_api.post(
        LIST,
        _call(queue="billing", received_at=future),
        content_type="application/json",
    )

    errors = {e["attr"]: e for e in response.json()["errors"]}
    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"
    assert errors.keys() == {"queue", "received_at"}
    assert errors["received_at"]["detail"] == "This cannot be in the future."
    assert not Ticket.objects.exists()


def test_creating_without_any_customer_says_how_to_name_one(agent_api):
    response = agent_api.post(LIST, _call(), content_type="application/json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "customer_name"


def test_a_retried_create_with_the_same_key_returns_the_same_ticket(agent_api, alice):
    headers = {"HTTP_IDEMPOTENCY_KEY": "call-4711"}

    first = agent_api.post(
        LIST, _call(customer=alice.pk), content_type="application/json", **headers
    )
    retry = agent_api.post(
        LIST, _call(customer=alice.pk), content_type="application/json", **headers
    )

    assert first.status_code == retry.status_code == 201
    assert retry.json()["number"] == first.json()["number"]
    assert retry["Idempotent-Replayed"] == "true"
    assert Ticket.objects.count() == 1


def test_the_same_key_for_another_request_is_refused_with_409(agent_api, alice):
    headers = {"HTTP_IDEMPOTENCY_KEY": "call-4711"}
    agent_api.post(
        LIST, _call(customer=alice.pk), content_type="application/json", **headers
    )

    other = agent_api.post(
        LIST,
        _call(customer=alice.pk, subject="Another call"),
        content_type="application/json",
        **headers,
    )

    assert other.status_code == 409
    assert other.json()["errors"][0]["code"] == "conflict"
    assert Ticket.objects.count() == 1


def test_a_key_is_per_user_and_forgotten_after_a_day(agent_api, supervisor_api, alice):
    headers = {"HTTP_IDEMPOTENCY_KEY": "k1"}
    agent_api.post(
        LIST, _call(customer=alice.pk), content_type="application/json", **headers
    )

    supervisors = supervisor_api.post(
        LIST, _call(customer=alice.pk), content_type="application/json", **headers
    )
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        later = agent_api.post(
            LIST, _call(customer=alice.pk), content_type="application/json", **headers
        )

    assert supervisors.status_code == later.status_code == 201
    assert Ticket.objects.count() == 3
    assert IdempotencyKey.objects.count() == 2


def test_get_gives_an_etag_and_patch_with_it_changes_the_ticket(
    agent_api, agent, alice, queue
):
    ticket = make_ticket(alice, queue)
    read = agent_api.get(_detail(ticket))

    response = agent_api.patch(
        _detail(ticket),
        {"status": "pending", "priority": 4, "assignee": "agent"},
        content_type="application/json",
        HTTP_IF_MATCH=read["ETag"],
    )

    ticket.refresh_from_db()
    assert response.status_code == 200
    assert (ticket.status, ticket.priority, ticket.assignee) == ("pending", 4, agent)
    assert response["ETag"] != read["ETag"]
    assert response.json()["status"] == "pending"


def test_a_change_made_since_reading_is_not_overwritten_412(
    agent_api, supervisor, alice, queue
):
    ticket = make_ticket(alice, queue)
    read = agent_api.get(_detail(ticket))
    services.change_priority(ticket, priority=4, by=supervisor)

    response = agent_api.patch(
        _detail(ticket),
        {"priority": 1},
        content_type="application/json",
        HTTP_IF_MATCH=read["ETag"],
    )

    ticket.refresh_from_db()
    assert response.status_code == 412
    assert response.json()["errors"][0]["code"] == "precondition_failed"
    assert ticket.priority == 4


def test_a_change_without_if_match_is_refused_428(agent_api, alice, queue):
    ticket = make_ticket(alice, queue)

    response = agent_api.patch(
        _detail(ticket), {"priority": 1}, content_type="application/json"
    )

    assert response.status_code == 428
    assert "If-Match" in response.json()["errors"][0]["detail"]


@pytest.mark.parametrize("header", ['"¹"', '"12x"', '"' + "9" * 40 + '"'])
def test_an_if_match_this_api_never_gave_is_412_in_json(
    agent_api, alice, queue, header
):
    ticket = make_ticket(alice, queue)

    response = agent_api.patch(
        _detail(ticket),
        {"priority": 4},
        content_type="application/json",
        HTTP_IF_MATCH=header,
    )

    ticket.refresh_from_db()
    assert response.status_code == 412
    assert response.json()["type"] == "client_error"
    assert ticket.priority == 2


def test_a_change_the_workflow_refuses_is_400_and_changes_nothing(
    agent_api, agent, alice, queue, other_agent
):
    ticket = make_ticket(alice, queue)
    services.change_status(ticket, status="closed", by=agent)
    etag = agent_api.get(_detail(ticket))["ETag"]

    closed = agent_api.patch(
        _detail(ticket),
        {"priority": 4, "status": "open"},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
    )
    outsider = agent_api.patch(
        _detail(ticket),
        {"assignee": "other-agent"},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
    )

    ticket.refresh_from_db()
    assert closed.status_code == outsider.status_code == 400
    assert "cannot go from Closed to Open" in closed.json()["errors"][0]["detail"]
    assert "does not work in" in outsider.json()["errors"][0]["detail"]
    assert ticket.priority == 2
    assert ticket.assignee is None


def test_an_agent_replies_and_sets_the_ticket_pending(
    agent_api, alice, queue, mailoutbox, django_capture_on_commit_callbacks
):
    ticket = make_ticket(alice, queue)

    with django_capture_on_commit_callbacks(execute=True):
        response = agent_api.post(
            reverse("api:ticket-reply", args=[ticket.number]),
            {"body_text": "Your order ships today.", "then": "pending"},
            content_type="application/json",
        )

    ticket.refresh_from_db()
    assert response.status_code == 201
    assert response.json()["direction"] == "outbound"
    assert response.json()["channel"] == "email"
    assert ticket.status == "pending"
    assert [m.to for m in mailoutbox] == [["alice@example.com"]]


def test_a_phone_system_logs_a_call_with_minutes_and_outcome(agent_api, alice, queue):
    ticket = make_ticket(alice, queue)

    response = agent_api.post(
        reverse("api:ticket-contact", args=[ticket.number]),
        {
            "direction": "outbound",
            "body_text": "Called back; no answer.",
            "duration_minutes": 2,
            "outcome": "no_answer",
        },
        content_type="application/json",
    )

    message = ticket.messages.get(pk=response.json()["id"])
    assert response.status_code == 201
    assert (message.channel, message.direction) == ("phone", "outbound")
    assert message.details == {"duration_minutes": 2, "outcome": "no_answer"}


def test_only_a_call_has_an_outcome(agent_api, alice, queue):
    ticket = make_ticket(alice, queue)

    response = agent_api.post(
        reverse("api:ticket-contact", args=[ticket.number]),
        {"channel": "letter", "body_text": "A letter.", "outcome": "answered"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "outcome"


def test_a_note_is_added_and_listed_for_staff_with_the_history(agent_api, alice, queue):
    ticket = make_ticket(alice, queue)

    note = agent_api.post(
        reverse("api:ticket-note", args=[ticket.number]),
        {"body_text": "Checked the warehouse."},
        content_type="application/json",
    )
    messages = agent_api.get(reverse("api:ticket-messages", args=[ticket.number]))
    events = agent_api.get(reverse("api:ticket-events", args=[ticket.number]))

    assert note.status_code == 201
    assert [m["direction"] for m in messages.json()["results"]] == [
        "inbound",
        "internal",
    ]
    actions = [e["action"] for e in events.json()["results"]]
    assert actions[0] == "created"
    assert "message" in actions


def test_a_message_on_a_closed_ticket_is_refused_with_its_reason(
    agent_api, agent, alice, queue
):
    ticket = make_ticket(alice, queue)
    services.change_status(ticket, status="closed", by=agent)

    response = agent_api.post(
        reverse("api:ticket-reply", args=[ticket.number]),
        {"body_text": "Hello again"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "closed" in response.json()["errors"][0]["detail"]
    assert not ticket.messages.filter(direction=Message.Direction.OUTBOUND).exists()


def test_a_message_sent_with_an_old_etag_is_refused_412(
    agent_api, supervisor, alice, queue
):
    ticket = make_ticket(alice, queue)
    etag = agent_api.get(_detail(ticket))["ETag"]
    services.add_note(ticket, body_text="Escalating", by=supervisor)

    response = agent_api.post(
        reverse("api:ticket-reply", args=[ticket.number]),
        {"body_text": "Done"},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
    )

    assert response.status_code == 412


def test_the_nightly_task_forgets_day_old_keys_and_expired_tokens(agent, alice, queue):
    with time_machine.travel(timezone.now() - timedelta(days=2)):
        create_token(agent, name="Short", days=1)
    create_token(agent, name="Current", days=30)
    with time_machine.travel(timezone.now() - timedelta(hours=25)):
        idempotency.create_once(
            agent, "old", digest="x", create=lambda: make_ticket(alice, queue)
        )
    idempotency.create_once(
        agent, "new", digest="x", create=lambda: make_ticket(alice, queue)
    )

    result = forget_old_api_records()

    assert result == "1 idempotency keys, 1 expired tokens"
    assert [k.key for k in IdempotencyKey.objects.all()] == ["new"]
    assert [t.name for t in TokenLabel.objects.all()] == ["Current"]


def test_an_unprintable_or_overlong_key_is_a_400(agent_api, alice):
    answers = [
        agent_api.post(
            LIST,
            _call(customer=alice.pk),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=key,
        )
        for key in ("a\x00b", "k" * 256)
    ]

    assert [a.status_code for a in answers] == [400, 400]
    assert answers[0].json()["errors"][0]["attr"] == "non_field_errors"
    assert not Ticket.objects.exists()


def test_a_retry_is_answered_as_the_first_even_if_it_would_now_be_refused(
    agent_api, agent, alice, queue
):
    headers = {"HTTP_IDEMPOTENCY_KEY": "call-9"}
    first = agent_api.post(
        LIST, _call(customer=alice.pk), content_type="application/json", **headers
    )
    queue.agents.remove(agent)

    retry = agent_api.post(
        LIST, _call(customer=alice.pk), content_type="application/json", **headers
    )

    assert retry.status_code == 201
    assert retry.json()["number"] == first.json()["number"]
