"""Large, realistic ticket volumes for benchmarks (`manage.py seed_volume`).

Rows are generated in plain Python from precomputed pools and written in
batches: COPY on PostgreSQL (a million tickets in about two minutes), executemany
on SQLite. Every batch is its own transaction, so an interrupted run leaves
whole tickets behind and the ticket-number counters stay consistent.
"""

import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from customers.models import Customer
from demo.volume_customers import CUSTOMER_COLUMNS, customer_rows
from demo.volume_plan import CUSTOMERS_PER_TICKET, TimeSlots
from demo.volume_reference import prepare_reference
from demo.volume_sla import CLOCK_COLUMNS, MILESTONE_COLUMNS, SLA_EVENT_COLUMNS
from demo.volume_text import Pools
from demo.volume_tickets import (
    EVENT_COLUMNS,
    MESSAGE_COLUMNS,
    TICKET_COLUMNS,
    TicketFactory,
)
from demo.volume_writers import reserve_ids, write_rows
from sla.models import SLAClock, SLAMilestone
from tickets.models import (
    Message,
    Ticket,
    TicketEvent,
    format_ticket_number,
    reserve_ticket_numbers,
)


@dataclass
class Totals:
    """Rows added by one run, and how long it took."""

    customers: int = 0
    tickets: int = 0
    messages: int = 0
    events: int = 0
    clocks: int = 0
    milestones: int = 0
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        """All rows written."""
        return (
            self.customers
            + self.tickets
            + self.messages
            + self.events
            + self.clocks
            + self.milestones
        )


def _numbers(times: Sequence[float], zone: ZoneInfo) -> list[str]:
    """Reference numbers for tickets received at `times`, reserved per year."""
    years = [datetime.fromtimestamp(moment, zone).year for moment in times]
    values = {}
    for year in sorted(set(years)):
        values[year] = iter(reserve_ticket_numbers(year, years.count(year)))
    return [format_ticket_number(year, next(values[year])) for year in years]


def seed_volume(
    tickets: int,
    *,
    seed: int | None = None,
    batch: int = 25_000,
    progress: Callable[[str], None] = print,
) -> Totals:
    """Add `tickets` tickets with customers, messages and events; return counts."""
    rng = random.Random(seed)
    zone = ZoneInfo(settings.TIME_ZONE)
    now = timezone.now().timestamp()
    totals = Totals()
    started = time.perf_counter()
    with transaction.atomic():
        ref = prepare_reference()
    pools = Pools(rng)
    slots = TimeSlots(now, zone)
    factory = TicketFactory(rng, ref, pools, now)

    customers = max(1, round(tickets * CUSTOMERS_PER_TICKET))
    for offset in range(0, customers, batch):
        count = min(batch, customers - offset)
        with transaction.atomic():
            ids = reserve_ids(Customer, count)
            rows, arabic, kinds = customer_rows(rng, ids, ref, slots.start)
            write_rows(Customer, CUSTOMER_COLUMNS, rows)
        factory.add_customers(ids, arabic, kinds)
        totals.customers += count
    progress(f"{totals.customers:,} customers")

    parts = math.ceil(tickets / batch)
    for part in range(parts):
        count = min(batch, tickets - part * batch)
        times = slots.draw(rng, count, part, parts)
        # Reserved before the batch's transaction, which would otherwise hold
        # the year's counter row (and every new ticket of the app) until it
        # commits. A failed batch only leaves a gap in the numbers.
        numbers = _numbers(times, zone)
        with transaction.atomic():
            ids = reserve_ids(Ticket, count)
            ticket_rows, message_rows, event_rows = factory.rows(ids, numbers, times)
            clock_rows, milestone_rows, sla_rows = factory.sla.take(
                reserve_ids(SLAClock, len(factory.sla.clocks)),
                reserve_ids(SLAMilestone, len(factory.sla.milestones)),
            )
            write_rows(Ticket, TICKET_COLUMNS, ticket_rows)
            write_rows(Message, MESSAGE_COLUMNS, message_rows)
            write_rows(TicketEvent, EVENT_COLUMNS, event_rows)
            write_rows(SLAClock, CLOCK_COLUMNS, clock_rows)
            write_rows(SLAMilestone, MILESTONE_COLUMNS, milestone_rows)
            write_rows(TicketEvent, SLA_EVENT_COLUMNS, sla_rows)
        totals.tickets += count
        totals.messages += len(message_rows)
        totals.events += len(event_rows) + len(sla_rows)
        totals.clocks += len(clock_rows)
        totals.milestones += len(milestone_rows)
        elapsed = time.perf_counter() - started
        progress(
            f"{totals.tickets:,}/{tickets:,} tickets, {totals.messages:,} messages "
            f"({totals.rows / elapsed:,.0f} rows/s)"
        )

    if connection.vendor == "postgresql":
        # As autovacuum would soon: statistics, hint bits and the visibility
        # map, so the first benchmark does not pay for them. VACUUM cannot
        # run inside a transaction (as in tests); ANALYZE alone can.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        tables = (Customer, Ticket, Message, TicketEvent, SLAClock, SLAMilestone)
        with connection.cursor() as cursor:
            for model in tables:
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"{command} {table}")
    totals.seconds = time.perf_counter() - started
    return totals
