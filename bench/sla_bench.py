"""SLA scenarios for `make bench`: the sweep at real volume, calendar arithmetic.

The sweep (`sla.sweep.run_sweep`) runs against a seeded database twice:

- *N newly due*: `--due` breach milestones of running clocks (those not yet
  reached first, then the most recently reached) are moved into the minute
  before `now`, where nothing else is pending, so the sweep records exactly
  that many breaches with their events, notifications and escalations;
- *nothing new*: a minute later, with nothing due.

Each scenario reports wall time, the statements executed
(`CaptureQueriesContext`) and the Python memory the sweep allocated at its
peak (`tracemalloc`). Afterwards the data is put back exactly (the moved
milestones, the tickets escalated, the events and notifications written), so
runs repeat; a run interrupted midway is put back at the start of the next.

`--sizes` repeats the sweep at other volumes, each in a database of its own
(the main name with a suffix such as `_100k`, seeded the first time), to
show that time and memory follow the tickets that fall due, not the
tickets there are. Run alone: ``python bench/sla_bench.py [--sizes
100000,300000] [--due 10000] [--repeat 3]``; `bench/run.py` calls `report`.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
import tracemalloc
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DUE_TARGET_SECONDS = 2.0
IDLE_TARGET_SECONDS = 0.2
WINDOW = timedelta(minutes=1)
# Where the bench keeps what it changed until it puts it back.
SAVED = {
    "milestone": "bench_sla_saved_milestone",
    "ticket": "bench_sla_saved_ticket",
    "event": "bench_sla_saved_event",
    "notification": "bench_sla_saved_notification",
    "marks": "bench_sla_saved_marks",
}


@dataclass
class Sweep:
    """One timed sweep."""

    scenario: str
    tickets: int
    open: int
    seconds: float
    statements: int
    peak_kib: float
    warnings: int
    breaches: int
    notifications: int
    escalations: int
    # (statement, seconds) in the order executed: where the time went.
    steps: list[tuple[str, float]]
    slowest: float = 0.0


def _tables() -> dict[str, str]:
    from sla.sweep import table_names

    return table_names()


def restore(cursor) -> bool:
    """Put back what `arrange` changed, if anything; return whether it did."""
    cursor.execute("SELECT to_regclass(%s)", [SAVED["marks"]])
    if cursor.fetchone()[0] is None:
        return False
    t = _tables() | {f"saved_{k}": v for k, v in SAVED.items()}
    cursor.execute(f"SELECT event_id, notification_id FROM {t['saved_marks']}")
    event_mark, notification_mark = cursor.fetchone()
    # Everything the sweeps wrote came after the marks: nobody else writes here.
    cursor.execute(
        f"DELETE FROM {t['notification']} WHERE id > %s", [notification_mark]
    )
    cursor.execute(f"DELETE FROM {t['event']} WHERE id > %s", [event_mark])
    cursor.execute(
        f"INSERT INTO {t['event']} SELECT * FROM {t['saved_event']}"
        f" ON CONFLICT (id) DO NOTHING"
    )
    cursor.execute(
        f"INSERT INTO {t['notification']} SELECT * FROM {t['saved_notification']}"
        f" ON CONFLICT (id) DO NOTHING"
    )
    cursor.execute(
        f"""
        UPDATE {t["milestone"]} m SET at = s.at, reached_at = s.reached_at,
            sweep = s.sweep
        FROM {t["saved_milestone"]} s WHERE m.id = s.id
        """
    )
    cursor.execute(
        f"""
        UPDATE {t["ticket"]} tk SET priority = s.priority,
            assignee_id = s.assignee_id, is_escalated = s.is_escalated,
            updated_at = s.updated_at
        FROM {t["saved_ticket"]} s WHERE tk.id = s.id
        """
    )
    for table in SAVED.values():
        cursor.execute(f"DROP TABLE {table}")
    return True


def arrange(cursor, due: int) -> tuple[datetime, int]:
    """Make `due` breach milestones fall due in the minute before the
    returned `now`, with nothing else pending by then; return (now, moved).

    Saves what it changes first (see `restore`)."""
    t = _tables() | {f"saved_{k}": v for k, v in SAVED.items()}
    cursor.execute(
        f"""
        CREATE TABLE {t["saved_marks"]} AS SELECT
            (SELECT COALESCE(MAX(id), 0) FROM {t["event"]}) AS event_id,
            (SELECT COALESCE(MAX(id), 0) FROM {t["notification"]}) AS notification_id
        """
    )
    cursor.execute(
        f"""
        CREATE TABLE {t["saved_milestone"]} AS
        SELECT m.id, m.at, m.reached_at, m.sweep, c.ticket_id
        FROM {t["milestone"]} m JOIN {t["clock"]} c ON c.id = m.clock_id
        WHERE m.percent = 100 AND c.status = 'running'
        ORDER BY m.reached_at IS NOT NULL, m.at DESC
        LIMIT %s
        """,
        [due],
    )
    cursor.execute(
        f"""
        CREATE TABLE {t["saved_ticket"]} AS
        SELECT id, priority, assignee_id, is_escalated, updated_at
        FROM {t["ticket"]}
        WHERE id IN (SELECT ticket_id FROM {t["saved_milestone"]})
        """
    )
    cursor.execute(
        f"""
        CREATE TABLE {t["saved_event"]} AS SELECT * FROM {t["event"]}
        WHERE milestone_id IN (SELECT id FROM {t["saved_milestone"]})
        """
    )
    cursor.execute(
        f"""
        CREATE TABLE {t["saved_notification"]} AS SELECT * FROM {t["notification"]}
        WHERE event_id IN (SELECT id FROM {t["saved_event"]})
        """
    )
    cursor.execute(
        f"DELETE FROM {t['notification']} "
        f"WHERE id IN (SELECT id FROM {t['saved_notification']})"
    )
    cursor.execute(
        f"DELETE FROM {t['event']} WHERE id IN (SELECT id FROM {t['saved_event']})"
    )
    # `now` sits well before the earliest other pending milestone, so the
    # sweep claims exactly the moved ones and a sweep a minute later nothing.
    cursor.execute(
        f"""
        SELECT MIN(at) FROM {t["milestone"]} WHERE reached_at IS NULL
          AND id NOT IN (SELECT id FROM {t["saved_milestone"]})
        """
    )
    earliest = cursor.fetchone()[0]
    from django.utils import timezone

    now = min(earliest or timezone.now(), timezone.now()) - 3 * WINDOW
    cursor.execute(
        f"""
        UPDATE {t["milestone"]} m SET reached_at = NULL, sweep = NULL,
            at = %s + (%s * s.n) / (%s + 1)
        FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS n
              FROM {t["saved_milestone"]}) s
        WHERE m.id = s.id
        """,
        [now - WINDOW, WINDOW, due],
    )
    return now, cursor.rowcount


def timed_sweep(scenario: str, now: datetime, volume: tuple[int, int]) -> Sweep:
    """Run one sweep at `now`; measure time, statements and Python memory."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sla.sweep import run_sweep

    tracemalloc.start()
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        result = run_sweep(now)
        seconds = time.perf_counter() - began
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return Sweep(
        scenario=scenario,
        tickets=volume[0],
        open=volume[1],
        seconds=seconds,
        statements=len(queries),
        peak_kib=peak / 1024,
        warnings=result.warnings,
        breaches=result.breaches,
        notifications=result.notifications,
        escalations=len(result.escalated),
        steps=[(_label(q["sql"]), float(q["time"])) for q in queries.captured_queries],
    )


