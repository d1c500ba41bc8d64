"""The relay: new ticket history turned into webhook deliveries, set-based.

The ticket verbs know nothing of webhooks: they write `TicketEvent` rows as
always. The relay reads the rows past its cursor in id order, a batch per
query, maps each to a webhook event (webhooks/events.py), and writes one
`Delivery` per interested subscription whose owner may see the ticket.

Ids are handed out when a row is inserted, not when its transaction commits,
so a row with a smaller id can become visible after a larger one. The cursor
therefore stays behind events younger than `SETTLE` and reads them again next
time; a delivery is unique per (subscription, event), so a second reading
writes nothing twice. A transaction that writes history and stays open longer
than `SETTLE` (none does: requests and tasks end within a minute and a half)
could have an event skipped.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max

from helpdesk import event_relay
from tickets.models import Message, Ticket, TicketEvent

from .events import event_type
from .models import Delivery, RelayCursor, Subscription
from .payloads import event_payload

CURSOR = "ticket-events"
BATCH_SIZE = 500
# One run, one transaction, at most this many batches: a backlog (after the
# workers were down) is worked off over several runs, each well inside the
# task's time limit, instead of one that never finishes.
MAX_BATCHES = 40
SETTLE = timedelta(minutes=2)

_EVENT_COLUMNS = (
    "id",
    "ticket_id",
    "action",
    "old_value",
    "new_value",
    "sla_target",
    "message_id",
    "actor__username",
    "created_at",
)


def relay_events(now: datetime) -> int:
    """Write the deliveries owed for ticket events since the last run; return
    how many were written. Another relay running at the same time makes this
    one return 0 at once."""
    subscriptions = list(Subscription.objects.active().select_related("owner"))
    event_relay.set_listening(bool(subscriptions))
    with transaction.atomic():
        cursor = _claim_cursor(subscriptions)
        if cursor is None:
            return 0
        if not subscriptions:
            # Nobody listens: nothing owed, and a subscription made later
            # starts from its own creation anyway.
            latest = TicketEvent.objects.aggregate(latest=Max("id"))["latest"] or 0
            cursor.position = max(cursor.position, latest)
            cursor.save(update_fields=["position", "updated_at"])
            return 0
        made = 0
        read_from = cursor.position
        settled = True
        for _ in range(MAX_BATCHES):
            rows = list(
                TicketEvent.objects.filter(id__gt=read_from)
                .order_by("id")
                .values(*_EVENT_COLUMNS)[:BATCH_SIZE]
            )
            if not rows:
                break
            made += _deliveries_for(rows, subscriptions)
            for row in rows:
                settled = settled and row["created_at"] <= now - SETTLE
                if settled:
                    cursor.position = row["id"]
            read_from = rows[-1]["id"]
            if len(rows) < BATCH_SIZE:
                break
        cursor.save(update_fields=["position", "updated_at"])
    return made


def _claim_cursor(subscriptions: list[Subscription]) -> RelayCursor | None:
    """The cursor row, locked for this transaction; None when another relay
    holds it. Made the first time where the oldest subscription starts, or
    at the end of the history."""
    cursor = (
        RelayCursor.objects.select_for_update(skip_locked=True)
        .filter(name=CURSOR)
        .first()
    )
    if cursor is None and not RelayCursor.objects.filter(name=CURSOR).exists():
        if subscriptions:
            start = min(s.after_event_id for s in subscriptions)
        else:
            start = TicketEvent.objects.aggregate(latest=Max("id"))["latest"] or 0
        RelayCursor.objects.get_or_create(name=CURSOR, defaults={"position": start})
        cursor = RelayCursor.objects.select_for_update().get(name=CURSOR)
    return cursor


def _deliveries_for(rows: list[dict], subscriptions: list[Subscription]) -> int:
    """Write the deliveries owed for one batch of history rows, in a fixed
    number of queries whatever the batch size (one per subscription owner for
    who may see which ticket)."""
    wanted: list[tuple[dict, str, Subscription]] = []
    for row in rows:
        kind = event_type(row["action"], row["old_value"], row["new_value"])
        if kind is None:
            continue
        for subscription in subscriptions:
            if kind in subscription.events and row["id"] > subscription.after_event_id:
                wanted.append((row, kind, subscription))
    if not wanted:
        return 0
    already = set(
        Delivery.objects.filter(
            ticket_event_id__in={row["id"] for row, _, _ in wanted}
        ).values_list("subscription_id", "ticket_event_id")
    )
    wanted = [w for w in wanted if (w[2].pk, w[0]["id"]) not in already]
    if not wanted:
        return 0
    visible = _visible_tickets(wanted)
    wanted = [w for w in wanted if w[0]["ticket_id"] in visible[w[2].owner_id]]
    if not wanted:
        return 0
    tickets = Ticket.objects.select_related(
        "queue", "assignee", "category", "customer"
    ).in_bulk({row["ticket_id"] for row, _, _ in wanted})
    messages = Message.objects.select_related("author").in_bulk(
        {row["message_id"] for row, _, _ in wanted if row["message_id"]}
    )
    payloads: dict[int, dict] = {}
    deliveries = []
    for row, kind, subscription in wanted:
        ticket = tickets.get(row["ticket_id"])
        if ticket is None:  # deleted since
            continue
        if row["id"] not in payloads:
            payloads[row["id"]] = event_payload(
                event_type=kind,
                occurred_at=row["created_at"],
                ticket=ticket,
                old_value=row["old_value"],
                new_value=row["new_value"],
                sla_target=row["sla_target"],
                actor=row["actor__username"],
                message=messages.get(row["message_id"]),
            )
        deliveries.append(
            Delivery(
                subscription=subscription,
                ticket_event_id=row["id"],
                event_type=kind,
                ticket_number=ticket.number,
                payload=payloads[row["id"]],
                next_attempt_at=row["created_at"],
            )
        )
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    return len(deliveries)


def _visible_tickets(wanted) -> dict[int, set[int]]:
    """For each subscription owner, which of the batch's tickets they may see
    on the web: a subscription never tells more than its owner could read."""
    by_owner: dict[int, tuple] = {}
    ticket_ids: dict[int, set[int]] = defaultdict(set)
    for row, _, subscription in wanted:
        by_owner[subscription.owner_id] = subscription.owner
        ticket_ids[subscription.owner_id].add(row["ticket_id"])
    return {
        owner_id: set(
            Ticket.objects.visible_to(owner)
            .filter(pk__in=ticket_ids[owner_id])
            .values_list("pk", flat=True)
        )
        for owner_id, owner in by_owner.items()
    }
