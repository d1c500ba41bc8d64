"""Celery tasks: thin, named for their effect."""

import logging

from celery import shared_task
from django.core.management import call_command
from django.utils import timezone

from helpdesk import background, event_relay
from sla.sweep import run_sweep

from . import emails, notifications

log = logging.getLogger(__name__)

# Outbox senders: retried with backoff for as long as SMTP is unreachable
# (OSError covers refused connections and timeouts); a retry sends only the
# rows the outbox has not marked sent.
OUTBOX_TASK = {
    "acks_late": True,
    "autoretry_for": (OSError,),
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "max_retries": None,
    "soft_time_limit": 300,
    "time_limit": 330,
}


@shared_task
def clear_expired_sessions() -> None:
    """Delete expired sessions so the session table stays small."""
    call_command("clearsessions")


@shared_task(acks_late=True, soft_time_limit=50)
def sla_sweep() -> str:
    """Record SLA warnings and breaches that came due, then send their emails."""
    result = run_sweep(timezone.now())
    log.info("%s", result)
    # The sweep writes its history in SQL, past the verbs' wake-up call.
    if result.warnings or result.breaches:
        event_relay.events_written()
    # Also picks up emails a crashed sender or an absent broker left behind.
    if notifications.has_pending_emails():
        background.start(send_notification_emails)
    return str(result)


@shared_task(**OUTBOX_TASK)
def send_notification_emails() -> int:
    """Send the outbox of notification emails; retried while SMTP fails."""
    return notifications.send_pending_emails(timezone.now())


@shared_task(**OUTBOX_TASK)
def send_customer_emails() -> int:
    """Send the outbox of emails to customers; retried while SMTP fails."""
    return emails.send_pending()
