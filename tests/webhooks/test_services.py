"""One attempt at a delivery and what follows: signing, retries, the pause
after failures with the owner's email, resuming, the test event."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from webhooks import sending, services
from webhooks.events import PING
from webhooks.models import Delivery
from webhooks.sending import Outcome
from webhooks.signing import verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver(monkeypatch):
    """Stands in for the network: records each POST, answers `status`."""

    class Receiver:
        status = 200
        calls = []

        def post(self, target, body, headers, *, timeout):
            self.calls.append((target, body, headers))
            if self.status is None:
                return Outcome(None, "ConnectionRefusedError: refused", 3)
            return Outcome(self.status, "" if self.status < 300 else "HTTP 500", 7)

    fake = Receiver()
    fake.calls = []
    monkeypatch.setattr(sending, "post", fake.post)
    return fake


def pending(subscription, now):
    return Delivery.objects.create(
        subscription=subscription,
        event_type="ticket.created",
        ticket_number="HD-2026-000001",
        payload={"type": "ticket.created", "ticket": {"number": "HD-2026-000001"}},
        next_attempt_at=now,
    )


def test_a_delivery_is_signed_and_carries_its_event_id(subscribe, receiver):
    subscription = subscribe()
    now = timezone.now()
    delivery = pending(subscription, now)

    services.deliver(delivery.pk, now=now)

    target, body, headers = receiver.calls[0]
    assert (target.address, target.port, target.path) == ("127.0.0.1", 9, "/hook")
    assert headers["X-Helpdesk-Event-Id"] == str(delivery.event_id)
    assert headers["X-Helpdesk-Event"] == "ticket.created"
    assert verify(
        subscription.secret,
        headers["X-Helpdesk-Signature"],
        body,
        now=int(now.timestamp()),
    )
    assert json.loads(body)["id"] == str(delivery.event_id)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.response_code) == (
        "delivered",
        1,
        200,
    )


def test_a_delivery_is_sent_once_however_many_senders_ask(subscribe, receiver):
    now = timezone.now()
    delivery = pending(subscribe(), now)

    services.deliver(delivery.pk, now=now)
    services.deliver(delivery.pk, now=now)

    assert len(receiver.calls) == 1


def test_a_failure_is_tried_again_later_each_time_longer(subscribe, receiver):
    receiver.status = 500
    now = timezone.now()
    delivery = pending(subscribe(), now)

    first = services.deliver(delivery.pk, now=now)
    early = services.deliver(delivery.pk, now=now + timedelta(seconds=first - 1))
    second = services.deliver(delivery.pk, now=now + timedelta(seconds=first))

    assert 15 <= first <= 30
    assert early is None  # not due yet: nothing sent
    assert 30 <= second <= 60
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.response_code) == (
        "pending",
        2,
        500,
    )
    assert delivery.error == "HTTP 500"


def test_a_delivery_is_given_up_after_its_last_attempt(subscribe, receiver):
    receiver.status = None
    now = timezone.now()
    delivery = pending(subscribe(), now)
    delivery.attempts = 9
    delivery.save()

    assert services.deliver(delivery.pk, now=now) is None

    delivery.refresh_from_db()
    assert delivery.state == "failed"
    assert delivery.error == "ConnectionRefusedError: refused"


def test_repeated_failures_pause_the_subscription_and_email_its_owner_once(
    subscribe, receiver, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_PAUSE_AFTER_FAILURES = 3
    receiver.status = 500
    subscription = subscribe()
    now = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(4):
            services.deliver(pending(subscription, now).pk, now=now)

    subscription.refresh_from_db()
    assert not subscription.is_active
    assert subscription.paused_for_failures
    assert len(receiver.calls) == 3  # the fourth waits for the resume
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["supervisor@example.com"]
    assert "paused" in email.subject
    assert "after 3 failed attempts in a row" in email.body
    assert "HTTP 500" in email.body
    assert f"/supervisor/webhooks/{subscription.pk}/" in email.alternatives[0][0]


def test_resuming_sends_what_waited_and_a_success_clears_the_failures(
    subscribe, receiver, settings
):
    settings.WEBHOOK_PAUSE_AFTER_FAILURES = 1
    receiver.status = 500
    subscription = subscribe()
    now = timezone.now()
    services.deliver(pending(subscription, now).pk, now=now)
    waiting = pending(subscription, now)
    subscription.refresh_from_db()
    assert not subscription.is_active

    receiver.status = 200
    later = now + timedelta(minutes=1)
    services.resume_subscription(subscription, now=later)
    sent = services.due_deliveries(later)
    for delivery_id in sent:
        services.deliver(delivery_id, now=later)

    assert waiting.pk in sent
    subscription.refresh_from_db()
    assert subscription.is_active and subscription.failure_count == 0
    assert Delivery.objects.filter(state="delivered").count() == 2


def test_a_test_event_goes_out_while_paused_once_and_counts_no_failure(
    subscribe, receiver
):
    receiver.status = 500
    subscription = subscribe()
    now = timezone.now()
    services.pause_subscription(subscription, now=now)

    ping = services.send_test_event(subscription, now=now)
    delay = services.deliver(ping.pk, now=now)

    assert delay is None
    assert json.loads(receiver.calls[0][1])["type"] == PING
    ping.refresh_from_db()
    assert (ping.state, ping.response_code) == ("failed", 500)
    subscription.refresh_from_db()
    assert subscription.failure_count == 0


def test_a_url_that_now_resolves_to_a_private_address_is_not_called(
    subscribe, receiver, settings
):
    subscription = subscribe()  # 127.0.0.1, allowed when subscribed
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False
    now = timezone.now()
    delivery = pending(subscription, now)

    services.deliver(delivery.pk, now=now)

    assert receiver.calls == []
    delivery.refresh_from_db()
    assert "local or private network address" in delivery.error
    assert delivery.response_code is None
