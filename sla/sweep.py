"""The SLA sweep: record every warning and breach that has come due, once.

Set-based: a fixed handful of SQL statements whatever the number of tickets.

1. Claim the pending milestones whose time has come, stamping them with this
   sweep's id (one UPDATE over a partial index of pending milestones). Two
   sweeps at once cannot claim the same row: the second waits for the first's
   row locks and then finds `reached_at` set.
2. Write one TicketEvent per claimed milestone. `TicketEvent.milestone` is
   unique, so even a repeated insert cannot record a warning twice.
3. Notify: the assignee of every warning and breach; the queue's supervisors of
   every breach, and of warnings on unassigned tickets. A clock owed by another
   queue (a memo) notifies that queue's supervisors of its warnings and breach
   instead, and the person who asked (`requested_by`) of the breach. One
   notification per person, clock and cycle, updated to the latest milestone
   (an upsert on the unique thread), so warnings collapse into one line.
4. Escalate breached VIP tickets and complaints, once each (a memo's breach is
   another queue's lateness and escalates nothing): priority up one
   step and, when their queue says so, reassigned to the least loaded of its
   supervisors (`choose_supervisor`), each change recorded as the verbs record
   it, and the SLA policy re-chosen for the new priority (see `_escalate`:
   the clock rules run per escalated ticket whose policy changes).

Everything happens in one transaction, so a worker killed midway leaves no
trace and the next sweep does the work. Emails go out afterwards from the
notification outbox (`tickets.notifications.send_pending_emails`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from customers.models import Customer, ServiceTier
from sla import clocks
from sla.config import sla_config
from sla.ledger import sql_details
from sla.models import SLAClock, SLAMilestone
from tickets.models import Notification, Queue, Ticket, TicketEvent
from tickets.permissions import SUPERVISORS

Action = TicketEvent.Action
URGENT = int(Ticket.Priority.URGENT)


@dataclass
class SweepResult:
    """What one sweep recorded."""

    at: datetime
    warnings: int = 0
    breaches: int = 0
    notifications: int = 0
    escalated: list[int] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"SLA sweep at {self.at.isoformat()}: {self.warnings} warning(s), "
            f"{self.breaches} breach(es), {self.notifications} notification(s), "
            f"{len(self.escalated)} escalation(s)"
        )


def table_names() -> dict[str, str]:
    """Quoted table names (and the JSON builder) the sweep's SQL uses."""
    quote = connection.ops.quote_name

    return {
        "milestone": quote(SLAMilestone._meta.db_table),
        "clock": quote(SLAClock._meta.db_table),
        "ticket": quote(Ticket._meta.db_table),
        "event": quote(TicketEvent._meta.db_table),
        "notification": quote(Notification._meta.db_table),
        "queue": quote(Queue._meta.db_table),
        "supervisors": quote(Queue.supervisors.through._meta.db_table),
        "customer": quote(Customer._meta.db_table),
        "tier": quote(ServiceTier._meta.db_table),
        "json": "json_build_object"
        if connection.vendor == "postgresql"
        else "json_object",
    }


