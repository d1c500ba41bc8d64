"""Time the agent's ticket page in-process: median and p95 of N GETs of one
ticket with about twenty messages, DEBUG off, through Django's test client.

    .venv/bin/python bench/ticket_page_bench.py [--requests 200] [--profile]

It builds its data in a test database of its own (test_<DATABASE name>, kept
between runs), so it never touches the development data; pytest uses the
same name, so the two are not run at the same time. The figure is the
server's whole answer (middleware, queries, rendering), without a network.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ["DEBUG"] = "0"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

SUBJECT = "Bench: the ticket page"


def build_ticket():
    """One agent, and a ticket of theirs with twenty messages (made once)."""
    from customers.models import Customer, ServiceTier
    from tickets import services
    from tickets.models import Queue, Ticket
    from tickets.permissions import AGENTS

    agent, created = get_user_model().objects.get_or_create(username="bench-agent")
    if created:
        agent.groups.add(Group.objects.get(name=AGENTS))
    queue, _ = Queue.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    queue.agents.add(agent)
    ticket = Ticket.objects.filter(subject=SUBJECT).first()
    if ticket is None:
        customer = Customer.objects.create(
            name="ليلى",
            email="layla@example.com",
            tier=ServiceTier.objects.get(code="standard"),
        )
        ticket = services.open_ticket(
            customer=customer,
            subject=SUBJECT,
            body_text="الطلب لم يصل بعد.",
            channel="email",
            queue=queue,
        )
        for n in range(10):
            services.reply_to_ticket(ticket, body_text=f"رد رقم {n}", by=agent)
            services.add_note(ticket, body_text=f"ملاحظة {n}", by=agent)
    return agent, ticket


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    assert not settings.DEBUG
    # Not setup_test_environment(): its instrumented rendering would be timed.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    connection.creation.create_test_db(verbosity=0, keepdb=True)

    agent, ticket = build_ticket()
    client = Client()
    client.force_login(agent)
    url = ticket.get_absolute_url()
    for _ in range(10):  # warm the template cache and the connection
        assert client.get(url).status_code == 200
    profile = cProfile.Profile() if args.profile else None
    timings, cpu = [], []
    for _ in range(args.requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        if profile:
            profile.enable()
        response = client.get(url)
        if profile:
            profile.disable()
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200
    print(f"ticket page, {ticket.messages.count()} messages, {len(timings)} GETs")
    # On a busy machine the wall clock waits for the CPU; this process's own
    # CPU time (without PostgreSQL's) is the steadier figure to compare.
    for name, values in (("wall", timings), ("cpu", cpu)):
        values.sort()
        p95 = values[int(len(values) * 0.95) - 1]
        median = statistics.median(values)
        print(f"  {name}: median {median:.1f} ms, p95 {p95:.1f} ms")
    if profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
