"""Email intake throughput for `make bench`: typical messages through the
whole of `mail.intake.ingest`, as the IMAP poller and the mail servers'
endpoint call it.

Each message is about 30 KB: Arabic or English text with an HTML
alternative and a PDF of about 20 KB attached (base64 in the message), a
Received header a minute old. 70 % open new tickets (half from customers
already in the database, half from new senders, who become customers); 30 %
are customers' answers to the acknowledgement of a ticket opened earlier in
the run, found by In-Reply-To/References. Everything is stored as in
production: the record of the message, customer, ticket, message,
attachment file, SLA clocks and milestones, the acknowledgement in the
outbox and the task that sends it handed to Redis, one commit per message.

One process, one message after another: messages per second of that process
is messages per second per core (PostgreSQL runs beside it, on the other
core, as it would on its own server). Reported: messages/s and p50/p95 per
message (wall clock, inflated by whatever else runs on the machine); the CPU
each message cost the Python process and its PostgreSQL backend (read from
/proc when the server runs here), and the messages per CPU second they
imply, which other work on the machine barely changes; and the queries per
message of each kind, counted on a separate sample
(`CaptureQueriesContext`). Redis's share (one task per new ticket) is left
out: well under a millisecond.

The database is first given the email history a helpdesk of its size would
have: one sent acknowledgement per ticket in the outbox table and one
record per email ticket in the intake table (once; marked by their
Message-IDs), so threading looks its ids up among a million rows, not a
few. What a run adds (tickets, customers, records, files) is deleted after
it; attachment files go to a temporary directory.

Run alone: ``python bench/mail_bench.py [--tickets 1000000] [--messages 2000]
[--profile]``; ``--tickets 20000`` uses (and seeds once) a small database of
its own, `helpdesk_bench_sla_20k`. `bench/run.py --part mail` calls `report`.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_PER_SECOND = 60
NEW_SHARE = 0.7
# New senders' addresses, so a run's customers can be found and deleted.
SENDER_PREFIX = "bench-mail-"
SENDER_DOMAIN = "example.net"
MESSAGE_DOMAIN = "mua.bench.example"
# Marks the email history added once to a seeded database.
HISTORY_ID = "volume-ack-"
ATTACHMENT_BYTES = 20_500
WARM_UP = 30
COUNTED_PER_KIND = 25


@dataclass
class Timing:
    kind: str  # "new (known customer)", "new (new customer)", "reply"
    seconds: float
    cpu: float
    outcome: str
    database_cpu: float = 0.0


@dataclass
class MailRun:
    tickets: int
    messages: int
    mean_bytes: float
    seconds: float
    cpu_seconds: float
    timings: list[Timing]
    # PostgreSQL's CPU for this connection, when the server runs here.
    database_cpu_seconds: float | None = None
    queries: dict[str, float] = field(default_factory=dict)
    profile: str = ""

    @property
    def per_second(self) -> float:
        return self.messages / self.seconds if self.seconds else 0.0

    @property
    def per_core_second(self) -> float | None:
        """Messages per second of CPU, Python's and PostgreSQL's together:
        what one core would take in, whatever else the machine runs."""
        if self.database_cpu_seconds is None:
            return None
        return self.messages / (self.cpu_seconds + self.database_cpu_seconds)

    def percentile(self, share: float, kind: str | None = None) -> float:
        values = sorted(
            t.seconds for t in self.timings if kind is None or t.kind == kind
        )
        if not values:
            return 0.0
        return values[min(len(values) - 1, int(share * len(values)))]


class Messages:
    """Raw messages as customers' mail programs send them."""

    def __init__(self, rng: random.Random, mailbox_address: str, run_id: str):
        from demo.files import pdf_document
        from demo.volume_text import Pools

        self.rng = rng
        self.to = mailbox_address
        self.run_id = run_id
        self.pools = Pools(rng)
        self.sent = 0
        # Reference numbers differ; the bytes of the file are what matter.
        self.pdfs = [
            pdf_document(
                [f"Invoice INV-2026-{n:05d}", "Amount due: SAR 1,250.00"],
                size=ATTACHMENT_BYTES,
            )
            for n in range(20)
        ]

    def _message_id(self) -> str:
        self.sent += 1
        return f"<{self.run_id}.{self.sent}@{MESSAGE_DOMAIN}>"

    def _body(self, language: str, text: str) -> tuple[str, str]:
        # A signature block and a disclaimer, as company mail carries.
        footer = {
            "ar": "\n\n--\nهذه الرسالة وما يرافقها سرية وموجهة إلى المرسل إليه فقط. "
            "إذا وصلتك بالخطأ فأرجو إبلاغ المرسل وحذفها.\n" * 3,
            "en": "\n\n--\nThis message and its attachments are confidential and "
            "meant for the addressee only. If it reached you by mistake, please "
            "tell the sender and delete it.\n" * 3,
        }[language]
        plain = text + footer
        html = "".join(f"<p>{line}</p>" for line in plain.splitlines() if line)
        return plain, f'<html><body dir="auto">{html}</body></html>'

    def build(
        self,
        *,
        sender: str,
        name: str,
        language: str,
        subject: str,
        text: str,
        headers: dict[str, str] | None = None,
    ) -> tuple[bytes, str]:
        """One ~30 KB message; returns (raw, Message-ID)."""
        from django.utils import timezone

        now = timezone.now()
        message = EmailMessage()
        message["Received"] = (
            "from mx.example.net by mail.helpdesk.example with ESMTPS; "
            f"{format_datetime(now - timedelta(minutes=1))}"
        )
        message["From"] = formataddr((name, sender))
        message["To"] = self.to
        message["Subject"] = subject
        message["Date"] = format_datetime(now - timedelta(minutes=2))
        message_id = self._message_id()
        message["Message-ID"] = message_id
        for header, value in (headers or {}).items():
            message[header] = value
        plain, html = self._body(language, text)
        message.set_content(plain)
        message.add_alternative(html, subtype="html")
        message.add_attachment(
            self.rng.choice(self.pdfs),
            maintype="application",
            subtype="pdf",
            filename=f"invoice-{self.rng.randint(1000, 9999)}.pdf",
        )
        return message.as_bytes(), message_id

    def new_ticket(self, sender: str, name: str) -> tuple[bytes, str]:
        from tickets.models import Ticket

        language = self.rng.choice(["ar", "en"])
        kind = self.rng.choice([Ticket.Kind.INQUIRY, Ticket.Kind.REQUEST])
        return self.build(
            sender=sender,
            name=name,
            language=language,
            subject=self.rng.choice(self.pools.subjects[language, kind]),
            text=self.rng.choice(self.pools.inbound[language, kind]),
        )

    def reply(self, opened: OpenedTicket) -> tuple[bytes, str]:
        """The customer's answer to the acknowledgement, quoting it."""
        language = opened.language
        answer = {
            "ar": "شكراً لكم، أرفقت الفاتورة المطلوبة. أرجو إفادتي بالموعد المتوقع.",
            "en": "Thank you; the invoice you asked for is attached. When can I "
            "expect an answer?",
        }[language]
        quoted = "\n".join(
            f"> {line}"
            for line in self.rng.choice(self.pools.replies[language]).splitlines()
        )
        header = {"ar": "كتب فريق خدمة العملاء:", "en": "Customer service wrote:"}
        return self.build(
            sender=opened.sender,
            name=opened.name,
            language=language,
            subject=f"Re: [{opened.number}] {opened.subject}",
            text=f"{answer}\n\n{header[language]}\n{quoted}",
            headers={
                "In-Reply-To": opened.acknowledgement,
                "References": f"{opened.message_id} {opened.acknowledgement}",
            },
        )


