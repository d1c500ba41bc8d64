"""The portal for signed-in customers, and signing in by an emailed link."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse

from customers import signin
from tickets import services

from ..factories import CustomerFactory, make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()


def test_a_customer_lists_only_their_own_requests(alice_client, alice, bob, queue):
    mine = make_ticket(alice, queue, subject="Alice's request")
    theirs = make_ticket(bob, queue, subject="Bob's request")

    response = alice_client.get(reverse("portal:list"))

    assert mine.number in response.text
    assert theirs.number not in response.text


def test_another_customers_request_is_not_found(alice_client, bob, queue):
    theirs = make_ticket(bob, queue)

    for name in ("detail",):
        url = reverse(f"portal:{name}", args=[theirs.number])
        assert alice_client.get(url).status_code == 404
    for name in ("reply", "close", "rate"):
        url = reverse(f"portal:{name}", args=[theirs.number])
        assert alice_client.post(url, {"message": "x", "score": "5"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "new"
    assert theirs.messages.count() == 1


def test_a_customer_replies_closes_and_rates_in_the_portal(
    alice_client, alice, queue, agent
):
    ticket = make_ticket(alice, queue, channel="web")

    alice_client.post(
        reverse("portal:reply", args=[ticket.number]), {"message": "More"}
    )
    services.change_status(ticket, status="resolved", by=agent)
    alice_client.post(reverse("portal:rate", args=[ticket.number]), {"score": "5"})
    alice_client.post(reverse("portal:close", args=[ticket.number]))

    ticket.refresh_from_db()
    assert ticket.messages.filter(direction="inbound").count() == 2
    assert (ticket.rating, ticket.status) == (5, "closed")
    event = ticket.events.get(action="rated")
    assert event.actor == alice.user


def test_an_agent_cannot_act_as_a_customer_in_the_portal(agent_client, alice, queue):
    ticket = make_ticket(alice, queue)

    url = reverse("portal:reply", args=[ticket.number])

    assert agent_client.post(url, {"message": "x"}).status_code == 403


def sign_in_link(mailoutbox) -> str:
    return re.search(r"https?://\S+/support/sign-in/\S+/", mailoutbox[-1].body)[0]


def ask_for_link(client, email, capture):
    with capture(execute=True):
        return client.post(reverse("portal:sign_in"), {"email": email})


def test_a_sign_in_link_proves_the_address_and_signs_in(
    client, queue, mailoutbox, django_capture_on_commit_callbacks
):
    customer = CustomerFactory(email="noura@example.com")
    ticket = make_ticket(customer, queue, subject="Noura's request")

    response = ask_for_link(
        client, "NOURA@example.com", django_capture_on_commit_callbacks
    )

    assert response["Location"] == reverse("portal:sign_in_sent")
    assert mailoutbox[0].to == ["noura@example.com"]
    path = sign_in_link(mailoutbox).split("127.0.0.1:8000")[-1]
    page = client.get(path)
    assert page.status_code == 200
    assert "_auth_user_id" not in client.session  # a GET signs nobody in

    client.post(path)

    customer.refresh_from_db()
    assert customer.user is not None
    assert client.get(reverse("portal:list")).text.count(ticket.number) >= 1
    assert client.post(path).status_code == 400  # used once


def test_an_unknown_address_gets_the_same_answer_and_no_mail(
    client, queue, mailoutbox, django_capture_on_commit_callbacks
):
    response = ask_for_link(
        client, "nobody@example.com", django_capture_on_commit_callbacks
    )

    assert response["Location"] == reverse("portal:sign_in_sent")
    assert mailoutbox == []


def test_an_expired_or_forged_link_is_refused(client, settings, alice):
    settings.SIGN_IN_LINK_MAX_AGE = -1
    expired = signin.make_token("alice@example.com")
    forged = signing.dumps({"e": "alice@example.com", "l": ""}, salt="other")

    for token in (expired, forged):
        url = reverse("portal:sign_in_confirm", args=[token])
        assert client.post(url).status_code == 400
    assert "_auth_user_id" not in client.session


def test_a_staff_address_never_becomes_a_portal_account(client, agent):
    CustomerFactory(email=agent.email)
    url = reverse("portal:sign_in_confirm", args=[signin.make_token(agent.email)])

    assert client.post(url).status_code == 400
    assert "_auth_user_id" not in client.session


def test_typing_someones_address_in_the_form_reveals_none_of_their_tickets(
    client, alice, queue
):
    old = make_ticket(alice, queue, subject="Alice's private matter")

    response = client.post(
        reverse("portal:new"),
        {
            "name": "Mallory",
            "email": "alice@example.com",
            "language": "en",
            "kind": "inquiry",
            "subject": "Hello",
            "message": "Show me everything please.",
        },
        follow=True,
    )

    assert response.status_code == 200
    assert old.number not in response.text
    assert "Alice's private matter" not in response.text
    assert get_user_model().objects.filter(username="mallory").count() == 0


def test_the_portal_list_makes_few_queries(
    alice_client, alice, queue, django_assert_num_queries
):
    for n in range(5):
        make_ticket(alice, queue, subject=f"Request {n}")

    # Session, user with groups (role check), tickets.
    with django_assert_num_queries(3):
        response = alice_client.get(reverse("portal:list"))

    assert response.text.count("Request ") >= 5
