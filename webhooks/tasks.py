"""Celery tasks of webhooks: thin, named for their effect."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from helpdesk import background

from . import outbox, services

log = logging.getLogger(__name__)


@shared_task(acks_late=True, soft_time_limit=50, time_limit=60)
def relay_ticket_events() -> int:
    """Turn new ticket events into deliveries, then start the ones due."""
    made = outbox.relay_events(timezone.now())
    _start_due()
    return made


@shared_task(acks_late=True, soft_time_limit=50, time_limit=60)
def send_due_deliveries() -> int:
    """Start a sender for each delivery due now (retries whose message the
    broker lost, deliveries waiting for a resumed subscription)."""
    return _start_due()


def _start_due() -> int:
    due = services.due_deliveries(timezone.now())
    for delivery_id in due:
        background.start(send_delivery, delivery_id)
    return len(due)


@shared_task(acks_late=True, soft_time_limit=30, time_limit=45)
def send_delivery(delivery_id: int) -> None:
    """One attempt at a delivery; a failure is tried again later with an
    exponential, jittered delay (the beat's sender also finds it when due)."""
    delay = services.deliver(delivery_id, now=timezone.now())
    if delay is None:
        return
    try:
        send_delivery.apply_async((delivery_id,), countdown=delay)
    except Exception as error:  # noqa: BLE001 - any broker failure: the beat sends it
        log.warning("Could not schedule webhook retry %s (%r)", delivery_id, error)