@dataclass
class OpenedTicket:
    number: str
    subject: str
    sender: str
    name: str
    language: str
    message_id: str
    acknowledgement: str


def add_email_history(say) -> None:
    """Give a seeded database the outbox and intake rows its tickets imply,
    once: a sent acknowledgement per ticket, a record per email ticket."""
    from django.db import connection, transaction

    from mail.models import InboundEmail
    from tickets.models import CustomerEmail, Ticket

    if CustomerEmail.objects.filter(
        email_message_id__startswith=f"<{HISTORY_ID}"
    ).exists():
        return
    say("Adding the email history of the seeded tickets (once)...")
    ticket = Ticket._meta.db_table
    customer = "customers_customer"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {CustomerEmail._meta.db_table}
                (kind, to_email, language, ticket_id, email_message_id,
                 created_at, sent_at, error, bounce_reason)
            SELECT 'acknowledgement', c.email, c.preferred_language, t.id,
                   '<{HISTORY_ID}' || t.id || '@helpdesk.example>',
                   t.received_at, t.received_at, '', ''
            FROM {ticket} t JOIN {customer} c ON c.id = t.customer_id
            WHERE c.email <> ''
            """
        )
        acknowledgements = cursor.rowcount
        cursor.execute(
            f"""
            INSERT INTO {InboundEmail._meta.db_table}
                (source, outcome, reason, email_message_id, sender, subject,
                 dedupe_key, content_hash, ticket_id, created_at)
            SELECT 'imap', 'created', '', '<volume-' || t.id || '@mail.example>',
                   lower(c.email), left(t.subject, 255),
                   'mid:<volume-' || t.id || '@mail.example>', '', t.id,
                   t.received_at
            FROM {ticket} t JOIN {customer} c ON c.id = t.customer_id
            WHERE t.channel = 'email' AND c.email <> ''
            """
        )
        records = cursor.rowcount
    with connection.cursor() as cursor:
        cursor.execute(
            f"ANALYZE {CustomerEmail._meta.db_table}, {InboundEmail._meta.db_table}"
        )
    say(f"  {acknowledgements:,} acknowledgements, {records:,} intake records.")


def backend_cpu():
    """A function returning the CPU seconds the PostgreSQL backend of this
    connection has used, or None when the server is not on this machine."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    stat = Path(f"/proc/{pid}/stat")
    tick = os.sysconf("SC_CLK_TCK")

    def used() -> float:
        # utime and stime, fields 14 and 15, after the command in brackets.
        fields = stat.read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / tick

    try:
        used()
    except OSError:
        return None
    return used


