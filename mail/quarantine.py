"""What an administrator does with a quarantined email: take it in again
after a fix (a raised limit, a new queue), or throw it away."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .intake import Result, ingest
from .models import InboundEmail, QuarantinedEmail

Resolution = QuarantinedEmail.Resolution


def reprocess(item: QuarantinedEmail, *, by) -> Result:
    """Run the kept message through intake again; the item is resolved
    unless it is quarantined again (a fresh item then holds it)."""
    with item.raw.open("rb") as handle:
        raw = handle.read()
    result = ingest(raw, mailbox=item.mailbox, source=InboundEmail.Source.QUARANTINE)
    _resolve(item, Resolution.REPROCESSED, by=by)
    return result


@transaction.atomic
def discard(item: QuarantinedEmail, *, by) -> None:
    """Drop the kept bytes; the row stays as the record of what was thrown
    away, by whom and when."""
    _resolve(item, Resolution.DISCARDED, by=by)
    item.raw.delete(save=False)
    item.save(update_fields=["raw"])


def _resolve(item: QuarantinedEmail, resolution: str, *, by) -> None:
    item.resolution = resolution
    item.resolved_at = timezone.now()
    item.resolved_by = by
    item.save(update_fields=["resolution", "resolved_at", "resolved_by"])
