"""`make bench`: real volumes, a real server, one table per scenario.

Prepares a PostgreSQL database with a million tickets (seed_volume), starts
gunicorn as in production (DEBUG off, 2 sync workers, persistent database
connections), drives each scenario with wrk on loopback, and counts the
queries each page makes with Django's test client in this process, then runs
the SLA sweep and calendar arithmetic scenarios (bench/sla_bench.py) and email
intake (bench/mail_bench.py). Results
are printed and written to bench/results/latest.txt. See bench/README.md.
"""

import argparse
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
LUA_SCRIPT = ROOT / "bench" / "report.lua"
FORM_SCRIPT = ROOT / "bench" / "post_form.lua"
API_SCRIPT = ROOT / "bench" / "api_create.lua"
# A valid CSRF secret, sent as both cookie and form field by the form scenario.
BENCH_CSRF = "benchcsrfsecret0123456789abcdefg"
# "_sla": databases seeded before seed_volume made SLA clocks lack them.
DEFAULT_DATABASE_URL = "postgres://root@127.0.0.1:5432/helpdesk_bench_sla"
# The cache (sessions stay in the database) as in production; a Redis
# database of its own so the bench never touches another's keys.
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
WORKERS = 2
# The API allows each user 1,200 requests a minute; requests rotate over
# this many agents so the bench measures pages, not the throttle's 429s.
BENCH_AGENTS = 50
BENCH_SUPERVISORS = 5
DEEP_ROWS = 100_000


@dataclass(frozen=True)
class Scenario:
    """One page under load. `path` may name values found in the data."""

    name: str
    path: str
    login: bool = False
    # Whose session: "agent" (each in every queue) or "supervisor" (each
    # supervising every queue).
    role: str = "agent"
    # A POST of the public web form (bench/post_form.lua), answered by 302.
    form: bool = False
    # A POST of a new ticket to the API with a token (bench/api_create.lua),
    # answered by 201.
    api_create: bool = False

    @property
    def expected_status(self) -> int:
        """A form answers with a redirect, an API create with 201."""
        return 302 if self.form else 201 if self.api_create else 200


MINIMAL = Scenario("minimal view (framework ceiling)", "/healthz/live/")
SCENARIOS = [
    MINIMAL,
    Scenario("health check (DB)", "/healthz/"),
    Scenario("agent queue: all open, most urgent first", "/agent/", login=True),
    Scenario("agent queue: my tickets", "/agent/?view=mine", login=True),
    Scenario(
        "agent queue: all open (deep keyset page)",
        "/agent/?view=open&after={deep_cursor}",
        login=True,
    ),
    # Needs the search columns filled: `manage.py reindex_search` after seeding.
    Scenario(
        "agent search (Arabic words)",
        "/agent/search/?q=%D8%A7%D9%84%D9%81%D8%A7%D8%AA%D9%88%D8%B1%D9%87",
        login=True,
    ),
    Scenario("ticket page", "/agent/tickets/{busy_ticket}/", login=True),
    Scenario("API ticket list", "/api/v1/tickets/", login=True),
    Scenario("API ticket detail", "/api/v1/tickets/{busy_ticket}/", login=True),
    Scenario("API ticket create", "/api/v1/tickets/", api_create=True),
    Scenario("supervisor dashboard", "/supervisor/", login=True, role="supervisor"),
    Scenario("web form submission", "/support/new/", form=True),
    Scenario("customer tracking page", "/support/t/{busy_token}/"),
]


@dataclass
class Result:
    """What one scenario measured."""

    scenario: Scenario
    path: str
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    errors: int
    queries: int
    status: int
    size: int

    @property
    def per_second(self) -> float:
        """Requests answered per second of load."""
        return self.requests / self.seconds if self.seconds else 0.0


