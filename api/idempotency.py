"""Idempotency keys on ticket creation: a POST retried with the same
`Idempotency-Key` by the same user returns the ticket the first one opened,
for a day; the key sent with a different request is refused."""

import hashlib
import json
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from tickets.models import Ticket

from .models import IdempotencyKey

# How long a key is remembered: retries come within minutes, not days.
KEY_TTL = timedelta(hours=24)
MAX_KEY_LENGTH = 255


class KeyReused(Exception):
    """The key was used by this user for a different request."""


def fingerprint(data) -> str:
    """A digest of a request's content, to tell a retry from another request."""
    text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def ticket_for_key(user, key: str, *, digest: str, now) -> Ticket | None:
    """The ticket opened earlier by `user` with `key`, if any and not expired;
    KeyReused when that request differed from this one."""
    IdempotencyKey.objects.filter(
        user=user, key=key, created_at__lt=now - KEY_TTL
    ).delete()
    stored = IdempotencyKey.objects.filter(user=user, key=key).first()
    if stored is None:
        return None
    if stored.fingerprint != digest:
        raise KeyReused
    return stored.ticket


def forget_old_keys(*, now) -> int:
    """Delete every key older than KEY_TTL; how many."""
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=now - KEY_TTL).delete()
    return deleted


def create_once(user, key: str | None, *, digest: str, create) -> tuple[Ticket, bool]:
    """`create()` a ticket unless `key` already has one; (ticket, created).

    The ticket and its key are written in one transaction: of two requests
    racing with the same key, the second fails on the unique key, rolls its
    ticket back, and returns the first one's."""
    now = timezone.now()
    if key:
        earlier = ticket_for_key(user, key, digest=digest, now=now)
        if earlier is not None:
            return earlier, False
    try:
        with transaction.atomic():
            ticket = create()
            if key:
                IdempotencyKey.objects.create(
                    user=user, key=key, fingerprint=digest, ticket=ticket
                )
    except IntegrityError:
        if not key:
            raise
        earlier = ticket_for_key(user, key, digest=digest, now=now)
        if earlier is None:
            raise
        return earlier, False
    return ticket, True