def bench_mailbox():
    from mail.models import Mailbox
    from tickets.models import Queue

    mailbox, _ = Mailbox.objects.get_or_create(
        email_address="support@bench.helpdesk.example",
        defaults={"name": "Bench support", "queue": Queue.objects.default()},
    )
    return mailbox


def known_customers(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """(email, name) of customers already in the database, spread over it."""
    from django.db.models import Max, Min

    from customers.models import Customer

    # Between the lowest and highest ids: a database's ids need not start at 1
    # (a test database's sequences go on from earlier tests).
    span = Customer.objects.aggregate(low=Min("pk"), high=Max("pk"))
    ids = range(span["low"] or 1, (span["high"] or 0) + 1)
    picks = sorted(rng.sample(ids, min(count * 2, len(ids))))
    rows = Customer.objects.filter(pk__in=picks).exclude(email="")
    return list(rows.values_list("email", "name")[:count])


class Runner:
    """Feeds messages to `ingest` one by one, 70 % new, 30 % replies."""

    def __init__(self, rng, mailbox, run_id: str, known: list[tuple[str, str]]):
        self.database_cpu = backend_cpu()
        self.rng = rng
        self.mailbox = mailbox
        self.messages = Messages(rng, mailbox.email_address, run_id)
        self.known = known
        self.run_id = run_id
        self.opened: list[OpenedTicket] = []
        self.new_senders = 0
        self.sizes: list[int] = []
        self.ticket_ids: list[int] = []
        self.profiler: cProfile.Profile | None = None

    def next_message(self, kind: str | None = None) -> tuple[str, bytes, dict]:
        """(kind, raw, what to remember if it opens a ticket)."""
        if kind is None:
            kind = "reply"
            if not self.opened or self.rng.random() < NEW_SHARE:
                kind = self.rng.choice(["new (known customer)", "new (new customer)"])
        if kind == "reply":
            opened = self.opened.pop(self.rng.randrange(len(self.opened)))
            raw, _ = self.messages.reply(opened)
            return kind, raw, {}
        if kind == "new (known customer)" and self.known:
            sender, name = self.known.pop()
        else:
            kind = "new (new customer)"
            self.new_senders += 1
            sender = f"{SENDER_PREFIX}{self.run_id}-{self.new_senders}@{SENDER_DOMAIN}"
            name = self.rng.choice(["Hind Saleh", "Tariq Nasser", "Laura Bennett"])
        raw, message_id = self.messages.new_ticket(sender, name)
        return kind, raw, {"sender": sender, "name": name, "message_id": message_id}

    def remember(self, result, remember: dict) -> None:
        from tickets.models import CustomerEmail

        if result.ticket is None:
            return
        self.ticket_ids.append(result.ticket.pk)
        if not remember:
            return
        acknowledgement = (
            CustomerEmail.objects.filter(ticket=result.ticket)
            .values_list("email_message_id", flat=True)
            .first()
        )
        self.opened.append(
            OpenedTicket(
                number=result.ticket.number,
                subject=result.ticket.subject,
                language=result.ticket.customer.preferred_language,
                acknowledgement=acknowledgement or remember["message_id"],
                **remember,
            )
        )

    def one(self, kind: str | None = None) -> Timing:
        """Build (untimed), take in (timed), note the ticket (untimed)."""
        from mail.intake import ingest
        from mail.models import InboundEmail

        IMAP = InboundEmail.Source.IMAP
        kind, raw, remember = self.next_message(kind)
        self.sizes.append(len(raw))
        database = self.database_cpu() if self.database_cpu else 0.0
        began, cpu = time.perf_counter(), time.process_time()
        if self.profiler:
            self.profiler.enable()
        result = ingest(raw, mailbox=self.mailbox, source=IMAP)
        if self.profiler:
            self.profiler.disable()
        timing = Timing(
            kind,
            time.perf_counter() - began,
            time.process_time() - cpu,
            result.outcome,
            (self.database_cpu() - database) if self.database_cpu else 0.0,
        )
        self.remember(result, remember)
        return timing


def count_queries(runner: Runner, counted: int) -> dict[str, float]:
    """Queries per message of each kind, on a sample outside the timed run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts: dict[str, list[int]] = {}
    for kind in ("new (known customer)", "new (new customer)", "reply"):
        for _ in range(counted):
            if kind == "reply" and not runner.opened:
                break
            with CaptureQueriesContext(connection) as queries:
                runner.one(kind)
            counts.setdefault(kind, []).append(len(queries))
            if os.environ.get("BENCH_SHOW_QUERIES") and len(counts[kind]) == 1:
                print(f"-- {kind}: {len(queries)} queries")
                for query in queries.captured_queries:
                    print("  ", query["sql"][:300])
    return {kind: statistics.mean(values) for kind, values in counts.items()}


def clean_up(runner: Runner, first_record: int) -> None:
    """Delete what the run added: tickets (and all hanging from them), the
    new senders, the intake records."""
    from customers.models import Customer
    from mail.models import InboundEmail, QuarantinedEmail
    from tickets.models import Ticket

    for start in range(0, len(runner.ticket_ids), 500):
        Ticket.objects.filter(pk__in=runner.ticket_ids[start : start + 500]).delete()
    Customer.objects.filter(
        email__startswith=SENDER_PREFIX, email__endswith=f"@{SENDER_DOMAIN}"
    ).delete()
    InboundEmail.objects.filter(pk__gt=first_record).delete()
    QuarantinedEmail.objects.filter(mailbox=runner.mailbox).delete()


def measure(
    messages: int,
    *,
    profile: bool = False,
    seed: int = 11,
    warm_up: int = WARM_UP,
    counted: int = COUNTED_PER_KIND,
) -> MailRun:
    """Take in `messages` messages after `warm_up` untimed ones and `counted`
    of each kind whose queries are counted; put the database back."""
    from django.test.utils import override_settings

    from mail.models import InboundEmail
    from tickets.models import Ticket

    rng = random.Random(seed)
    run_id = f"{int(time.time())}{os.getpid()}"
    mailbox = bench_mailbox()
    known = known_customers(rng, messages + 3 * counted + warm_up)
    runner = Runner(rng, mailbox, run_id, known)
    first_record = InboundEmail.objects.order_by("-pk").values_list("pk", flat=True)
    first_record = first_record.first() or 0
    tickets = Ticket.objects.count()
    # BENCH_PROFILE_CLOCK=cpu: this process's CPU time, leaving out the
    # waits for PostgreSQL and Redis that the wall clock counts.
    clock = (
        time.process_time if os.environ.get("BENCH_PROFILE_CLOCK") == "cpu" else None
    )
    profiler = (
        (cProfile.Profile(clock) if clock else cProfile.Profile()) if profile else None
    )
    media = tempfile.TemporaryDirectory(prefix="bench-mail-media-")
    with media, override_settings(MEDIA_ROOT=media.name):
        try:
            for _ in range(warm_up):
                runner.one()
            queries = count_queries(runner, counted)
            runner.sizes.clear()
            timings = []
            # The profile covers `ingest` alone, not the building of messages.
            runner.profiler = profiler
            for _ in range(messages):
                timings.append(runner.one())
            runner.profiler = None
        finally:
            clean_up(runner, first_record)
    text = ""
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(
            os.environ.get("BENCH_PROFILE_SORT", "cumulative")
        ).print_stats(int(os.environ.get("BENCH_PROFILE_ROWS", "40")))
        text = out.getvalue()
    return MailRun(
        tickets=tickets,
        messages=messages,
        mean_bytes=statistics.mean(runner.sizes),
        # The time spent in ingest, not building messages or noting tickets.
        seconds=sum(t.seconds for t in timings),
        cpu_seconds=sum(t.cpu for t in timings),
        database_cpu_seconds=(
            sum(t.database_cpu for t in timings) if runner.database_cpu else None
        ),
        timings=timings,
        queries=queries,
        profile=text,
    )


def table(run: MailRun) -> list[str]:
    """The markdown table of the intake scenario."""
    met = run.per_second >= TARGET_PER_SECOND
    database_ms, per_core = "-", "-"
    if run.database_cpu_seconds is not None:
        database_ms = f"{run.database_cpu_seconds / run.messages * 1000:.1f}"
        per_core = f"{run.per_core_second:,.1f}"
    outcomes: dict[str, int] = {}
    for timing in run.timings:
        outcomes[timing.outcome] = outcomes.get(timing.outcome, 0) + 1
    lines = [
        "",
        "## Email intake",
        f"`mail.intake.ingest`, one process, {run.messages:,} messages of "
        f"{run.mean_bytes / 1024:.0f} KB on average (text, HTML, one PDF), "
        f"{NEW_SHARE:.0%} new tickets, the rest replies threaded by In-Reply-To; "
        f"{run.tickets:,} tickets in the database. Target: at least "
        f"{TARGET_PER_SECOND} messages/s per core. Outcomes: "
        + ", ".join(f"{n:,} {outcome}" for outcome, n in sorted(outcomes.items()))
        + ".",
        "",
        "| messages | messages/s | p50 ms | p95 ms | Python CPU ms/message "
        "| PostgreSQL CPU ms/message | messages per CPU second "
        "| queries (new, known customer) | queries (new customer) "
        "| queries (reply) | target |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        f"| {run.messages:,} | {run.per_second:,.1f} "
        f"| {run.percentile(0.5) * 1000:.1f} | {run.percentile(0.95) * 1000:.1f} "
        f"| {run.cpu_seconds / run.messages * 1000:.1f} "
        f"| {database_ms} | {per_core} "
        f"| {run.queries.get('new (known customer)', 0):.0f} "
        f"| {run.queries.get('new (new customer)', 0):.0f} "
        f"| {run.queries.get('reply', 0):.0f} "
        f"| {'met' if met else 'MISSED'} |",
        "",
        "| kind | messages | p50 ms | p95 ms |",
        "|---|---:|---:|---:|",
    ]
    for kind in ("new (known customer)", "new (new customer)", "reply"):
        count = sum(1 for t in run.timings if t.kind == kind)
        lines.append(
            f"| {kind} | {count:,} | {run.percentile(0.5, kind) * 1000:.1f} "
            f"| {run.percentile(0.95, kind) * 1000:.1f} |"
        )
    return lines


def report(
    say, *, tickets: int | None, messages: int, create=None, profile=False
) -> bool:
    """Run the scenario and print its table, on the current database or
    (given `tickets`) on one seeded to that volume, a million or more in the
    main database, fewer in one of its own that `create(name)` creates.
    Returns whether the target was met."""
    from django.db import connection

    sys.path.insert(0, str(ROOT / "bench"))
    import sla_bench

    main_name = connection.settings_dict["NAME"]
    try:
        if tickets:
            name = (
                main_name
                if tickets >= 1_000_000
                else sla_bench.size_name(main_name, tickets)
            )
            sla_bench.use_database(name, tickets, create, say)
        add_email_history(say)
        run = measure(messages, profile=profile)
    finally:
        connection.close()
        connection.settings_dict["NAME"] = main_name
    say(*table(run))
    if run.profile:
        say("", "cProfile of the timed run (cumulative):", "```", run.profile, "```")
    return run.per_second >= TARGET_PER_SECOND


def main() -> int:
    """Run alone: the email intake table for one database."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--tickets",
        type=int,
        default=1_000_000,
        help="volume; below a million, a database of its own (seeded once)",
    )
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--profile", action="store_true", help="cProfile the run")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    sys.path.insert(0, str(ROOT))
    import run

    run.configure_environment()
    run.create_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    print("Load average before the run: {:.2f} {:.2f} {:.2f}.".format(*os.getloadavg()))
    ok = report(
        lambda *lines: print(*lines, sep="\n", flush=True),
        tickets=args.tickets,
        messages=args.messages,
        create=lambda name: run.create_database(f"{base}/{name}"),
        profile=args.profile,
    )
    print("Load average after the run: {:.2f} {:.2f} {:.2f}.".format(*os.getloadavg()))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