def run_sweep(now: datetime) -> SweepResult:
    """Record the warnings and breaches due by `now`; return what was recorded."""
    result = SweepResult(at=now)
    sweep_id = uuid.uuid4()
    sweep = SLAMilestone._meta.get_field("sweep").get_db_prep_value(
        sweep_id, connection
    )
    db_now = connection.ops.adapt_datetimefield_value(now)
    t = table_names()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {t['milestone']} SET reached_at = %s, sweep = %s "
            "WHERE reached_at IS NULL AND at <= %s",
            [db_now, sweep, db_now],
        )
        if cursor.rowcount == 0:
            return result
        params = {"sweep": sweep, "now": db_now}
        milestone_details = sql_details(
            t["json"],
            cycle="m.cycle",
            percent="m.percent",
            due_at="c.due_at",
            milestone_at="m.at",
            reference="c.reference",
        )
        cursor.execute(
            f"""
            INSERT INTO {t["event"]} (ticket_id, actor_id, action, old_value,
                new_value, sla_target, details, milestone_id, message_id, created_at)
            SELECT c.ticket_id, NULL,
                   CASE WHEN m.percent = 100 THEN %(breach)s ELSE %(warning)s END,
                   '', CAST(m.percent AS TEXT), c.target,
                   {milestone_details},
                   m.id, NULL, %(now)s
            FROM {t["milestone"]} m JOIN {t["clock"]} c ON c.id = m.clock_id
            WHERE m.sweep = %(sweep)s
            ORDER BY m.at, m.percent
            ON CONFLICT (milestone_id) DO NOTHING
            """,
            params | {"breach": Action.SLA_BREACH, "warning": Action.SLA_WARNING},
        )
        # A memo past its due time is also a line of the ticket's history:
        # "memo MEMO-… to Billing is overdue".
        cursor.execute(
            f"""
            INSERT INTO {t["event"]} (ticket_id, actor_id, action, old_value,
                new_value, sla_target, details, milestone_id, message_id, created_at)
            SELECT c.ticket_id, NULL, %(memo_event)s, '', c.reference, '',
                   {t["json"]}('event', 'overdue', 'number', c.reference,
                               'queue', q.name, 'queue_ar', q.name_ar),
                   NULL, NULL, %(now)s
            FROM {t["milestone"]} m JOIN {t["clock"]} c ON c.id = m.clock_id
            JOIN {t["queue"]} q ON q.id = c.queue_id
            WHERE m.sweep = %(sweep)s AND m.percent = 100 AND c.target = %(memo)s
            ORDER BY m.at, c.id
            """,
            params | {"memo": SLAClock.Target.MEMO, "memo_event": Action.MEMO},
        )
        cursor.execute(
            f"""
            SELECT SUM(CASE WHEN percent = 100 THEN 1 ELSE 0 END), COUNT(*)
            FROM {t["milestone"]} WHERE sweep = %(sweep)s
            """,
            params,
        )
        breaches, claimed = cursor.fetchone()
        result.breaches = int(breaches or 0)
        result.warnings = int(claimed) - result.breaches
        # One notification per person, clock and cycle ("thread"), updated
        # to the latest milestone and unread again: a clock's 50/75/90 % and
        # breach are one line in the list, not four. Its email goes out for
        # the first warning and again for the breach (fresh Message-ID, or
        # the mail program would drop it as a copy); a later warning only
        # updates the row. A sweep that claimed several milestones of one
        # cycle (it ran late) writes only the latest, as one statement may
        # not update a row twice.
        thread = "'sla:' || CAST(c.id AS TEXT) || ':' || CAST(m.cycle AS TEXT)"
        # A warning keeps the row's email state; the breach sends afresh.
        on_breach = {
            column: f"CASE WHEN excluded.kind = %(warning)s "
            f"THEN {t['notification']}.{column} ELSE {fresh} END"
            for column, fresh in [
                ("emailed_at", "NULL"),
                ("email_claimed_at", "NULL"),
                ("email_uuid", "excluded.email_uuid"),
            ]
        }
        notify = f"""
            INSERT INTO {t["notification"]} (recipient_id, ticket_id, event_id,
                kind, thread, created_at, read_at, email_claimed_at, emailed_at)
            SELECT {{recipient}}, e.ticket_id, e.id,
                   CASE WHEN m.percent = 100 THEN %(breach)s ELSE %(warning)s END,
                   {thread}, %(now)s, NULL, NULL, NULL
            FROM {t["event"]} e
            JOIN {t["milestone"]} m ON m.id = e.milestone_id
            JOIN {t["clock"]} c ON c.id = m.clock_id
            JOIN {t["ticket"]} tk ON tk.id = e.ticket_id
            {{join}}
            WHERE m.sweep = %(sweep)s AND {{condition}}
              AND NOT EXISTS (
                SELECT 1 FROM {t["milestone"]} later
                WHERE later.sweep = m.sweep AND later.clock_id = m.clock_id
                  AND later.cycle = m.cycle AND later.percent > m.percent)
            ON CONFLICT (recipient_id, thread) DO UPDATE SET
                event_id = excluded.event_id, kind = excluded.kind,
                created_at = excluded.created_at, read_at = NULL,
                emailed_at = {on_breach["emailed_at"]},
                email_claimed_at = {on_breach["email_claimed_at"]},
                email_uuid = {on_breach["email_uuid"]}
        """
        kinds = params | {
            "breach": Notification.Kind.BREACH,
            "warning": Notification.Kind.WARNING,
        }
        # A clock owed by another queue (a memo) is that queue's business:
        # its supervisors hear of each warning and breach, not the ticket's
        # assignee; whoever sent the memo hears that it is overdue.
        cursor.execute(
            notify.format(
                recipient="tk.assignee_id",
                join="",
                condition="tk.assignee_id IS NOT NULL AND c.queue_id IS NULL",
            ),
            kinds,
        )
        result.notifications += max(cursor.rowcount, 0)
        cursor.execute(
            notify.format(
                recipient="s.user_id",
                join=f"JOIN {t['supervisors']} s "
                "ON s.queue_id = COALESCE(c.queue_id, tk.queue_id)",
                condition="(m.percent = 100 OR tk.assignee_id IS NULL "
                "OR c.queue_id IS NOT NULL)",
            ),
            kinds,
        )
        result.notifications += max(cursor.rowcount, 0)
        cursor.execute(
            notify.format(
                recipient="c.requested_by_id",
                join="",
                condition="m.percent = 100 AND c.requested_by_id IS NOT NULL",
            ),
            kinds | {"breach": Notification.Kind.MEMO},
        )
        result.notifications += max(cursor.rowcount, 0)
        ids = _tickets_to_escalate(cursor, t, params)
        if ids:
            result.escalated, notified = _escalate(ids, now=now, sweep=str(sweep_id))
            result.notifications += notified
    return result


