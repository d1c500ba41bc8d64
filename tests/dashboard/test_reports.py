"""The dashboard's figures against hand-built tickets with known answers.

Tickets go through the real services; replies and status changes happen at
chosen past moments (time_machine), so the SLA clocks, the ledger and the
ticket timestamps are exactly what production would have written.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import F

from dashboard import reports
from portal import services as portal_services
from sla.models import SLAClock, SLAPolicy
from sla.sweep import run_sweep
from tickets import services
from tickets.models import Ticket, TicketEvent
from tickets.permissions import AGENTS

from ..factories import make_staff, make_ticket
from ..markers import requires_postgres

pytestmark = pytest.mark.django_db
RIYADH = ZoneInfo("Asia/Riyadh")
# A Sunday, and the first working day of the head-office calendar's week.
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=RIYADH)
H = timedelta(hours=1)
D = timedelta(days=1)


def at(moment, action, *args, **kwargs):
    """Run a service as if it were `moment`."""
    with time_machine.travel(moment, tick=False):
        return action(*args, **kwargs)


def reply(ticket, moment, agent):
    at(moment, services.reply_to_ticket, ticket, body_text="Answer", by=agent)


def customer_writes(ticket, moment):
    at(
        moment,
        services.add_message,
        ticket,
        direction="inbound",
        body_text="And another thing",
    )


def resolve(ticket, moment, agent):
    at(moment, services.change_status, ticket, status=Ticket.Status.RESOLVED, by=agent)


def filters(queue, start, end, **fields):
    return reports.Filters(start=start, end=end, queues=(queue.pk,), **fields)


@pytest.fixture
def answered_tickets(bob, queue, agent):
    """Four email tickets of a standard customer, all received at T0, on the
    round-the-clock "Written channels" policy (48 h first and next response,
    10 days resolution), so business time equals clock time:

    | ticket | first response | next response   | resolution  |
    | a      | 1 h, met       |                 | 2 h, met    |
    | b      | 3 h, met       | 1 h, met        |             |
    | c      | 50 h, missed   |                 | 11 d, missed|
    | d      | 10 h, met      | 49 h, missed    |             |
    """
    a, b, c, d = (make_ticket(bob, queue, received_at=T0) for _ in range(4))
    for ticket in (a, b, c, d):
        services.assign_ticket(ticket, agent=agent, by=agent)
    reply(a, T0 + 1 * H, agent)
    resolve(a, T0 + 2 * H, agent)
    reply(b, T0 + 3 * H, agent)
    customer_writes(b, T0 + 4 * H)
    reply(b, T0 + 5 * H, agent)
    reply(c, T0 + 50 * H, agent)
    resolve(c, T0 + 11 * D, agent)
    reply(d, T0 + 10 * H, agent)
    customer_writes(d, T0 + 11 * H)
    reply(d, T0 + 60 * H, agent)
    return a, b, c, d


def test_compliance_and_times_per_target(answered_tickets, queue):
    period = filters(queue, T0 - D, T0 + 12 * D)

    figures = reports.sla_targets(period, now=T0 + 12 * D)

    first = figures["first_response"]
    assert (first.met, first.missed, first.compliance) == (3, 1, 75.0)
    # 60, 180, 600, 3000 minutes: the median lies halfway between the middle
    # two; the 90th percentile 70 % of the way from 600 to 3000.
    assert first.clock_median == pytest.approx(390)
    assert first.clock_p90 == pytest.approx(2280)
    assert first.business_median == pytest.approx(390)
    assert first.business_p90 == pytest.approx(2280)
    assert first.clock_count == 4
    following = figures["next_response"]
    assert (following.met, following.missed, following.compliance) == (1, 1, 50.0)
    resolution = figures["resolution"]
    assert (resolution.met, resolution.missed, resolution.compliance) == (1, 1, 50.0)
    # 120 and 15,840 minutes.
    assert resolution.clock_median == pytest.approx(7980)
    assert resolution.clock_p90 == pytest.approx(120 + 0.9 * 15720)


@requires_postgres("percentile_cont")
def test_offset_percentiles_give_what_percentile_cont_gives(answered_tickets):
    events = TicketEvent.objects.filter(
        action__in=reports.OUTCOMES, sla_target="first_response"
    )
    value = reports._used_minutes()

    by_offset = [
        reports.percentile_by_offset(events, value, f) for f in (0, 0.5, 0.9, 1)
    ]
    by_function = events.aggregate(
        **{str(f): reports.PercentileCont(value, f) for f in (0, 0.5, 0.9, 1)}
    )

    assert by_offset == pytest.approx([60, 390, 2280, 3000])
    assert by_offset == pytest.approx(list(by_function.values()))


def test_only_outcomes_within_the_period_count(answered_tickets, queue):
    # From T0 + 6 h: c's and d's first responses (50 h and 10 h), d's missed
    # next response and c's missed resolution; not a's or b's.
    period = filters(queue, T0 + 6 * H, T0 + 12 * D)

    figures = reports.sla_targets(period, now=T0 + 12 * D)

    assert (figures["first_response"].met, figures["first_response"].missed) == (1, 1)
    assert (figures["next_response"].met, figures["next_response"].missed) == (0, 1)
    assert (figures["resolution"].met, figures["resolution"].missed) == (0, 1)


def test_filters_narrow_the_figures(answered_tickets, queue, other_queue, agent):
    nobody_period = filters(queue, T0 - D, T0 + 12 * D, channel="phone")
    elsewhere = reports.Filters(start=T0 - D, end=T0 + 12 * D, queues=(other_queue.pk,))

    assert reports.sla_targets(nobody_period, T0)["first_response"].outcomes == 0
    assert reports.sla_targets(elsewhere, T0)["first_response"].outcomes == 0


def test_business_time_counts_only_working_hours(bob, queue, agent):
    # A complaint: the "Complaints" policy measures on the head-office
    # calendar (Sunday to Thursday, 08:00-16:00). Received Sunday 15:00 and
    # answered Monday 10:00: 19 hours on the clock, 3 working hours.
    ticket = make_ticket(
        bob, queue, kind=Ticket.Kind.COMPLAINT, received_at=T0.replace(hour=15)
    )
    reply(ticket, T0.replace(hour=10) + D, agent)

    figures = reports.sla_targets(filters(queue, T0 - D, T0 + 2 * D), T0 + 2 * D)

    first = figures["first_response"]
    assert (first.met, first.missed) == (1, 0)
    assert first.business_median == pytest.approx(180)
    assert first.clock_median == pytest.approx(19 * 60)


def test_backlog_counts_open_tickets_by_state(bob, queue, other_queue, agent):
    now = T0 + 3 * D
    make_ticket(bob, queue, received_at=now - 1 * H)  # due in 47 h: on track
    at_risk = make_ticket(bob, queue, received_at=now - 40 * H)  # warns at 36 h
    make_ticket(bob, queue, received_at=now - 50 * H)  # due 2 h ago: breached
    waiting = make_ticket(bob, queue, received_at=now - 2 * H)
    reply(waiting, now - 1 * H, agent)
    at(now - 1 * H, services.change_status, waiting, status="pending", by=agent)
    done = make_ticket(bob, queue, received_at=now - 3 * H)
    reply(done, now - 2 * H, agent)
    resolve(done, now - 2 * H, agent)
    make_ticket(bob, other_queue, received_at=now - 50 * H)  # not this queue
    SLAPolicy.objects.update(is_active=False)
    make_ticket(bob, queue, received_at=now - 1 * H)  # no policy: no target

    backlog = reports.backlog(filters(queue, now - D, now), now)

    assert backlog.totals == {
        "on_track": 1,
        "at_risk": 1,
        "breached": 1,
        "paused": 1,
        "no_target": 1,
    }
    assert [row.queue for row in backlog.rows] == [queue]
    assert SLAClock.objects.get(ticket=waiting, target="resolution").status == "paused"
    soon = reports.at_risk(filters(queue, now, now, horizon_hours=10), now)
    assert soon == [at_risk]


def test_breaches_today_and_this_week(bob, queue):
    # Tuesday noon; the week began on Sunday.
    now = T0 + 2 * D + 3 * H
    last_week = make_ticket(bob, queue, received_at=T0 - 4 * D)
    monday = make_ticket(bob, queue, received_at=T0 - 1 * D)
    today = make_ticket(bob, queue, received_at=now - 49 * H)
    run_sweep(last_week.received_at + 49 * H)
    run_sweep(monday.received_at + 49 * H)
    run_sweep(now)

    breaches = reports.breaches(filters(queue, now - D, now), now)

    assert (breaches.today, breaches.week) == (1, 2)
    assert breaches.week_start == datetime(2026, 3, 1, tzinfo=RIYADH)
    assert set(
        TicketEvent.objects.filter(action="sla_breach").values_list("ticket", flat=True)
    ) == {last_week.pk, monday.pk, today.pk}


def test_agents_table(answered_tickets, queue, agent, bob):
    open_one = make_ticket(bob, queue, received_at=T0)
    services.assign_ticket(open_one, agent=agent, by=agent)

    rows = reports.agents(filters(queue, T0 - D, T0 + 12 * D), now=T0 + 12 * D)

    (row,) = rows
    assert row.agent == agent
    # b, d and the new one are open (a and c resolved); d's, b's and the new
    # one's first response was due at T0 + 48 h: all breached by now.
    assert (row.open, row.breached) == (3, 3)
    assert (row.answered, row.resolved) == (4, 2)
    # Outcomes of all four: 3+1 first response, 1+1 next, 1+1 resolution.
    assert (row.met, row.missed) == (5, 3)
    assert row.compliance == pytest.approx(62.5)
    assert (row.csat, row.ratings) == (None, 0)


def test_volume_per_day_by_channel_and_category(bob, queue):
    make_ticket(bob, queue, received_at=T0)
    make_ticket(bob, queue, received_at=T0 + 1 * H, channel="phone")
    make_ticket(bob, queue, received_at=T0 + D)
    period = filters(queue, T0.replace(hour=0), T0.replace(hour=0) + 3 * D)

    volume = reports.volume(period, T0 + 3 * D)

    assert volume.daily
    assert volume.buckets == [T0.date() + n * D for n in range(3)]
    counts = {line.key: line.counts for line in volume.channels}
    assert counts == {"email": [1, 1, 0], "phone": [1, 0, 0]}
    assert [line.counts for line in volume.categories] == [[2, 1, 0]]


def test_drill_down_lists_the_tickets_behind_a_figure(answered_tickets, queue):
    a, b, c, d = answered_tickets
    period = filters(queue, T0 - D, T0 + 12 * D)
    dates = (T0.date(), (T0 + 12 * D).date())

    missed_first = reports.drill_tickets(
        period,
        reports.Drill(outcome="missed", target="first_response", outcome_dates=dates),
        T0,
    )
    resolved = reports.drill_tickets(period, reports.Drill(resolved=dates), T0)

    assert list(missed_first) == [c]
    assert set(resolved) == {a, c}


def test_ticket_times_come_from_the_ticket_rows(answered_tickets):
    a, *_ = answered_tickets

    minutes = Ticket.objects.filter(pk=a.pk).annotate(
        taken=reports.SecondsBetween("first_responded_at", "received_at") / 60.0
    )

    assert minutes.get().taken == pytest.approx(60)
    assert Ticket.objects.filter(pk=a.pk, resolved_at=F("received_at") + 2 * H)


def test_period_bounds_are_local_days():
    now = datetime(2026, 3, 3, 12, 30, tzinfo=RIYADH)

    assert reports.period_bounds("today", now) == (
        datetime(2026, 3, 3, tzinfo=RIYADH),
        now,
    )
    assert reports.period_bounds("7", now)[0] == datetime(2026, 2, 25, tzinfo=RIYADH)
    assert reports.period_bounds("custom", now, date(2026, 3, 1), date(2026, 3, 1)) == (
        datetime(2026, 3, 1, tzinfo=RIYADH),
        datetime(2026, 3, 2, tzinfo=RIYADH),
    )


def rated_ticket(customer, queue, agent, score, moment, comment=""):
    """A ticket resolved at T0 + 1 h and rated `score` at `moment`."""
    ticket = make_ticket(customer, queue, received_at=T0)
    if agent is not None:
        services.assign_ticket(ticket, agent=agent, by=agent)
    resolve(ticket, T0 + H, agent)
    return at(moment, portal_services.rate_ticket, ticket, score=score, comment=comment)


@pytest.fixture
def second_agent(queue):
    user = make_staff("agent2", AGENTS)
    queue.agents.add(user)
    return user


@pytest.fixture
def ratings(bob, queue, other_queue, agent, second_agent, other_agent):
    """Ratings around the period [T0 + 1 d, T0 + 3 d):

    | rating | assignee     | rated at      | counted |
    | 5      | agent        | T0 + 1 d      | yes: the first moment of the period |
    | 4      | agent        | T0 + 2 d      | yes |
    | 4      | agent2       | T0 + 2 d      | yes |
    | 1      | agent2       | T0 + 3 d - 1s | yes |
    | 3      | nobody       | T0 + 2 d      | yes, but no agent's |
    | 2      | agent        | T0 + 1 d - 1s | no: before the period |
    | 1      | agent2       | T0 + 3 d      | no: the period ends before |
    | 5      | other_agent  | T0 + 2 d      | no: a queue outside the scope |
    and a resolved ticket nobody rated.
    """
    second = timedelta(seconds=1)
    rated_ticket(bob, queue, agent, 5, T0 + D, "Quick and kind")
    rated_ticket(bob, queue, agent, 4, T0 + 2 * D)
    rated_ticket(bob, queue, second_agent, 4, T0 + 2 * D)
    rated_ticket(bob, queue, second_agent, 1, T0 + 3 * D - second, "Nobody called")
    rated_ticket(bob, queue, None, 3, T0 + 2 * D)
    rated_ticket(bob, queue, agent, 2, T0 + D - second)
    rated_ticket(bob, queue, second_agent, 1, T0 + 3 * D)
    rated_ticket(bob, other_queue, other_agent, 5, T0 + 2 * D)
    unrated = make_ticket(bob, queue, received_at=T0)
    resolve(unrated, T0 + H, agent)


def test_csat_counts_the_ratings_given_in_the_period(
    ratings, queue, django_assert_num_queries
):
    period = filters(queue, T0 + D, T0 + 3 * D)

    with django_assert_num_queries(1):
        figures = reports.csat(period, now=T0 + 3 * D)

    assert figures.count == 5
    assert figures.average == pytest.approx(17 / 5)
    assert figures.distribution == {1: 1, 2: 0, 3: 1, 4: 2, 5: 1}
    assert figures.rows[3] == (4, 2, pytest.approx(40.0))


def test_csat_period_boundaries_include_the_start_and_exclude_the_end(ratings, queue):
    # One second earlier takes in the 2 and drops the 1 rated at T0 + 3 d - 1 s.
    second = timedelta(seconds=1)
    earlier = filters(queue, T0 + D - second, T0 + 3 * D - second)

    figures = reports.csat(earlier, now=T0 + 3 * D)

    assert figures.distribution == {1: 0, 2: 1, 3: 1, 4: 2, 5: 1}
    assert figures.average == pytest.approx(18 / 5)


def test_csat_follows_the_dashboard_filters(ratings, queue, agent):
    period = filters(queue, T0 + D, T0 + 3 * D)
    by_phone = filters(queue, T0 + D, T0 + 3 * D, channel="phone")
    mine = filters(queue, T0 + D, T0 + 3 * D, assignee=agent.pk)
    everywhere = reports.Filters(start=T0 + D, end=T0 + 3 * D)

    assert reports.csat(by_phone, T0) == reports.Csat()
    assert reports.csat(by_phone, T0).average is None
    assert reports.csat(mine, T0).distribution == {1: 0, 2: 0, 3: 0, 4: 1, 5: 1}
    assert reports.csat(everywhere, T0).count == 6
    assert reports.csat(period, T0).share(2) == 0


def test_agent_csat_averages_each_assignees_ratings(
    ratings, queue, agent, second_agent, django_assert_num_queries
):
    period = filters(queue, T0 + D, T0 + 3 * D)

    with django_assert_num_queries(1):
        by_agent = reports.agent_csat(period, now=T0 + 3 * D)

    assert by_agent == {
        agent.pk: (pytest.approx(4.5), 2),
        second_agent.pk: (pytest.approx(2.5), 2),
    }


def test_agents_table_shows_satisfaction_even_without_other_work(
    ratings, queue, agent, second_agent
):
    # Both agents resolved their tickets at T0 + 1 h, before the period: the
    # ratings alone put them in the table.
    rows = reports.agents(filters(queue, T0 + D, T0 + 3 * D), now=T0 + 3 * D)

    assert {row.agent: (row.csat, row.ratings) for row in rows} == {
        agent: (pytest.approx(4.5), 2),
        second_agent: (pytest.approx(2.5), 2),
    }
    assert all(row.resolved == 0 for row in rows)


def test_drill_down_lists_exactly_the_rated_tickets_behind_a_figure(ratings, queue):
    # Dashboard periods are whole local days, as are the list's date filters:
    # 2 and 3 March take in the 2 rated at 08:59 on the 2nd, not the 1 rated
    # at 08:59 on the 4th.
    days = (date(2026, 3, 2), date(2026, 3, 3))
    period = filters(queue, *reports.period_bounds("custom", T0, *days))
    now = T0 + 3 * D

    figures = reports.csat(period, now)
    rated = reports.drill_tickets(period, reports.Drill(rated=days), now)
    fours = reports.drill_tickets(period, reports.Drill(rated=days, rating=4), now)

    assert sorted(rated.values_list("rating", flat=True)) == [2, 3, 4, 4, 5]
    assert figures.distribution == {1: 0, 2: 1, 3: 1, 4: 2, 5: 1}
    assert list(fours.values_list("rating", flat=True)) == [4, 4]


@requires_postgres("EXPLAIN of a partial index")
def test_csat_reads_the_partial_index_of_rated_tickets(ratings, queue):
    from django.db import connection

    query = reports._rated(filters(queue, T0 + D, T0 + 3 * D))
    with connection.cursor() as cursor:
        # Statistics of this test's rows, whatever autovacuum has gathered
        # from other tests' (the plan followed them, now and then choosing
        # another index).
        cursor.execute("ANALYZE tickets_ticket")
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = query.explain()

    assert "ticket_rated_idx" in plan
