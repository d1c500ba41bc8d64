"""Send rows of an email outbox at least once, whatever crashes in between.

A change that owes an email writes a row in its own transaction; a Celery
task then drains the outbox. A sender claims a batch (sets its claim time),
sends, and marks each row sent one by one. A claim older than `CLAIM_LEASE`
is taken over, so a worker killed mid-batch delays those emails but never
loses them; an SMTP failure releases the unsent claims and propagates, so the
task retries.

Delivery is at least once, not exactly once: sending and marking cannot be one
transaction, so a crash after the mail server accepted an email and before the
row is marked sent sends that email again. Every row therefore carries a
Message-ID fixed when the row was written, and each resend reuses it, so the
receiving side can recognise the copy as a duplicate.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

log = logging.getLogger(__name__)

BATCH_SIZE = 100
CLAIM_LEASE = timedelta(minutes=5)


def new_message_id(idstring: str | None = None) -> str:
    """A fresh RFC 5322 Message-ID in the sender's domain (`idstring` makes
    it reproducible for a stored unique token)."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    domain = domain or "helpdesk.invalid"
    if idstring is not None:
        return f"<{idstring}@{domain}>"
    return make_msgid(domain=domain)


@dataclass(frozen=True)
class Outbox:
    """Where an outbox keeps its rows and how one becomes an email."""

    model: type[models.Model]
    pending: Q
    claimed_field: str
    sent_field: str
    # Builds the email for a row at a time; None when there is nobody to send to.
    render: Callable[[models.Model, datetime], EmailMessage | None]
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    # Where a refused recipient is recorded: (time field, error field). Without
    # one, the row counts as done so it is not retried for ever.
    failed_fields: tuple[str, str] | None = None

    def claim_batch(self, now: datetime, size: int = BATCH_SIZE) -> list:
        """Claim up to `size` unsent rows nobody else is sending."""
        manager = self.model._default_manager
        unclaimed = Q(**{f"{self.claimed_field}__isnull": True}) | Q(
            **{f"{self.claimed_field}__lt": now - CLAIM_LEASE}
        )
        with transaction.atomic():
            ids = list(
                manager.select_for_update(skip_locked=True)
                .filter(self.pending)
                .filter(unclaimed)
                .order_by("id")
                .values_list("id", flat=True)[:size]
            )
            manager.filter(id__in=ids).update(**{self.claimed_field: now})
        return list(
            manager.filter(id__in=ids)
            .select_related(*self.select_related)
            .prefetch_related(*self.prefetch_related)
            .order_by("id")
        )

    def send_pending(self, now: datetime | None = None) -> int:
        """Send every unsent row; return how many emails went out."""
        manager = self.model._default_manager
        sent = 0
        while batch := self.claim_batch(now or timezone.now()):
            unsent = {row.pk for row in batch}
            try:
                with get_connection() as connection:
                    for row in batch:
                        sent += self._send(connection, row, manager)
                        unsent.discard(row.pk)
            finally:
                if unsent:
                    self._release(manager, unsent)
        return sent

    def _release(self, manager, ids: set[int]) -> None:
        manager.filter(pk__in=ids).update(**{self.claimed_field: None})

    def _send(self, connection, row, manager) -> int:
        email = self.render(row, timezone.now())
        delivered = 0
        if email is not None:
            try:
                connection.send_messages([email])
                delivered = 1
            except smtplib.SMTPRecipientsRefused as error:
                log.warning("%s %s refused: %s", self.model.__name__, row.pk, error)
                if self.failed_fields:
                    failed_at, message = self.failed_fields
                    manager.filter(pk=row.pk).update(
                        **{failed_at: timezone.now(), message: str(error)[:2000]}
                    )
                    return 0
        # Marked one by one: a crash between the send above and this mark
        # resends this row only, under the same Message-ID.
        self._mark_sent(manager, row)
        return delivered

    def _mark_sent(self, manager, row) -> None:
        manager.filter(pk=row.pk).update(**{self.sent_field: timezone.now()})