def _tickets_to_escalate(cursor, t: dict[str, str], params: dict) -> list[int]:
    """The VIP tickets and complaints this sweep found breached."""
    cursor.execute(
        f"""
        SELECT DISTINCT tk.id FROM {t["milestone"]} m
        JOIN {t["clock"]} c ON c.id = m.clock_id
        JOIN {t["ticket"]} tk ON tk.id = c.ticket_id
        JOIN {t["customer"]} cu ON cu.id = tk.customer_id
        JOIN {t["tier"]} ti ON ti.id = cu.tier_id
        WHERE m.sweep = %(sweep)s AND m.percent = 100
          AND (tk.kind = %(complaint)s OR ti.is_vip)
          AND c.target <> %(memo)s
        ORDER BY tk.id
        """,
        params | {"complaint": Ticket.Kind.COMPLAINT, "memo": SLAClock.Target.MEMO},
    )
    return [row[0] for row in cursor.fetchall()]


def _escalate(ids: list[int], *, now: datetime, sweep: str) -> tuple[list[int], int]:
    """Escalate breached tickets, each once in its life; return the ids
    escalated and the notifications made.

    Each ticket's priority goes up one step and, when its queue says so, it
    goes to the queue supervisor `choose_supervisor` picks. Every change is
    recorded as the verbs record it (`escalated`, `priority`, `assigned`), and
    the supervisor is told, the notification naming its event by id.

    Set-based: locking the tickets, finding those escalated before, the
    candidate supervisors, the events, the ticket rows and the notifications
    take one statement each, whatever the number of tickets, and the tickets
    are read as rows, not models. Then the SLA policy is re-chosen (the
    priority rose) by the clock rules themselves, one ticket at a time but
    only where the policy or its targets change.
    """
    rows = list(
        Ticket.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list(
            "pk",
            "queue_id",
            "queue__escalate_to_supervisor",
            "assignee_id",
            "assignee__username",
            "assignee__first_name",
            "assignee__last_name",
            "priority",
        )
    )
    # Read after the lock: a sweep alongside that escalated one of these
    # tickets has committed by now.
    escalated_before = set(
        TicketEvent.objects.filter(
            ticket_id__in=ids, action=Action.ESCALATED
        ).values_list("ticket_id", flat=True)
    )
    rows = [row for row in rows if row[0] not in escalated_before]
    if not rows:
        return [], 0
    candidates = escalation_candidates({row[1] for row in rows if row[2]})
    changes, told = [], []
    for pk, queue_id, to_supervisor, assignee_id, login, first, last, priority in rows:
        # The history names people as colleagues know them (display name).
        name = f"{first or ''} {last or ''}".strip() or login or ""
        supervisor = None
        if to_supervisor:
            supervisor = choose_supervisor(
                candidates.get(queue_id, []), assignee=assignee_id
            )
        changes.append(_escalation(pk, priority, assignee_id, name, supervisor))
        if supervisor is not None:
            told.append((pk, supervisor.user_id))
    escalation_ids = _write_escalation_events(changes, now=now, sweep=sweep)
    _write_escalated(changes, now=now)
    _notify_escalations(told, escalation_ids, now=now)
    escalated = [change.ticket_id for change in changes]
    # Only the priority changed: another policy can apply only if some active
    # policy looks at priority (the shipped ones don't).
    if any(rule.priorities for rule in sla_config().rules):
        clocks.reselect_policies(escalated, at=now)
    return escalated, len(told)