# What tells the sweep's statements apart, tried in order.
_HINTS = [
    ("e.action", "escalations"),
    ("old_assignee", "escalations"),
    ("is_escalated = TRUE", "escalations"),
    ("SELECT DISTINCT", "tickets to escalate"),
    ("SUM(CASE", "count"),
    ("s.user_id", "supervisors"),
    ("tk.assignee_id", "assignees"),
    ("ON CONFLICT (milestone_id)", "one per milestone"),
    ("SET reached_at", "claim"),
]


def _label(sql: str) -> str:
    """A statement in a few words: verb, table, and what it is for."""
    words = sql.split()
    text = " ".join(words)
    if words[0] == "INSERT":
        label = f"INSERT {words[2]}"
    elif words[0] == "UPDATE":
        label = f"UPDATE {words[1]}"
    elif words[0] == "SELECT":
        found = re.search(r"FROM (\S+)", text)
        label = f"SELECT … FROM {found.group(1) if found else '?'}"
    else:
        return text[:40]
    hint = next((hint for key, hint in _HINTS if key in text), "")
    return (
        f"{label.replace(chr(34), '')} ({hint})" if hint else label.replace(chr(34), "")
    )


def vacuum(cursor, analyze: bool = False) -> None:
    """What autovacuum does in production: clear the dead rows a restore
    leaves, and (the first time) set hint bits and the visibility map."""
    from django.db import connection

    if connection.in_atomic_block:
        return  # VACUUM cannot run in a transaction (tests)
    t = _tables()
    tables = ", ".join([t["milestone"], t["event"], t["notification"], t["ticket"]])
    cursor.execute(f"VACUUM {'(ANALYZE) ' if analyze else ''}{tables}")


