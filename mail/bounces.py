"""Bounces of our own mail: the email marked returned on its ticket."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from tickets.models import CustomerEmail


@transaction.atomic
def record_bounce(message_ids: Iterable[str], reason: str) -> list[CustomerEmail]:
    """Mark the customer emails with these Message-IDs as failed (once)."""
    rows = list(
        CustomerEmail.objects.select_for_update().filter(
            email_message_id__in=list(message_ids), failed_at__isnull=True
        )
    )
    for row in rows:
        row.failed_at = timezone.now()
        row.error = reason[:2000]
        row.save(update_fields=["failed_at", "error"])
    return rows
