"""A bounce of our own mail: the email it returns is marked bounced on its
ticket, with a note for the agents, and the agent who should act is told."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tickets import services
from tickets.delivery import report_undelivered
from tickets.models import CustomerEmail

REASON_LENGTH = 2000


def _bracketed(message_id: str) -> str:
    return f"<{message_id.strip().strip('<>')}>"


@transaction.atomic
def record_bounce(message_ids: Iterable[str], reason: str) -> list[CustomerEmail]:
    """Mark the customer emails with these Message-IDs bounced, note it on
    their tickets and notify their agents; return the emails marked. An email
    bounced twice is marked, noted and notified once."""
    wanted = {_bracketed(i) for i in message_ids if i.strip().strip("<>")}
    if not wanted:
        return []
    reason = reason.strip()[:REASON_LENGTH]
    candidates = (
        CustomerEmail.objects.filter(email_message_id__in=wanted, bounced_at=None)
        .select_related("ticket__assignee", "ticket__queue", "message__author")
        .order_by("id")
    )
    now = timezone.now()
    bounced = []
    for email in candidates:
        # Conditional, so two copies of one bounce taken in at once mark it once.
        if not CustomerEmail.objects.filter(pk=email.pk, bounced_at=None).update(
            bounced_at=now, bounce_reason=reason
        ):
            continue
        email.bounced_at, email.bounce_reason = now, reason
        bounced.append(email)
        if email.ticket_id is not None:
            _tell_the_agents(email, reason)
    return bounced


def _tell_the_agents(email: CustomerEmail, reason: str) -> None:
    # Notes and history are stored text that every agent reads: they are
    # written in the department's language.
    with translation.override(settings.LANGUAGE_CODE):
        reason = reason or _("no reason given")
        text = _("The email to %(address)s was returned undelivered: %(reason)s") % {
            "address": email.to_email,
            "reason": reason,
        }
    services.add_note(email.ticket, body_text=text, by=None)
    report_undelivered(email, reason)