def _notify_escalations(
    told: list[tuple[int, int]], events: dict[int, int], *, now: datetime
) -> None:
    """Tell each supervisor given a ticket (`told`: ticket id, supervisor id),
    naming the escalation event: one INSERT."""
    t = table_names()
    with connection.cursor() as cursor:
        for start in range(0, len(told), WRITE_BATCH):
            batch = told[start : start + WRITE_BATCH]
            rows = ", ".join(["(%s, %s, %s, %s, %s)"] * len(batch))
            cursor.execute(
                f"""
                INSERT INTO {t["notification"]} (recipient_id, ticket_id,
                    event_id, kind, created_at)
                VALUES {rows}
                ON CONFLICT (recipient_id, event_id) DO NOTHING
                """,
                [
                    value
                    for pk, recipient in batch
                    for value in (
                        recipient,
                        pk,
                        events[pk],
                        Notification.Kind.ESCALATION,
                        connection.ops.adapt_datetimefield_value(now),
                    )
                ],
            )


@dataclass(frozen=True)
class Escalation:
    """What escalating one ticket changes: its priority, perhaps its assignee."""

    ticket_id: int
    old_priority: int
    new_priority: int
    old_assignee: int | None
    new_assignee: int | None
    old_name: str
    new_name: str


def _escalation(
    pk: int,
    priority: int,
    assignee_id: int | None,
    name: str,
    supervisor: Candidate | None,
) -> Escalation:
    """Priority up one step and, with `supervisor`, a new assignee (who then
    carries one more ticket for the rest of this sweep)."""
    new_assignee, new_name = assignee_id, name
    if supervisor is not None and supervisor.user_id != assignee_id:
        supervisor.load += 1
        new_assignee, new_name = supervisor.user_id, supervisor.name
    return Escalation(
        ticket_id=pk,
        old_priority=priority,
        new_priority=min(priority + 1, URGENT),
        old_assignee=assignee_id,
        new_assignee=new_assignee,
        old_name=name,
        new_name=new_name,
    )


# Tickets per statement on SQLite: seven parameters each stays inside its
# limit of 32,766 (PostgreSQL takes each column as one array).
WRITE_BATCH = 4000
ESCALATION_COLUMNS = [
    ("id", "bigint"),
    ("old_priority", "integer"),
    ("new_priority", "integer"),
    ("old_assignee", "bigint"),
    ("new_assignee", "bigint"),
    ("old_name", "text"),
    ("new_name", "text"),
]


def _escalation_rows(batch: list[Escalation]) -> tuple[str, list]:
    """`v(...) AS (...)`: the escalations as a table for one statement, with
    its parameters. PostgreSQL unnests one array per column (seven parameters
    whatever the rows); SQLite reads a VALUES list."""
    names = ", ".join(name for name, _ in ESCALATION_COLUMNS)
    rows = [
        (
            change.ticket_id,
            change.old_priority,
            change.new_priority,
            change.old_assignee,
            change.new_assignee,
            change.old_name,
            change.new_name,
        )
        for change in batch
    ]
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"CAST(%s AS {kind}[])" for _, kind in ESCALATION_COLUMNS)
        return f"v({names}) AS (SELECT * FROM unnest({arrays}))", [
            list(column) for column in zip(*rows, strict=True)
        ]
    row = "(" + ", ".join(f"CAST(%s AS {kind})" for _, kind in ESCALATION_COLUMNS)
    values = ", ".join([row + ")"] * len(rows))
    return f"v({names}) AS (VALUES {values})", [value for r in rows for value in r]


def _write_escalated(changes: list[Escalation], *, now: datetime) -> None:
    """Store the escalated tickets' new priority and assignee: one UPDATE
    joined to the escalations (Django's `bulk_update` builds a CASE per row
    and field, seconds of Python for a thousand tickets)."""
    table = connection.ops.quote_name(Ticket._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(changes), WRITE_BATCH):
            rows, params = _escalation_rows(changes[start : start + WRITE_BATCH])
            cursor.execute(
                f"""
                WITH {rows}
                UPDATE {table} SET priority = v.new_priority,
                    assignee_id = v.new_assignee, is_escalated = TRUE,
                    updated_at = %s
                FROM v WHERE {table}.id = v.id
                """,
                [*params, connection.ops.adapt_datetimefield_value(now)],
            )


