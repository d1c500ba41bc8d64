"""The verbs of webhooks: subscribe, change, pause, resume, delete, test, and
one attempt at a delivery with what follows from its outcome."""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Q

from helpdesk import event_relay
from tickets.models import TicketEvent

from . import notices, payloads, retries, sending
from .addresses import UnsafeURL, check_url
from .events import PING
from .models import Delivery, Subscription, new_secret
from .signing import (
    EVENT_ID_HEADER,
    EVENT_TYPE_HEADER,
    SIGNATURE_HEADER,
    signature_header,
)

log = logging.getLogger(__name__)

# A sender holds a delivery this long; one that died mid-attempt loses it.
CLAIM_LEASE = timedelta(minutes=2)
DUE_BATCH = 200


def _announce_listening() -> None:
    # After the commit, so the flag never says yes before the row exists.
    transaction.on_commit(
        lambda: event_relay.set_listening(Subscription.objects.active().exists())
    )


@transaction.atomic
def create_subscription(
    *, owner, name: str, url: str, events: list[str]
) -> Subscription:
    """Subscribe `url` to `events` for `owner`, from the next ticket event on."""
    latest = TicketEvent.objects.aggregate(latest=Max("id"))["latest"] or 0
    subscription = Subscription.objects.create(
        owner=owner, name=name, url=url, events=list(events), after_event_id=latest
    )
    _announce_listening()
    return subscription


@transaction.atomic
def change_subscription(
    subscription: Subscription, *, name: str, url: str, events: list[str]
) -> Subscription:
    """Change where and what `subscription` is sent."""
    subscription.name = name
    subscription.url = url
    subscription.events = list(events)
    subscription.save(update_fields=["name", "url", "events", "updated_at"])
    return subscription


@transaction.atomic
def rotate_secret(subscription: Subscription) -> Subscription:
    """Give `subscription` a new signing secret; the old one stops at once."""
    subscription.secret = new_secret()
    subscription.save(update_fields=["secret", "updated_at"])
    return subscription


@transaction.atomic
def pause_subscription(subscription: Subscription, *, now: datetime) -> Subscription:
    """Stop sending to `subscription`: deliveries waiting keep waiting, and
    events while it is paused are not sent."""
    Subscription.objects.filter(pk=subscription.pk, is_active=True).update(
        is_active=False, paused_at=now, paused_for_failures=False
    )
    subscription.refresh_from_db()
    _announce_listening()
    return subscription


@transaction.atomic
def resume_subscription(subscription: Subscription, *, now: datetime) -> Subscription:
    """Send to `subscription` again, starting with the deliveries that waited."""
    subscription.is_active = True
    subscription.paused_at = None
    subscription.paused_for_failures = False
    subscription.failure_count = 0
    subscription.save(
        update_fields=[
            "is_active",
            "paused_at",
            "paused_for_failures",
            "failure_count",
            "updated_at",
        ]
    )
    subscription.deliveries.filter(state=Delivery.State.PENDING).update(
        next_attempt_at=now
    )
    _announce_listening()
    return subscription


@transaction.atomic
def delete_subscription(subscription: Subscription) -> None:
    """Delete `subscription` and its delivery log."""
    subscription.delete()
    _announce_listening()


def send_test_event(subscription: Subscription, *, now: datetime) -> Delivery:
    """A "ping" delivery, sent once (even while paused) and not retried."""
    return Delivery.objects.create(
        subscription=subscription,
        event_type=PING,
        payload=payloads.ping_payload(now),
        next_attempt_at=now,
    )


def due_deliveries(now: datetime, limit: int = DUE_BATCH) -> list[int]:
    """Ids of deliveries due now that no sender holds, oldest first."""
    return list(
        Delivery.objects.filter(_due(now))
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )


def _due(now: datetime) -> Q:
    return (
        Q(state=Delivery.State.PENDING, next_attempt_at__lte=now)
        & (Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        & (Q(subscription__is_active=True) | Q(event_type=PING))
        # An attempt is counted when claimed, so one that never reported
        # back (a worker killed by the time limit) still uses one up.
        & Q(attempts__lt=retries.MAX_ATTEMPTS)
    )


def deliver(delivery_id: int, *, now: datetime) -> float | None:
    """Make one attempt at a delivery if it is due and no other sender holds
    it; record the outcome. Return the seconds until the next attempt when
    it failed and will be tried again, else None."""
    claimed = Delivery.objects.filter(Q(pk=delivery_id) & _due(now)).update(
        claimed_until=now + CLAIM_LEASE, attempts=F("attempts") + 1
    )
    if not claimed:
        return None
    delivery = Delivery.objects.select_related("subscription").get(pk=delivery_id)
    outcome = attempt(delivery)
    return record_outcome(delivery, outcome, now=now)


def attempt(delivery: Delivery) -> sending.Outcome:
    """Check the URL again (its DNS may have changed), sign the body and POST
    it to the address checked."""
    subscription = delivery.subscription
    try:
        target = check_url(
            subscription.url, allow_private=settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS
        )
    except UnsafeURL as error:
        return sending.Outcome(None, str(error), 0)
    body = payloads.body(str(delivery.event_id), delivery.payload)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Helpdesk-Webhooks/1",
        SIGNATURE_HEADER: signature_header(subscription.secret, int(time.time()), body),
        EVENT_ID_HEADER: str(delivery.event_id),
        EVENT_TYPE_HEADER: delivery.event_type,
    }
    return sending.post(target, body, headers, timeout=settings.WEBHOOK_TIMEOUT_SECONDS)


@transaction.atomic
def record_outcome(
    delivery: Delivery, outcome: sending.Outcome, *, now: datetime
) -> float | None:
    """Write an attempt's outcome on the delivery and its subscription; pause
    the subscription (and tell its owner, once) after too many failures in a
    row. `delivery` is as claimed, its attempt already counted. Return the
    seconds until the next attempt, if there will be one."""
    fields = {
        "last_attempt_at": now,
        "response_code": outcome.status,
        "error": outcome.error[:500],
        "duration_ms": outcome.duration_ms,
        "claimed_until": None,
    }
    delay = None
    if outcome.ok:
        fields |= {"state": Delivery.State.DELIVERED, "delivered_at": now}
        fields["next_attempt_at"] = None
    elif delivery.is_ping or retries.gives_up(delivery.attempts):
        fields |= {"state": Delivery.State.FAILED, "next_attempt_at": None}
    else:
        delay = retries.retry_delay(delivery.attempts)
        fields["next_attempt_at"] = now + timedelta(seconds=delay)
    # An update, not save(): the subscription may have been deleted meanwhile.
    Delivery.objects.filter(pk=delivery.pk).update(**fields)
    if delivery.is_ping:
        return None
    subscriptions = Subscription.objects.filter(pk=delivery.subscription_id)
    if outcome.ok:
        subscriptions.update(failure_count=0, last_success_at=now)
        return None
    subscriptions.update(failure_count=F("failure_count") + 1, last_failure_at=now)
    paused = subscriptions.filter(
        is_active=True, failure_count__gte=settings.WEBHOOK_PAUSE_AFTER_FAILURES
    ).update(is_active=False, paused_at=now, paused_for_failures=True)
    if paused:
        subscription_id = delivery.subscription_id
        transaction.on_commit(lambda: notices.send_paused_notice(subscription_id))
        _announce_listening()
        log.warning("Webhook subscription %s paused after failures", subscription_id)
    return delay
