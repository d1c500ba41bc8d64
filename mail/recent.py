"""What intake already knows before it stores a message: whether this
message was taken in before, how much its sender sent this last hour (the
loop cap), and which addresses are our own."""

from __future__ import annotations

import hashlib
import time
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .addresses import normalise_address
from .models import InboundEmail, Mailbox
from .parsing import ParsedEmail

Outcome = InboundEmail.Outcome


def content_hash(parsed: ParsedEmail) -> str:
    """What makes two copies of a message without a Message-ID the same."""
    digest = hashlib.sha256()
    for part in (parsed.from_address, parsed.subject, parsed.text):
        digest.update(part.encode("utf-8", "replace") + b"\0")
    return digest.hexdigest()


# (monotonic time read, addresses): see own_addresses.
_own: tuple[float, frozenset[str]] | None = None


def own_addresses() -> frozenset[str]:
    """Our addresses: mail from them is our own, come back.

    Kept in the process for EMAIL_OWN_ADDRESSES_CACHE_SECONDS, like the SLA
    policies: every message asks, and mailboxes are rarely added."""
    global _own
    ttl = settings.EMAIL_OWN_ADDRESSES_CACHE_SECONDS
    if _own is None or ttl <= 0 or time.monotonic() - _own[0] >= ttl:
        addresses = set(Mailbox.objects.values_list("email_address", flat=True))
        addresses |= {settings.DEFAULT_FROM_EMAIL, settings.SERVER_EMAIL}
        _own = (
            time.monotonic(),
            frozenset(normalise_address(a) for a in addresses if a),
        )
    return _own[1]


def _taken_from(sender: str):
    since = timezone.now() - timedelta(hours=1)
    return InboundEmail.objects.filter(
        sender=sender[:255],
        created_at__gte=since,
        outcome__in=[Outcome.CREATED, Outcome.THREADED],
    )


def look_back(parsed: ParsedEmail, digest: str) -> tuple[InboundEmail | None, int]:
    """The earlier copy of this message that was taken in, if any, and how
    many messages the sender had taken in this
    last hour (counted up to the cap), in one round trip: every message
    asks both, and nearly every message is new."""
    cap = settings.EMAIL_SENDER_HOURLY_CAP
    taken = _taken_from(parsed.from_address).values("pk")[: max(cap, 1)]
    taken_sql, taken_params = taken.query.sql_with_params()
    if parsed.message_id:
        earlier = InboundEmail.objects.filter(
            dedupe_key=f"mid:{parsed.message_id}"[:300]
        )
    else:
        window = timezone.now() - timedelta(hours=settings.EMAIL_DUPLICATE_WINDOW_HOURS)
        earlier = InboundEmail.objects.filter(
            sender=parsed.from_address[:255],
            content_hash=digest,
            created_at__gte=window,
            outcome__in=[Outcome.CREATED, Outcome.THREADED],
        )
    earlier_sql, earlier_params = earlier.values("pk")[:1].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT ({earlier_sql}), (SELECT count(*) FROM ({taken_sql}) AS taken)",
            (*earlier_params, *taken_params),
        )
        earlier_pk, count = cursor.fetchone()
    if earlier_pk is None:
        return None, count
    return InboundEmail.objects.only("ticket").get(pk=earlier_pk), count
