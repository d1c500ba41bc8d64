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


# Urgency order: due_at ascending with tickets without a running clock last,
# then id. The cursor of a row without a due time says so with "-".
NO_DUE = "-"


def encode_urgency_cursor(due_at: datetime | None, pk: int) -> str:
    moment = due_at.isoformat() if due_at is not None else NO_DUE
    return base64.urlsafe_b64encode(f"{moment}|{pk}".encode()).decode().rstrip("=")


def decode_urgency_cursor(cursor: str) -> tuple[datetime | None, int]:
    """Raise ValueError when the cursor was not made by `encode_urgency_cursor`."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        moment, pk = base64.urlsafe_b64decode(padded).decode().split("|")
        due = None if moment == NO_DUE else datetime.fromisoformat(moment)
        pk = int(pk)
    except (ValueError, UnicodeDecodeError) as error:
        raise ValueError("bad cursor") from error
    if due is not None and due.tzinfo is None:
        raise ValueError("bad cursor")
    return due, pk


def most_urgent_first(
    queryset: QuerySet, cursor: str | None, size: int, *, undated: bool = True
) -> KeysetPage:
    """One page of `queryset` in urgency order: (due_at nulls last, id).

    Each query is a range scan of the (due_at, id) index from the cursor: rows
    with a due time first, then, once they run out, the rows without one.
    `undated=False` says `queryset` has none of those (an SLA-state filter),
    which spares a query that would scan every undated row to find nothing.
    """
    due, pk = decode_urgency_cursor(cursor) if cursor else (None, None)
    rows: list = []
    if cursor is None or due is not None:
        dated = queryset.filter(due_at__isnull=False)
        if due is not None:
            dated = dated.filter(due_at__gte=due).filter(
                Q(due_at__gt=due) | Q(due_at=due, pk__gt=pk)
            )
        rows = list(dated.order_by("due_at", "pk")[: size + 1])
    if undated and len(rows) <= size:
        rest = queryset.filter(due_at__isnull=True)
        if due is None and pk is not None:
            rest = rest.filter(pk__gt=pk)
        rows += list(rest.order_by("pk")[: size + 1 - len(rows)])
    if len(rows) <= size:
        return KeysetPage(rows, None)
    rows = rows[:size]
    return KeysetPage(rows, encode_urgency_cursor(rows[-1].due_at, rows[-1].pk))