def parse_args() -> argparse.Namespace:
    """The command line: volume and load bounds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds each")
    parser.add_argument("--requests", type=int, default=30_000, help="at most, each")
    # One connection per sync worker: latency without queueing, and the
    # workers stay busy (more connections only wait in gunicorn's backlog).
    parser.add_argument("--connections", type=int, default=WORKERS)
    parser.add_argument(
        "--only", help="run only scenarios whose name contains this (or any of A|B)"
    )
    # The peer's profile (bench/README.md, "Side by side with django-helpdesk"):
    # every scenario once per round, rounds interleaved, medians reported.
    parser.add_argument(
        "--rounds", type=int, default=1, help="rounds of every scenario, interleaved"
    )
    parser.add_argument(
        "--part",
        choices=["all", "web", "sla", "imap", "mail"],
        default="all",
        help="the pages under load, the SLA scenarios, the IMAP fetch, email "
        "intake, or all",
    )
    parser.add_argument(
        "--sla-sizes",
        default="",
        help="also sweep at these volumes, each in its own database "
        "(e.g. 100000,300000)",
    )
    parser.add_argument(
        "--sla-due", type=int, default=10_000, help="milestones newly due per sweep"
    )
    parser.add_argument("--sla-repeat", type=int, default=3, help="runs per sweep")
    parser.add_argument(
        "--imap-messages", type=int, default=10_000, help="IMAP backlog to fetch"
    )
    parser.add_argument(
        "--mail-messages", type=int, default=2000, help="emails taken in, timed"
    )
    return parser.parse_args()


def configure_environment() -> dict[str, str]:
    """Production-like settings, shared by this process and gunicorn."""
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("REDIS_URL", DEFAULT_REDIS_URL)
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.update(
        DEBUG="0",
        HTTPS="0",
        ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SETTINGS_MODULE="helpdesk.settings",
        LOG_LEVEL="WARNING",
        # The form scenario is one address sending thousands of requests: it
        # measures the form, so the per-IP limit is lifted (still checked).
        SUPPORT_RATE_IP="100000000/m",
        SUPPORT_RATE_EMAIL="100000000/m",
        # Likewise the API create scenario is one token.
        API_RATE_TOKEN="100000000/minute",
        API_RATE_USER="100000000/minute",
    )
    return dict(os.environ)


def create_database(url: str) -> None:
    """Create the PostgreSQL database named in `url` if it does not exist."""
    import environ
    import psycopg
    from psycopg import sql

    config = environ.Env.db_url_config(url)
    if "postgresql" not in config["ENGINE"]:
        return
    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not exists:
            conn.execute(
                sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"]))
            )


def prepare_data(tickets: int, say) -> None:
    """Migrate, top the tickets up to `tickets`, and collect static files."""
    import search_fill
    from django.core.management import call_command
    from django.db import connection

    from sla.models import SLAClock
    from tickets.models import Ticket

    call_command("migrate", interactive=False, verbosity=0)
    have = Ticket.objects.count()
    if have and not SLAClock.objects.exists():
        raise SystemExit(
            "The bench database was seeded before seed_volume made SLA clocks; "
            "drop it or set DATABASE_URL to another one."
        )
    if have < tickets:
        say(f"Seeding {tickets - have:,} tickets (have {have:,})...")
        call_command("seed_volume", tickets=tickets - have)
    # Databases seeded before seed_volume wrote the search columns: without
    # them the search scenario would find nothing and measure nothing.
    if connection.vendor == "postgresql" and search_fill.missing():
        say("Filling the search columns...")
        search_fill.fill(say)
    # DEBUG off serves static files through whitenoise's manifest.
    call_command("collectstatic", interactive=False, verbosity=0)


def staff_cookies(role: str) -> list[str]:
    """Session cookies for the bench agents, each in every queue, or for the
    bench supervisors, each supervising every queue."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.auth.models import Group

    from tickets.models import Queue
    from tickets.permissions import AGENTS, SUPERVISORS

    group_name, count = {
        "agent": (AGENTS, BENCH_AGENTS),
        "supervisor": (SUPERVISORS, BENCH_SUPERVISORS),
    }[role]
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    group = Group.objects.get(name=group_name)
    queues = list(Queue.objects.all())
    cookies = []
    for n in range(1, count + 1):
        user, created = get_user_model().objects.get_or_create(
            username=f"bench-{role}-{n}", defaults={"first_name": "Bench"}
        )
        if created:
            user.set_unusable_password()
            user.save()
        user.groups.add(group)
        for queue in queues:
            if role == "supervisor":
                queue.supervisors.add(user)
            else:
                queue.agents.add(user)
        store = store_class()
        store[SESSION_KEY] = user._meta.pk.value_to_string(user)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={store.session_key}")
    return cookies


def release_bench_supervisors() -> None:
    """Take the bench supervisors off the queues again. The SLA sweep tells
    every supervisor of a queue about each breach: left there, they would
    make seven supervisors a queue instead of the seeded two, and the sweep
    scenario would write 74,000 notifications instead of 27,000."""
    from django.contrib.auth import get_user_model

    from tickets.models import Queue

    bench = get_user_model().objects.filter(username__startswith="bench-supervisor-")
    Queue.supervisors.through.objects.filter(user__in=bench).delete()


# The web-form scenario's addresses (bench/post_form.lua, count_queries).
FORM_EMAILS = "bench-"