def measure_sweeps(due: int, repeat: int, say) -> list[Sweep]:
    """Both sweep scenarios, `repeat` times each, on the current database."""
    from django.db import connection, transaction

    from tickets.models import Ticket

    with connection.cursor() as cursor:
        if restore(cursor):
            say("(put back the data of an interrupted SLA bench run)")
        vacuum(cursor, analyze=True)
    volume = (Ticket.objects.count(), Ticket.objects.open().count())
    runs = []
    for _ in range(repeat):
        with transaction.atomic(), connection.cursor() as cursor:
            now, moved = arrange(cursor, due)
        try:
            runs.append(timed_sweep(f"{moved:,} newly due", now, volume))
            runs.append(timed_sweep("nothing new", now + WINDOW, volume))
        finally:
            with transaction.atomic(), connection.cursor() as cursor:
                restore(cursor)
            with connection.cursor() as cursor:
                vacuum(cursor)
    return runs


def explain_claim(due: int) -> list[str]:
    """EXPLAIN ANALYZE of the sweep's claiming UPDATE, rolled back."""
    from django.db import connection, transaction

    t = _tables()
    lines = []
    with transaction.atomic(), connection.cursor() as cursor:
        now, _ = arrange(cursor, due)
        cursor.execute(
            f"EXPLAIN (ANALYZE, BUFFERS) UPDATE {t['milestone']} SET reached_at = %s "
            "WHERE reached_at IS NULL AND at <= %s",
            [now, now],
        )
        lines = [row[0] for row in cursor.fetchall()]
        transaction.set_rollback(True)
    return lines


def summarise(runs: list[Sweep]) -> list[Sweep]:
    """One row per (scenario, volume): the median time; the worst of the rest."""
    groups: dict[tuple, list[Sweep]] = {}
    for run in runs:
        groups.setdefault((run.tickets, run.scenario), []).append(run)
    rows = []
    for group in groups.values():
        row = max(group, key=lambda r: r.peak_kib)
        rows.append(
            Sweep(
                **{
                    **row.__dict__,
                    "seconds": statistics.median(r.seconds for r in group),
                    "slowest": max(r.seconds for r in group),
                    "statements": max(r.statements for r in group),
                }
            )
        )
    return rows


def steps_table(row: Sweep) -> list[str]:
    """Where one sweep spent its time, statement by statement."""
    total = sum(seconds for _, seconds in row.steps) or 1
    lines = [
        "",
        f"Where the time goes ({row.tickets:,} tickets, {row.scenario}; COMMIT "
        "includes the deferred foreign-key checks of every row written):",
        "",
        "| statement | ms | share |",
        "|---|---:|---:|",
    ]
    for label, seconds in row.steps:
        lines.append(f"| {label} | {seconds * 1000:.0f} | {seconds / total:.0%} |")
    return lines


