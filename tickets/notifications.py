"""Staff notifications: the in-app list, and the email outbox that sends each
notification once.

The sweep writes notification rows in its transaction; a Celery task then
sends the emails. A sender claims a batch (`email_claimed_at`), sends, and
marks each row sent. A claim older than `CLAIM_LEASE` is taken over, so a
worker killed mid-batch delays those emails but never loses them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Notification

BATCH_SIZE = 100
CLAIM_LEASE = timedelta(minutes=5)


def claim_batch(now: datetime, size: int = BATCH_SIZE) -> list[Notification]:
    """Claim up to `size` unsent notifications nobody else is sending."""
    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(emailed_at__isnull=True)
            .filter(
                Q(email_claimed_at__isnull=True)
                | Q(email_claimed_at__lt=now - CLAIM_LEASE)
            )
            .order_by("id")
            .values_list("id", flat=True)[:size]
        )
        Notification.objects.filter(id__in=ids).update(email_claimed_at=now)
    return list(
        Notification.objects.filter(id__in=ids)
        .select_related("recipient", "ticket__customer", "ticket__queue", "event")
        .order_by("id")
    )


def render_email(notification: Notification) -> EmailMultiAlternatives:
    """The email for one notification, in the department's language."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "notification": notification,
            "ticket": notification.ticket,
            "event": notification.event,
            "recipient": notification.recipient,
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("emails/sla_notification_subject.txt", context)
        text = render_to_string("emails/sla_notification_body.txt", context)
        html = render_to_string("emails/sla_notification_body.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        to=[notification.recipient.email],
    )
    message.attach_alternative(html, "text/html")
    return message


def send_pending_emails(now: datetime) -> int:
    """Send every unsent notification email; return how many went out.

    An SMTP failure releases the batch's unsent claims and propagates, so the
    task retries and nothing is lost."""
    sent = 0
    while batch := claim_batch(now):
        unsent = {n.pk for n in batch}
        try:
            with get_connection() as connection:
                for notification in batch:
                    if notification.recipient.email:
                        connection.send_messages([render_email(notification)])
                        sent += 1
                    # Marked one by one: a crash after this resends nothing.
                    Notification.objects.filter(pk=notification.pk).update(
                        emailed_at=now
                    )
                    unsent.discard(notification.pk)
        finally:
            if unsent:
                Notification.objects.filter(pk__in=unsent).update(email_claimed_at=None)
    return sent


def notify_supervisors(ticket, *, event, kind: str) -> int:
    """Tell the ticket's queue supervisors about `event`; email after commit."""
    now = timezone.now()
    made = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user, ticket=ticket, event=event, kind=kind, created_at=now
            )
            for user in ticket.queue.supervisors.all()
        ],
        ignore_conflicts=True,
    )
    if made:
        from .tasks import send_notification_emails

        transaction.on_commit(send_notification_emails.delay)
    return len(made)


def has_pending_emails() -> bool:
    """Whether any notification still waits for its email."""
    return Notification.objects.filter(emailed_at__isnull=True).exists()