def remove_form_tickets() -> int:
    """Delete what the web-form scenario submitted (its customers, their
    tickets and everything hanging from them), so runs repeat: left in, each
    run's thousand newest tickets pushed the search word further down the
    newest-first order and changed which ticket is the busiest recent one."""
    from customers.models import Customer
    from portal.models import WebSubmission
    from tickets.models import Ticket

    customers = Customer.objects.filter(
        email__startswith=FORM_EMAILS, email__endswith="@example.com"
    )
    removed, _ = Ticket.objects.filter(customer__in=customers).delete()
    customers.delete()
    WebSubmission.objects.filter(email__startswith=FORM_EMAILS).delete()
    return removed


def open_form_requests(say) -> None:
    """Open the tickets of what the web-form scenario's POSTs left waiting,
    as a worker does (portal/intake.py), and say how fast: the form answers
    once a request is kept, so this is the other half of its cost."""
    from portal import intake
    from portal.models import WebSubmission

    waiting = WebSubmission.objects.waiting().count()
    started = time.perf_counter()
    opened = intake.open_waiting(seconds=3600)
    seconds = time.perf_counter() - started
    say(
        "",
        f"One worker process opened the {opened:,} tickets of {waiting:,} "
        f"waiting requests in {seconds:.1f} s: {opened / seconds:,.0f} per second.",
    )