def _write_escalation_events(
    changes: list[Escalation], *, now: datetime, sweep: str
) -> dict[int, int]:
    """Record each escalation as the verbs record their changes: an
    `escalated` entry of the SLA ledger, then `priority` and `assigned` when
    those changed (old and new as text, as `change_priority` and
    `assign_ticket` write them). One INSERT for them all, its rows made by the
    database from one row per ticket; return each ticket's `escalated` event
    id, for the supervisor's notification."""
    t = table_names()
    details = sql_details(
        t["json"],
        at="CAST(%s AS TEXT)",
        sweep="CAST(%s AS TEXT)",
        old_assignee="v.old_assignee",
        new_assignee="v.new_assignee",
    )
    columns = "ticket_id, actor_id, action, old_value, new_value, sla_target, "
    columns += "details, milestone_id, message_id, created_at"
    # Typed: the branches of a UNION agree on each column's type.
    none = "CAST(NULL AS BIGINT)"
    db_now = connection.ops.adapt_datetimefield_value(now)
    escalated: dict[int, int] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(changes), WRITE_BATCH):
            rows, params = _escalation_rows(changes[start : start + WRITE_BATCH])
            cursor.execute(
                f"""
                WITH {rows}
                INSERT INTO {t["event"]} ({columns})
                SELECT id, {none}, %s, CAST(old_priority AS TEXT),
                       CAST(new_priority AS TEXT), '', {details},
                       {none}, {none}, %s
                FROM v
                UNION ALL
                SELECT id, {none}, %s, CAST(old_priority AS TEXT),
                       CAST(new_priority AS TEXT), '', {t["json"]}(),
                       {none}, {none}, %s
                FROM v WHERE new_priority <> old_priority
                UNION ALL
                SELECT id, {none}, %s, old_name, new_name, '',
                       {t["json"]}(), {none}, {none}, %s
                FROM v WHERE new_assignee IS NOT NULL
                  AND (old_assignee IS NULL OR new_assignee <> old_assignee)
                RETURNING id, ticket_id, action
                """,
                [
                    *params,
                    Action.ESCALATED,
                    now.isoformat(),
                    sweep,
                    db_now,
                    Action.PRIORITY,
                    db_now,
                    Action.ASSIGNED,
                    db_now,
                ],
            )
            for event_id, ticket_id, action in cursor.fetchall():
                if action == Action.ESCALATED:
                    escalated[ticket_id] = event_id
    return escalated


@dataclass
class Candidate:
    """A supervisor a ticket may be escalated to, with their open tickets."""

    user_id: int
    username: str
    name: str
    load: int


def choose_supervisor(
    candidates: list[Candidate], *, assignee: int | None = None
) -> Candidate | None:
    """The supervisor to escalate to: the ticket's assignee if already one of
    `candidates`, else the one with the fewest open tickets assigned, then by
    name (display name, then username); None when there is none."""
    for candidate in candidates:
        if candidate.user_id == assignee:
            return candidate
    return min(
        candidates,
        key=lambda c: (c.load, c.name.casefold(), c.username, c.user_id),
        default=None,
    )


def escalation_candidates(queue_ids: set[int]) -> dict[int, list[Candidate]]:
    """The supervisors each of these queues may escalate to, with their load.

    A candidate is listed as a supervisor of the queue, is active, and is a
    supervisor (in the Supervisors group, or an administrator), so someone
    `assign_ticket` accepts. One `Candidate` per person, shared by the queues
    they supervise, so a sweep's own assignments count toward their load."""
    if not queue_ids:
        return {}
    in_supervisors = Group.objects.filter(name=SUPERVISORS, user=OuterRef("user_id"))
    open_tickets = (
        Ticket.objects.open()
        .filter(assignee=OuterRef("user_id"))
        .order_by()
        .values("assignee")
        .annotate(count=Count("pk"))
        .values("count")
    )
    rows = (
        Queue.supervisors.through.objects.filter(
            queue_id__in=queue_ids, user__is_active=True
        )
        .filter(Q(user__is_superuser=True) | Exists(in_supervisors))
        .annotate(load=Coalesce(Subquery(open_tickets), 0))
        .values_list(
            "queue_id",
            "user_id",
            "user__username",
            "user__first_name",
            "user__last_name",
            "load",
        )
    )
    people: dict[int, Candidate] = {}
    by_queue: dict[int, list[Candidate]] = {}
    for queue_id, user_id, username, first, last, load in rows:
        if user_id not in people:
            name = f"{first} {last}".strip() or username
            people[user_id] = Candidate(user_id, username, name, load)
        by_queue.setdefault(queue_id, []).append(people[user_id])
    return by_queue