def sweep_table(rows: list[Sweep], repeat: int) -> list[str]:
    """The markdown table of the sweep scenarios."""
    lines = [
        "",
        "## SLA sweep",
        f"Targets: newly due under {DUE_TARGET_SECONDS:g} s, nothing new under "
        f"{IDLE_TARGET_SECONDS * 1000:.0f} ms; median of {repeat} run(s); "
        "memory = peak Python allocation during the sweep (tracemalloc).",
        "",
        "| tickets | open | scenario | seconds | slowest | statements "
        "| peak memory KiB | warnings | breaches | notifications | escalations "
        "| target |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        limit = (
            IDLE_TARGET_SECONDS if row.scenario == "nothing new" else DUE_TARGET_SECONDS
        )
        lines.append(
            f"| {row.tickets:,} | {row.open:,} | {row.scenario} | {row.seconds:.3f} "
            f"| {row.slowest:.3f} | {row.statements} | {row.peak_kib:,.0f} "
            f"| {row.warnings:,} "
            f"| {row.breaches:,} | {row.notifications:,} | {row.escalations:,} "
            f"| {'met' if row.seconds < limit else 'MISSED'} |"
        )
    return lines


def size_name(name: str, tickets: int) -> str:
    """The database for another volume: `helpdesk_bench_sla_100k`."""
    if tickets % 1_000_000 == 0:
        return f"{name}_{tickets // 1_000_000}m"
    return f"{name}_{tickets // 1000}k"


def use_database(name: str, tickets: int, create, say) -> None:
    """Point the default connection at `name`, migrated and seeded to `tickets`."""
    from django.core.management import call_command
    from django.db import connection

    from sla.models import SLAClock
    from tickets.models import Ticket

    connection.close()
    connection.settings_dict["NAME"] = name
    create(name)
    call_command("migrate", interactive=False, verbosity=0)
    have = Ticket.objects.count()
    if have and not SLAClock.objects.exists():
        raise SystemExit(
            f"{name} was seeded before seed_volume made SLA clocks; "
            "drop it or use another database."
        )
    if have < tickets:
        say(f"Seeding {tickets - have:,} tickets into {name} (have {have:,})...")
        call_command("seed_volume", tickets=tickets - have, verbosity=0)


def report(say, *, tickets: int, sizes: list[int], due: int, repeat: int, create):
    """Run the sweep scenarios at each volume and the calendar bench; print tables.

    `create(name)` creates a database if missing. Returns whether every
    target was met."""
    from django.db import connection

    sys.path.insert(0, str(ROOT / "bench"))
    import calendar_bench

    main_name = connection.settings_dict["NAME"]
    runs = []
    try:
        for size in sorted({*sizes, tickets}):
            name = main_name if size == tickets else size_name(main_name, size)
            use_database(name, size, create, say)
            runs.extend(measure_sweeps(due, repeat, say))
        rows = summarise(runs)
        say(*sweep_table(rows, repeat))
        main_runs = sorted(
            (r for r in runs if r.tickets == rows[-1].tickets and r.breaches),
            key=lambda r: r.seconds,
        )
        if main_runs:
            say(*steps_table(main_runs[len(main_runs) // 2]))
        slow = [
            r
            for r in rows
            if r.seconds
            >= (
                IDLE_TARGET_SECONDS
                if r.scenario == "nothing new"
                else DUE_TARGET_SECONDS
            )
        ]
        if slow:
            say("", "Missed a target; the sweep's claiming UPDATE:", "```")
            say(*explain_claim(due), "```")
    finally:
        connection.close()
        connection.settings_dict["NAME"] = main_name
    calendar_rows = calendar_bench.measure(200_000)
    say(*calendar_bench.table(calendar_rows))
    return not slow and all(
        r.per_second >= calendar_bench.TARGET_PER_SECOND for r in calendar_rows
    )


def main() -> int:
    """Run alone: the SLA tables for one database and optional other volumes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--sizes", default="", help="other volumes, e.g. 100000,300000")
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    sys.path.insert(0, str(ROOT))
    import run

    run.configure_environment()
    run.create_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    ok = report(
        lambda *lines: print(*lines, sep="\n", flush=True),
        tickets=args.tickets,
        sizes=[int(s) for s in args.sizes.split(",") if s],
        due=args.due,
        repeat=args.repeat,
        create=lambda name: run.create_database(f"{base}/{name}"),
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
