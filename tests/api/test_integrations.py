"""Integration accounts: another system's account, made by a supervisor on
its page or by the command, working only its queues' tickets; the
customer-facing kind never reads or writes an internal note."""

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from api.integrations import create_integration, integration_accounts
from api.tokens import create_token
from helpdesk.roles import is_integration
from tickets import reference, services
from tickets.models import Attachment, Notification, Queue

from ..factories import make_ticket
from .conftest import token_client

pytestmark = pytest.mark.django_db

LIST = reverse("api:ticket-list")


def _numbers(response):
    return [t["number"] for t in response.json()["results"]]


def _ticket_with_a_note(alice, queue, agent):
    ticket = make_ticket(alice, queue, body_text="My meter is broken.")
    services.add_note(ticket, body_text="Secret: the meter was tampered.", by=agent)
    return ticket


# Access: its queues' tickets only.


def test_an_integration_lists_only_its_queues_tickets(
    integration_api, alice, queue, other_queue
):
    ours = make_ticket(alice, queue)
    make_ticket(alice, other_queue)

    response = integration_api.get(LIST)

    assert _numbers(response) == [ours.number]


def test_an_integration_cannot_open_a_ticket_in_another_queue(
    integration_api, alice, other_queue
):
    response = integration_api.post(
        LIST,
        {
            "customer": alice.pk,
            "subject": "Call",
            "body_text": "About the bill.",
            "channel": "phone",
            "queue": other_queue.slug,
        },
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "queue"


def test_an_integration_is_never_offered_as_an_assignee(integration, queue, agent):
    assert list(queue.assignable_agents()) == [agent]


def test_an_integration_is_not_notified_when_a_note_names_it(
    integration, agent, alice, queue
):
    ticket = make_ticket(alice, queue)

    services.add_note(ticket, body_text="@phone-system logged this call", by=agent)

    assert not Notification.objects.filter(recipient=integration).exists()


def test_an_integrations_queues_are_the_ones_it_works(integration, queue):
    assert reference.worked_queue_ids(integration) == {queue.pk}
    assert list(Queue.objects.worked_by(integration)) == [queue]


def test_an_integration_account_cannot_sign_in_on_the_web(integration):
    # Even given a password by an administrator in the admin.
    integration.set_password("s3cret-pass-phrase")
    integration.save()
    client = Client()

    response = client.post(
        reverse("login"),
        {"username": "phone-system", "password": "s3cret-pass-phrase"},
    )
    signed_in = "_auth_user_id" in client.session
    # A session made some other way is not honoured either.
    client.force_login(integration)
    page = client.get(reverse("api_tokens"))

    assert response.status_code == 200
    assert not signed_in
    assert page.status_code == 302


# Internal notes and the customer-facing kind.


def test_an_agent_like_integration_reads_internal_notes(
    integration_api, alice, queue, agent
):
    ticket = _ticket_with_a_note(alice, queue, agent)

    detail = integration_api.get(reverse("api:ticket-detail", args=[ticket.number]))
    events = integration_api.get(reverse("api:ticket-events", args=[ticket.number]))

    assert "Secret" in detail.text
    assert "internal" in [e["new_value"] for e in events.json()["results"]]


def test_a_customer_facing_integration_never_receives_internal_notes(
    customer_facing_api, alice, queue, agent
):
    ticket = _ticket_with_a_note(alice, queue, agent)
    number = [ticket.number]

    detail = customer_facing_api.get(reverse("api:ticket-detail", args=number))
    messages = customer_facing_api.get(reverse("api:ticket-messages", args=number))
    events = customer_facing_api.get(reverse("api:ticket-events", args=number))
    listed = customer_facing_api.get(LIST)

    assert [m["direction"] for m in detail.json()["messages"]] == ["inbound"]
    assert [m["direction"] for m in messages.json()["results"]] == ["inbound"]
    assert "internal" not in [e["new_value"] for e in events.json()["results"]]
    for response in (detail, messages, events, listed):
        assert response.status_code == 200
        assert "Secret" not in response.text
        assert "internal" not in response.text


def test_a_customer_facing_integration_never_reaches_a_notes_attachment(
    integration, customer_facing, alice, queue, agent
):
    ticket = make_ticket(alice, queue)
    services.add_note(
        ticket,
        body_text="The meter photo.",
        by=agent,
        attachments=[SimpleUploadedFile("meter.pdf", b"%PDF-1.4 meter")],
    )

    assert Attachment.objects.visible_to(integration).count() == 1
    assert not Attachment.objects.visible_to(customer_facing).exists()


def test_a_customer_facing_integration_cannot_write_a_note(
    customer_facing_api, alice, queue
):
    ticket = make_ticket(alice, queue)

    response = customer_facing_api.post(
        reverse("api:ticket-note", args=[ticket.number]),
        {"body_text": "Looks like fraud."},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert (
        response.json()["errors"][0]["detail"] == "Internal notes are for staff only."
    )
    assert not ticket.messages.filter(direction="internal").exists()


def test_a_customer_facing_integrations_reply_reaches_the_ticket(
    customer_facing_api, alice, queue
):
    ticket = make_ticket(alice, queue)

    response = customer_facing_api.post(
        reverse("api:ticket-reply", args=[ticket.number]),
        {"body_text": "We are on it."},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert response.json()["direction"] == "outbound"


# The page.

PAGE = reverse("integrations")


def test_a_supervisor_makes_an_integration_gives_it_a_token_and_revokes_it(
    supervisor_client, queue, alice
):
    ticket = make_ticket(alice, queue)

    made = supervisor_client.post(
        PAGE,
        {"username": "e-portal", "kind": "customer_facing", "queues": [queue.pk]},
        follow=True,
    )
    account = integration_accounts().get()
    page = supervisor_client.post(
        reverse("integration_token_create", args=[account.pk]),
        {"name": "Portal", "days": "90"},
        follow=True,
    )
    key = page.context["key"]
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    before = api.get(reverse("api:ticket-detail", args=[ticket.number]))
    again = supervisor_client.get(reverse("integration_detail", args=[account.pk]))
    token = page.context["tokens"][0]
    supervisor_client.post(
        reverse("integration_token_revoke", args=[account.pk, token.token_key])
    )
    after = api.get(reverse("api:ticket-detail", args=[ticket.number]))

    assert made.status_code == 200
    assert is_integration(account)
    assert not account.has_usable_password()
    assert list(account.integration_queues.all()) == [queue]
    assert key in page.text
    assert before.status_code == 200
    assert key not in again.text
    assert "Portal" in again.text
    assert after.status_code == 401


def test_a_supervisor_switches_an_integration_off_and_its_tokens_stop(
    supervisor_client, customer_facing, queue
):
    key = token_client(customer_facing).defaults["HTTP_AUTHORIZATION"]

    supervisor_client.post(
        reverse("integration_detail", args=[customer_facing.pk]),
        {"kind": "integration", "queues": [queue.pk]},
    )
    customer_facing.refresh_from_db()

    assert not customer_facing.is_active
    assert Client(HTTP_AUTHORIZATION=key).get(LIST).status_code == 401


def test_a_supervisor_offers_only_the_queues_they_supervise(supervisor_client, queue):
    page = supervisor_client.get(PAGE)

    assert list(page.context["form"].fields["queues"].queryset) == [queue]


def test_a_supervisor_cannot_manage_another_queues_integration(
    supervisor_client, other_integration, other_queue
):
    detail = supervisor_client.get(
        reverse("integration_detail", args=[other_integration.pk])
    )
    made = supervisor_client.post(
        PAGE, {"username": "sneaky", "kind": "integration", "queues": [other_queue.pk]}
    )
    listed = supervisor_client.get(PAGE)

    assert detail.status_code == 404
    assert made.status_code == 400
    assert "queues" in made.context["form"].errors
    assert "billing-system" not in listed.text


def test_an_administrator_manages_every_integration(admin_user, other_integration):
    client = Client()
    client.force_login(admin_user)

    response = client.get(reverse("integration_detail", args=[other_integration.pk]))

    assert response.status_code == 200


def test_a_taken_name_is_refused(supervisor_client, queue, agent):
    response = supervisor_client.post(
        PAGE, {"username": "Agent", "kind": "integration", "queues": [queue.pk]}
    )

    assert response.status_code == 400
    assert "username" in response.context["form"].errors


def test_agents_have_no_integrations_page(agent_client):
    assert agent_client.get(PAGE).status_code == 403


def test_the_integrations_page_takes_the_same_queries_for_more_accounts(
    supervisor_client, queue, django_assert_max_num_queries
):
    def accounts(n):
        for i in range(n):
            create_integration(
                username=f"system-{n}-{i}", kind="integration", queues=[queue]
            )

    accounts(1)
    with django_assert_max_num_queries(12) as one:
        supervisor_client.get(PAGE)
    accounts(4)
    with django_assert_max_num_queries(12) as five:
        page = supervisor_client.get(PAGE)

    assert len(page.context["rows"]) == 5
    assert len(five.captured_queries) == len(one.captured_queries)


def test_an_integrations_page_takes_the_same_queries_for_more_tokens(
    supervisor_client, integration, django_assert_max_num_queries
):
    page = reverse("integration_detail", args=[integration.pk])
    create_token(integration, name="first", days=30)
    with django_assert_max_num_queries(15) as one:
        supervisor_client.get(page)
    for n in range(4):
        create_token(integration, name=f"more-{n}", days=30)
    with django_assert_max_num_queries(15) as five:
        response = supervisor_client.get(page)

    assert len(response.context["tokens"]) == 5
    assert len(five.captured_queries) == len(one.captured_queries)


# The command.


def _command(*args) -> str:
    out = StringIO()
    call_command("create_api_token", *args, stdout=out)
    return out.getvalue().strip()


def test_the_command_makes_a_customer_facing_integration_and_its_token(
    queue, other_queue, alice
):
    ours = make_ticket(alice, queue)
    make_ticket(alice, other_queue)

    key = _command(
        "--integration", "e-portal", "--queues", "service", "--customer-facing"
    )
    account = integration_accounts().get(username="e-portal")
    listed = Client(HTTP_AUTHORIZATION=f"Token {key}").get(LIST)

    assert _numbers(listed) == [ours.number]
    assert account.groups.get().name == "Customer-facing integrations"
    assert not account.has_usable_password()


def test_the_command_gives_an_existing_integration_other_queues(
    integration, other_queue
):
    _command("--integration", "phone-system", "--queues", "billing")

    assert list(integration.integration_queues.all()) == [other_queue]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--integration", "new-system"], "needs --queues"),
        (["--integration", "x", "--queues", "nowhere"], "nowhere"),
        (["--integration", "agent", "--queues", "service"], "a person's account"),
        (["agent", "--integration", "x"], "either USERNAME or --integration"),
        ([], "either USERNAME or --integration"),
    ],
)
def test_the_command_refuses_what_it_cannot_do(args, message, agent, queue):
    with pytest.raises(CommandError, match=message):
        _command(*args)