def data_values() -> dict[str, str]:
    """Values scenario paths refer to: a deep cursor, a ticket with replies."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count, F

    from api.tokens import create_token
    from customers.models import Customer
    from tickets.models import Message, Queue, Ticket
    from tickets.pagination import encode_urgency_cursor

    open_tickets = Ticket.objects.open().order_by(
        F("due_at").asc(nulls_last=True), "pk"
    )
    depth = min(DEEP_ROWS, max(open_tickets.count() * 3 // 4, 0))
    deep = open_tickets.values_list("due_at", "pk")[depth : depth + 1]
    newest = Ticket.objects.order_by("-pk").values_list("pk", flat=True)[:2000]
    busy = (
        Message.objects.filter(ticket__in=list(newest))
        .values("ticket__number", "ticket__tracking_token")
        .annotate(count=Count("pk"))
        .order_by("-count", "ticket__number")
        .first()
    )

    agent = get_user_model().objects.get(username="bench-agent-1")
    return {
        "api_token": create_token(agent, name="bench")[1],
        "api_customer": str(
            Customer.objects.order_by("pk").values_list("pk", flat=True)[0]
        ),
        "api_queue": Queue.objects.order_by("pk").values_list("slug", flat=True)[0],
        "deep_cursor": encode_urgency_cursor(*deep[0]) if deep else "",
        "busy_ticket": busy["ticket__number"] if busy else "none",
        "busy_token": busy["ticket__tracking_token"] if busy else "none",
    }


FORM_FIELDS = {
    "name": "Bench Customer",
    "language": "ar",
    "kind": "inquiry",
    "subject": "استفسار",
    "message": "أرجو التوضيح please explain my bill",
}


API_BODY = {
    "channel": "phone",
    "subject": "Call",
    "body_text": "استفسار about the bill",
}


def count_queries(scenario: Scenario, path: str, cookie: str | None, values: dict):
    """Queries, status and size of one request, after a warm-up request."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    if cookie:
        name, value = cookie.split("=", 1)
        client.cookies[name] = value

    def send():
        if scenario.api_create:
            return client.post(
                path,
                API_BODY
                | {
                    "customer": int(values["api_customer"]),
                    "queue": values["api_queue"],
                },
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Token {values['api_token']}",
            )
        if not scenario.form:
            return client.get(path)
        email = f"bench-count-{secrets.token_hex(6)}@example.com"
        return client.post(path, FORM_FIELDS | {"email": email})

    # Twice: a first view renders and keeps the ticket page, a second
    # prepares the statement its stamp is read with (once per session).
    send()
    send()
    with CaptureQueriesContext(connection) as queries:
        response = send()
    return len(queries), response.status_code, len(response.content)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    """gunicorn as in production, in its own process group; wait until it answers."""
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [
            str(gunicorn),
            "helpdesk.wsgi",
            "-w",
            str(WORKERS),
            "-b",
            f"127.0.0.1:{port}",
            "--error-logfile",
            str(log),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while process.poll() is None and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/live/"):
                return process
        except OSError:
            time.sleep(0.2)
    stop_gunicorn(process)
    raise RuntimeError(f"gunicorn did not start; see {log}")


def stop_gunicorn(process: subprocess.Popen) -> None:
    """Stop gunicorn and its workers (the whole process group)."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def ensure_wrk() -> str:
    """The wrk binary, installing the Debian package when it is missing."""
    if not shutil.which("wrk"):
        subprocess.run([str(ROOT / "scripts" / "apt-install"), "wrk"], check=True)
    return shutil.which("wrk") or "wrk"


def run_wrk(
    wrk: str, url: str, args, script: Path, extra: list[str], seconds: int, limit: int
):
    """Load `url` for `seconds` or `limit` requests, whichever comes first,
    with the wrk `script` and its `extra` arguments."""
    command = [
        wrk,
        "-t1",
        f"-c{args.connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        url,
        "--",
        str(limit),
        *extra,
    ]
    # wrk has no request limit of its own: the script announces it, and
    # SIGINT makes wrk stop and report the time actually spent.
    figures = {}
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        try:
            for line in process.stdout:
                if line.strip() == "limit reached":
                    process.send_signal(signal.SIGINT)
                key, sep, value = line.strip().partition("=")
                if sep and value.isdigit():
                    figures[key] = int(value)
            process.wait(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
    if process.returncode or "requests" not in figures:
        raise RuntimeError(f"wrk failed on {url} (exit {process.returncode})")
    return figures


def measure(wrk, base, scenario, path, args, cookies, queries, values) -> Result:
    """Warm up, then load one scenario; combine with its query count."""
    if scenario.form:
        script, extra = FORM_SCRIPT, [BENCH_CSRF]
    elif scenario.api_create:
        script = API_SCRIPT
        extra = [values["api_token"], values["api_customer"], values["api_queue"]]
    else:
        script, extra = LUA_SCRIPT, cookies[scenario.role] if scenario.login else []
    url = base + path
    run_wrk(wrk, url, args, script, extra, 1, 200)
    figures = run_wrk(wrk, url, args, script, extra, args.duration, args.requests)
    count, status, size = queries
    return Result(
        scenario=scenario,
        path=path,
        requests=figures["requests"],
        seconds=figures["duration_us"] / 1e6,
        p50_ms=figures["p50_us"] / 1000,
        p95_ms=figures["p95_us"] / 1000,
        errors=figures["errors"],
        queries=count,
        status=status,
        size=size,
    )


def median_result(results: list[Result]) -> Result:
    """The round with the median rate of one scenario (the lower middle of an
    even number), so its latencies and errors are that round's own."""
    ranked = sorted(results, key=lambda result: result.per_second)
    return ranked[(len(ranked) - 1) // 2]


def cost(result: Result, minimal: Result | None) -> str:
    """How many minimal-view requests one request of `result` costs."""
    if not minimal or not result.per_second:
        return "-"
    return f"{minimal.per_second / result.per_second:.1f}×"


def scenario_table(result: Result, minimal: Result | None) -> list[str]:
    """The table printed after each scenario."""
    login = " (logged in)" if result.scenario.login else ""
    method = "POST" if result.scenario.form or result.scenario.api_create else "GET"
    return [
        "",
        f"## {result.scenario.name}",
        f"{method} {result.path}{login}: status {result.status}, {result.size:,} bytes",
        "",
        "| requests/s | p50 ms | p95 ms | errors | queries/request | cost vs minimal |",
        "|---:|---:|---:|---:|---:|---:|",
        f"| {result.per_second:,.0f} | {result.p50_ms:.2f} | {result.p95_ms:.2f} "
        f"| {result.errors}/{result.requests} | {result.queries} "
        f"| {cost(result, minimal)} |",
    ]


def summary_table(results: list[Result], minimal: Result | None) -> list[str]:
    """All scenarios in one table, as copied into bench/README.md."""
    lines = [
        "",
        "## Summary",
        "",
        "| scenario | requests/s | p50 ms | p95 ms | errors | queries/request "
        "| cost vs minimal |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        lines.append(
            f"| {result.scenario.name} | {result.per_second:,.0f} "
            f"| {result.p50_ms:.2f} | {result.p95_ms:.2f} "
            f"| {result.errors}/{result.requests} | {result.queries} "
            f"| {cost(result, minimal)} |"
        )
    return lines


def run_web(args, env: dict[str, str], say) -> list[str]:
    """The pages under load; return the names of scenarios with errors."""
    from django.db import connection

    cookies = {role: staff_cookies(role) for role in ("agent", "supervisor")}
    values = data_values()
    wrk = ensure_wrk()
    # --only "ticket page|web form": the scenarios naming any of the parts.
    wanted = args.only.split("|") if args.only else []
    scenarios = [
        s
        for s in SCENARIOS
        if s is MINIMAL or not wanted or any(part in s.name for part in wanted)
    ]
    say(
        f"gunicorn {WORKERS} sync workers; wrk 1 thread, {args.connections} "
        f"connections, at most {args.requests:,} requests or {args.duration} s "
        "per scenario."
    )
    paths = {s: s.path.format(**values) for s in scenarios}
    queries = {
        s: count_queries(s, paths[s], cookies[s.role][0] if s.login else None, values)
        for s in scenarios
    }
    # The server gets the machine to itself while it is measured.
    connection.close()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    rounds: dict[Scenario, list[Result]] = {scenario: [] for scenario in scenarios}
    results: list[Result] = []
    minimal = None
    process = start_gunicorn(port, env, RESULTS / "gunicorn.log")
    try:
        for number in range(1, args.rounds + 1):
            if args.rounds > 1:
                say("", f"# Round {number} of {args.rounds}")
            for scenario in scenarios:
                path = paths[scenario]
                result = measure(
                    wrk, base, scenario, path, args, cookies, queries[scenario], values
                )
                rounds[scenario].append(result)
                if scenario is MINIMAL:
                    minimal = result
                say(*scenario_table(result, minimal))
                if scenario.form:
                    open_form_requests(say)
    finally:
        stop_gunicorn(process)
        release_bench_supervisors()
        remove_form_tickets()
        results = [median_result(done) for done in rounds.values() if done]
        if results:
            minimal = results[0] if results[0].scenario is MINIMAL else None
            if args.rounds > 1:
                say("", f"Medians of {args.rounds} rounds.")
            say(*summary_table(results, minimal))
    # An error in any round counts, not only in the median one.
    return sorted(
        {
            r.scenario.name
            for done in rounds.values()
            for r in done
            if r.errors or r.status != r.scenario.expected_status
        }
    )


def run_sla(args, say) -> list[str]:
    """The SLA sweep and calendar scenarios; return what missed its target."""
    import sla_bench

    # Also after a web run that was interrupted.
    release_bench_supervisors()
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    met = sla_bench.report(
        say,
        tickets=args.tickets,
        sizes=[int(size) for size in args.sla_sizes.split(",") if size],
        due=args.sla_due,
        repeat=args.sla_repeat,
        create=lambda name: create_database(f"{base}/{name}"),
    )
    return [] if met else ["SLA targets"]


def run_imap(args, say) -> list[str]:
    """The IMAP backlog scenario; return what missed its target."""
    import imap_bench

    met = imap_bench.report(say, messages=args.imap_messages)
    return [] if met else ["IMAP memory"]


def run_mail(args, say) -> list[str]:
    """Email intake throughput; return what missed its target."""
    import mail_bench

    # The database prepare_data seeded to --tickets.
    met = mail_bench.report(say, tickets=None, messages=args.mail_messages)
    return [] if met else ["email intake"]


def main() -> int:
    """Prepare, measure, report; gunicorn always stops."""
    args = parse_args()
    env = configure_environment()
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    RESULTS.mkdir(parents=True, exist_ok=True)
    report: list[str] = []

    def say(*lines: str) -> None:
        """Print `lines` and keep them for bench/results/latest.txt."""
        for line in lines:
            print(line, flush=True)
            report.append(line)

    create_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.db import connection

    from tickets.models import Ticket

    prepare_data(args.tickets, say)
    say(
        f"# Bench {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"{Ticket.objects.count():,} tickets on {connection.vendor} "
        f"({connection.settings_dict['NAME']}); {os.cpu_count()} cores, "
        f"Python {platform.python_version()}.",
        # Other work on the machine skews every figure; the load shows it.
        "Load average before the run: {:.2f} {:.2f} {:.2f}.".format(*os.getloadavg()),
    )
    failed = []
    try:
        if args.part in ("all", "web"):
            failed += run_web(args, env, say)
        if args.part in ("all", "sla"):
            if args.part == "all":
                load = "Load average now: {:.2f} {:.2f} {:.2f}."
                say("", load.format(*os.getloadavg()))
            failed += run_sla(args, say)
        if args.part in ("all", "imap"):
            failed += run_imap(args, say)
        if args.part in ("all", "mail"):
            if args.part == "all":
                load = "Load average now: {:.2f} {:.2f} {:.2f}."
                say("", load.format(*os.getloadavg()))
            failed += run_mail(args, say)
    finally:
        (RESULTS / "latest.txt").write_text("\n".join(report) + "\n", encoding="utf-8")
    if failed:
        print(f"Errors or missed targets in: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
