"""The SLA sweep: record every warning and breach that has come due, once.

Set-based: a fixed handful of SQL statements whatever the number of tickets.

1. Claim the pending milestones whose time has come, stamping them with this
   sweep's id (one UPDATE over a partial index of pending milestones). Two
   sweeps at once cannot claim the same row: the second waits for the first's
   row locks and then finds `reached_at` set.
2. Write one TicketEvent per claimed milestone. `TicketEvent.milestone` is
   unique, so even a repeated insert cannot record a warning twice.
3. Notify: the assignee of every warning and breach; the queue's supervisors of
   every breach, and of warnings on unassigned tickets. One notification per
   person and event, by a unique constraint.
4. Escalate breached VIP tickets and complaints: priority up one step and, when
   their queue says so, reassigned to its first supervisor.

Everything happens in one transaction, so a worker killed midway leaves no
trace and the next sweep does the work. Emails go out afterwards from the
notification outbox (`tickets.notifications.send_pending_emails`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction

from customers.models import Customer, ServiceTier

from .ledger import sql_details
from .models import (
    Notification,
    Queue,
    SLAClock,
    SLAMilestone,
    Ticket,
    TicketEvent,
)

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
    sweep = SLAMilestone._meta.get_field("sweep").get_db_prep_value(
        uuid.uuid4(), connection
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
        notify = f"""
            INSERT INTO {t["notification"]} (recipient_id, ticket_id, event_id,
                kind, created_at, read_at, email_claimed_at, emailed_at)
            SELECT {{recipient}}, e.ticket_id, e.id,
                   CASE WHEN m.percent = 100 THEN %(breach)s ELSE %(warning)s END,
                   %(now)s, NULL, NULL, NULL
            FROM {t["event"]} e
            JOIN {t["milestone"]} m ON m.id = e.milestone_id
            JOIN {t["ticket"]} tk ON tk.id = e.ticket_id
            {{join}}
            WHERE m.sweep = %(sweep)s AND {{condition}}
            ON CONFLICT (recipient_id, event_id) DO NOTHING
        """
        kinds = params | {
            "breach": Notification.Kind.BREACH,
            "warning": Notification.Kind.WARNING,
        }
        cursor.execute(
            notify.format(
                recipient="tk.assignee_id",
                join="",
                condition="tk.assignee_id IS NOT NULL",
            ),
            kinds,
        )
        result.notifications += max(cursor.rowcount, 0)
        cursor.execute(
            notify.format(
                recipient="s.user_id",
                join=f"JOIN {t['supervisors']} s ON s.queue_id = tk.queue_id",
                condition="(m.percent = 100 OR tk.assignee_id IS NULL)",
            ),
            kinds,
        )
        result.notifications += max(cursor.rowcount, 0)
        result.escalated = _escalate(cursor, t, params)
        if result.escalated:
            result.notifications += _notify_escalations(cursor, t, params, result)
    return result


def _escalate(cursor, t: dict[str, str], params: dict) -> list[int]:
    """Escalate this sweep's breached VIP tickets and complaints; return their ids."""
    cursor.execute(
        f"""
        SELECT DISTINCT tk.id FROM {t["milestone"]} m
        JOIN {t["clock"]} c ON c.id = m.clock_id
        JOIN {t["ticket"]} tk ON tk.id = c.ticket_id
        JOIN {t["customer"]} cu ON cu.id = tk.customer_id
        JOIN {t["tier"]} ti ON ti.id = cu.tier_id
        WHERE m.sweep = %(sweep)s AND m.percent = 100
          AND (tk.kind = %(complaint)s OR ti.is_vip)
          -- Once per ticket; a VIP complaint is marked escalated from the
          -- start but still escalates on its first breach.
          AND NOT EXISTS (SELECT 1 FROM {t["event"]} e
                          WHERE e.ticket_id = tk.id AND e.action = %(escalated)s)
        ORDER BY tk.id
        """,
        params | {"complaint": Ticket.Kind.COMPLAINT, "escalated": Action.ESCALATED},
    )
    ids = [row[0] for row in cursor.fetchall()]
    if not ids:
        return []
    # The first supervisor of queue `q`, when the queue reassigns on breach.
    supervisor = f"""
        CASE WHEN q.escalate_to_supervisor THEN
            (SELECT MIN(s.user_id) FROM {t["supervisors"]} s WHERE s.queue_id = q.id)
        END
    """
    in_ids = ", ".join(["%s"] * len(ids))
    cursor.execute(
        f"""
        INSERT INTO {t["event"]} (ticket_id, actor_id, action, old_value, new_value,
            sla_target, details, milestone_id, message_id, created_at)
        SELECT tk.id, NULL, %s, CAST(tk.priority AS TEXT),
               CAST(CASE WHEN tk.priority < {URGENT} THEN tk.priority + 1
                         ELSE {URGENT} END AS TEXT),
               '', {t["json"]}(
                   'sweep', CAST(%s AS TEXT),
                   'old_assignee', tk.assignee_id,
                   'new_assignee', COALESCE({supervisor}, tk.assignee_id)),
               NULL, NULL, %s
        FROM {t["ticket"]} tk JOIN {t["queue"]} q ON q.id = tk.queue_id
        WHERE tk.id IN ({in_ids})
        """,
        [Action.ESCALATED, str(params["sweep"]), params["now"], *ids],
    )
    cursor.execute(
        f"""
        UPDATE {t["ticket"]} SET
            is_escalated = TRUE,
            priority = CASE WHEN priority < {URGENT} THEN priority + 1
                            ELSE {URGENT} END,
            assignee_id = COALESCE(
                (SELECT {supervisor}
                 FROM {t["queue"]} q WHERE q.id = {t["ticket"]}.queue_id),
                assignee_id),
            updated_at = %s
        WHERE id IN ({in_ids})
        """,
        [params["now"], *ids],
    )
    return ids


def _notify_escalations(cursor, t: dict[str, str], params: dict, result) -> int:
    """Tell each supervisor a breached ticket was reassigned to them."""
    cursor.execute(
        f"""
        INSERT INTO {t["notification"]} (recipient_id, ticket_id, event_id, kind,
            created_at, read_at, email_claimed_at, emailed_at)
        SELECT tk.assignee_id, tk.id, e.id, %s, %s, NULL, NULL, NULL
        FROM {t["event"]} e JOIN {t["ticket"]} tk ON tk.id = e.ticket_id
        JOIN {t["queue"]} q ON q.id = tk.queue_id
        WHERE e.action = %s AND e.created_at = %s AND q.escalate_to_supervisor
          AND e.ticket_id IN ({", ".join(["%s"] * len(result.escalated))})
          AND tk.assignee_id IS NOT NULL
        ON CONFLICT (recipient_id, event_id) DO NOTHING
        """,
        [
            Notification.Kind.ESCALATION,
            params["now"],
            Action.ESCALATED,
            params["now"],
            *result.escalated,
        ],
    )
    return max(cursor.rowcount, 0)
