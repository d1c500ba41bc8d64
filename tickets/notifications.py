"""Staff notifications: the in-app list, and the email outbox that sends each
notification at least once.

The sweep writes notification rows in its transaction; a Celery task then
sends the emails through `tickets.outbox` (claim, send, mark sent). Each
email's Message-ID comes from the row (`email_uuid`), so one resent after a
crash is recognisably the same email.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from customers.preferences import wants_notification_email
from helpdesk import background

from .models import Notification
from .outbox import Outbox, new_message_id


def email_message_id(notification: Notification) -> str:
    """The notification email's Message-ID, the same on every resend."""
    return new_message_id(f"notification.{notification.email_uuid.hex}")


QUOTED_KINDS = (Notification.Kind.REPLY, Notification.Kind.MENTION)


def render_email(notification: Notification) -> EmailMultiAlternatives:
    """The email for one notification, in the department's language."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "notification": notification,
            "ticket": notification.ticket,
            "event": notification.event,
            "recipient": notification.recipient,
            "site_url": settings.SITE_URL,
            # The customer's reply and the note naming you are quoted, so the
            # email alone says what is asked.
            "quoted_kinds": QUOTED_KINDS,
        }
        subject = render_to_string("emails/sla_notification_subject.txt", context)
        text = render_to_string("emails/sla_notification_body.txt", context)
        html = render_to_string("emails/sla_notification_body.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        to=[notification.recipient.email],
        headers={"Message-ID": email_message_id(notification)},
    )
    message.attach_alternative(html, "text/html")
    return message


def _render(notification: Notification, now: datetime) -> EmailMultiAlternatives | None:
    # Nobody to send to, or someone who asked for in-app notifications only:
    # the row counts as done, so it is never retried.
    recipient = notification.recipient
    if not recipient.email or not wants_notification_email(recipient):
        return None
    return render_email(notification)


OUTBOX = Outbox(
    model=Notification,
    pending=Q(emailed_at__isnull=True),
    claimed_field="email_claimed_at",
    sent_field="emailed_at",
    render=_render,
    select_related=(
        "recipient__preference",
        "ticket__customer",
        "ticket__queue",
        "event__actor",
        "event__message",
    ),
)


def send_pending_emails(now: datetime) -> int:
    """Send every unsent notification email; return how many went out."""
    return OUTBOX.send_pending(now)


def notify(recipients, ticket, *, event, kind: str) -> int:
    """Tell each of `recipients` (users or their ids) about `event` on
    `ticket` (once per person and event); email them after the commit, unless
    they chose in-app only. Return how many were told."""
    now = timezone.now()
    made = Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=getattr(user, "pk", user),
                ticket=ticket,
                event=event,
                kind=kind,
                created_at=now,
            )
            for user in recipients
        ],
        ignore_conflicts=True,
    )
    if made:
        transaction.on_commit(
            lambda: background.start("tickets.tasks.send_notification_emails")
        )
    return len(made)


def notify_supervisors(ticket, *, event, kind: str) -> int:
    """Tell the ticket's queue supervisors about `event`; email after commit."""
    return notify(ticket.queue.supervisors.all(), ticket, event=event, kind=kind)


def has_pending_emails() -> bool:
    """Whether any notification still waits for its email."""
    return Notification.objects.filter(emailed_at__isnull=True).exists()
