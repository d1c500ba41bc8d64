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
import secrets
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

log = logging.getLogger(__name__)

BATCH_SIZE = 100
CLAIM_LEASE = timedelta(minutes=5)
# Ends the left-hand side of every Message-ID the helpdesk makes, so its own
# mail coming back (a bounce, a loop, a reply quoting it) is recognisable
# without a lookup, whichever mailbox it was sent from.
MESSAGE_ID_MARK = ".helpdesk"


def _message_id_domain() -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    return domain.lower() or "helpdesk.invalid"


def new_message_id(idstring: str | None = None) -> str:
    """A fresh RFC 5322 Message-ID in the site's domain (`idstring` makes it
    reproducible for a stored unique token)."""
    unique = idstring if idstring is not None else secrets.token_hex(16)
    return f"<{unique}{MESSAGE_ID_MARK}@{_message_id_domain()}>"


def is_own_message_id(message_id: str) -> bool:
    """Whether `message_id` is one `new_message_id` made."""
    left, at, domain = message_id.strip().strip("<>").rpartition("@")
    return (
        bool(at)
        and left.endswith(MESSAGE_ID_MARK)
        and (domain.lower() == _message_id_domain())
    )


def refusal(error: smtplib.SMTPException) -> tuple[str, bool] | None:
    """(reason, permanent) when the mail server refused this one email: for
    good on a 5xx reply to its recipient or its content, for now on a 4xx
    (greylisting, a full mailbox). None when the failure is the server's or
    the connection's, whatever the email (a lost connection, a refused
    sender, which are the site's settings)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused) and error.recipients:
        codes = [code for code, _ in error.recipients.values()]
        reason = "; ".join(
            f"{address}: {code} {_text(reply)}"
            for address, (code, reply) in error.recipients.items()
        )
        return reason, all(code >= 500 for code in codes)
    if isinstance(error, smtplib.SMTPDataError):
        reason = f"{error.smtp_code} {_text(error.smtp_error)}"
        return reason, error.smtp_code >= 500
    return None


def _text(reply: bytes | str) -> str:
    if isinstance(reply, bytes):
        return reply.decode("utf-8", "replace")
    return str(reply)


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
    # Told of each row the mail server refused for good, with the reason, in
    # the transaction that marks it failed.
    on_failed: Callable[[models.Model, str], None] | None = None

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
            except smtplib.SMTPException as error:
                refused = refusal(error)
                if refused is None:
                    raise  # the task retries the batch's unsent rows
                reason, permanent = refused
                log.warning("%s %s refused: %s", self.model.__name__, row.pk, reason)
                if not permanent:
                    # Left claimed: the beat tries it again once the claim's
                    # lease is over, and the rest of the batch goes out now.
                    return 0
                if self.failed_fields:
                    self._mark_failed(manager, row, reason)
                    return 0
        # Marked one by one: a crash between the send above and this mark
        # resends this row only, under the same Message-ID.
        self._mark_sent(manager, row)
        return delivered

    def _mark_failed(self, manager, row, reason: str) -> None:
        failed_at, message = self.failed_fields
        with transaction.atomic():
            # Conditional, so a row refused twice (a crash before the claim
            # was released) is reported once.
            marked = manager.filter(pk=row.pk, **{f"{failed_at}__isnull": True}).update(
                **{failed_at: timezone.now(), message: reason[:2000]}
            )
            if marked and self.on_failed is not None:
                self.on_failed(row, reason)

    def _mark_sent(self, manager, row) -> None:
        # Only while the row is still as this sender claimed it: a row
        # rewritten meanwhile (an SLA warning that became the breach) has
        # been released for its new email, which must not be marked sent.
        claimed = getattr(row, self.claimed_field)
        manager.filter(pk=row.pk, **{self.claimed_field: claimed}).update(
            **{self.sent_field: timezone.now()}
        )
