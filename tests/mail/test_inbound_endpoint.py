"""POST /inbound/email/: what a mail server gets back for each kind of post."""

import pytest
from django.core.cache import cache

from mail.models import InboundEmail, Mailbox, QuarantinedEmail
from tickets.models import Ticket

from .builders import raw_email

pytestmark = pytest.mark.django_db
SECRET = "s3cret-for-the-mail-server-0123456789"
URL = "/inbound/email/"


@pytest.fixture(autouse=True)
def configured(settings):
    settings.INBOUND_EMAIL_SECRET = SECRET
    cache.clear()


def post(client, body, secret=SECRET, **extra):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
    return client.generic(
        "POST", URL, body, content_type="message/rfc822", **headers, **extra
    )


def test_a_posted_message_becomes_a_ticket_and_the_server_gets_202(client, queue):
    response = post(client, raw_email())

    assert response.status_code == 202
    ticket = Ticket.objects.get()
    assert response.json() == {
        "outcome": "created",
        "ticket": ticket.number,
        "reason": "",
    }
    assert InboundEmail.objects.get().source == InboundEmail.Source.HTTP


def test_the_mailbox_named_in_the_query_chooses_the_queue(client, queue, other_queue):
    Mailbox.objects.create(
        name="Billing", email_address="billing@example.org", queue=other_queue
    )

    post(client, raw_email(), QUERY_STRING="mailbox=billing@example.org")

    assert Ticket.objects.get().queue == other_queue


def test_an_unknown_mailbox_is_a_clear_400(client, queue):
    response = post(client, raw_email(), QUERY_STRING="mailbox=nobody@example.org")

    assert response.status_code == 400
    assert response.json()["error"] == "unknown_mailbox"
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("secret", [None, "wrong", SECRET + "x", SECRET[:-1]])
def test_without_the_right_secret_nothing_is_taken(client, queue, secret):
    response = post(client, raw_email(), secret=secret)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["error"] == "unauthorised"
    assert not InboundEmail.objects.exists()


def test_basic_auth_with_the_secret_is_not_accepted(client, queue):
    response = client.generic(
        "POST", URL, raw_email(), HTTP_AUTHORIZATION=f"Basic {SECRET}"
    )

    assert response.status_code == 401


def test_with_no_secret_configured_the_endpoint_is_closed(client, queue, settings):
    settings.INBOUND_EMAIL_SECRET = ""

    response = post(client, raw_email(), secret="")

    assert response.status_code == 503
    assert response.json()["error"] == "not_configured"


def test_only_post_is_allowed(client):
    response = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {SECRET}")

    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"


def test_an_empty_body_is_a_clear_400(client, queue):
    response = post(client, b"  ")

    assert response.status_code == 400
    assert response.json()["error"] == "empty"


def test_a_message_over_the_limit_is_quarantined_and_far_over_is_refused(
    client, queue, settings
):
    settings.EMAIL_MAX_BYTES = 2000

    kept = post(client, raw_email(body="x" * 2500))
    refused = post(client, raw_email(body="y" * 5000, message_id="<big@x>"))

    assert kept.status_code == 202
    assert kept.json()["outcome"] == "quarantined"
    assert QuarantinedEmail.objects.count() == 1
    assert refused.status_code == 413
    assert refused.json()["error"] == "too_large"


def test_a_message_larger_than_djangos_form_limit_is_read(client, queue, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = post(client, raw_email(body="z" * 5000))

    assert response.status_code == 202
    assert response.json()["outcome"] == "created"


def test_a_flood_is_answered_429_with_retry_after(client, queue, settings):
    settings.INBOUND_EMAIL_RATE = "2/m"

    responses = [
        post(client, raw_email(message_id=f"<f{n}@x>", subject=f"n{n}"))
        for n in range(3)
    ]

    assert [r.status_code for r in responses] == [202, 202, 429]
    assert responses[-1]["Retry-After"] == "60"
    assert Ticket.objects.count() == 2
