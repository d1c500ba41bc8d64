"""Keyset pagination for long ticket lists: constant cost at any depth."""

import base64
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet


@dataclass
class KeysetPage:
    rows: list
    next_cursor: str | None


def encode_cursor(received_at: datetime, pk: int) -> str:
    raw = f"{received_at.isoformat()}|{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """Raise ValueError when the cursor was not made by `encode_cursor`."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        received, pk = base64.urlsafe_b64decode(padded).decode().split("|")
        moment = datetime.fromisoformat(received)
    except (ValueError, UnicodeDecodeError) as error:
        raise ValueError("bad cursor") from error
    if moment.tzinfo is None:
        raise ValueError("bad cursor")
    return moment, int(pk)


def newest_first(queryset: QuerySet, cursor: str | None, size: int) -> KeysetPage:
    """One page of `queryset` ordered by received_at then id, newest first."""
    if cursor:
        received, pk = decode_cursor(cursor)
        # The redundant `received_at <= cursor` bound lets the database start
        # the index scan at the cursor instead of filtering from the top.
        queryset = queryset.filter(received_at__lte=received).filter(
            Q(received_at__lt=received) | Q(received_at=received, pk__lt=pk)
        )
    rows = list(queryset.order_by("-received_at", "-pk")[: size + 1])
    if len(rows) <= size:
        return KeysetPage(rows, None)
    rows = rows[:size]
    return KeysetPage(rows, encode_cursor(rows[-1].received_at, rows[-1].pk))
