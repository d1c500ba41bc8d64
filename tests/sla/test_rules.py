"""SLA rules as pure functions: no database, no clock."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sla import rules as sla
from sla.business_calendar import (
    ROUND_THE_CLOCK,
    BusinessCalendar,
    business_time_between,
    next_working_moment,
)

RIYADH = ZoneInfo("Asia/Riyadh")
OFFICE = BusinessCalendar.from_spec(
    RIYADH, {"sun-thu": "08:00-16:00"}, holidays=["2026-12-03"]
)

VIP_COMPLAINTS = sla.PolicyRule(
    key=1, name="VIP complaints", ticket_kinds=("complaint",), tiers=("vip",)
)
WRITTEN = sla.PolicyRule(key=2, name="Written", channels=("email", "letter"))
EVERYTHING = sla.PolicyRule(key=3, name="Everything else")
RULES = [VIP_COMPLAINTS, WRITTEN, EVERYTHING]


def facts(**changes) -> sla.TicketFacts:
    base = {
        "channel": "email",
        "tier": "standard",
        "customer_kind": "external",
        "ticket_kind": "inquiry",
        "priority": 2,
    }
    return sla.TicketFacts(**(base | changes))


def riyadh(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=RIYADH)


def test_the_first_policy_whose_every_condition_matches_wins():
    match = sla.match_policy(RULES, facts(ticket_kind="complaint", tier="vip"))

    assert match.rule is VIP_COMPLAINTS
    assert match.conditions == (
        ("tier", "vip", ("vip",)),
        ("ticket_kind", "complaint", ("complaint",)),
    )
    assert match.skipped == ()


def test_a_policy_failing_one_condition_is_skipped_with_the_reason():
    match = sla.match_policy(RULES, facts(ticket_kind="complaint"))

    assert match.rule is WRITTEN
    assert match.skipped == ((VIP_COMPLAINTS, "tier", "standard", ("vip",)),)


def test_a_policy_without_conditions_matches_every_ticket():
    match = sla.match_policy(RULES, facts(channel="phone"))

    assert match.rule is EVERYTHING
    assert match.conditions == ()


def test_no_policy_matches_when_none_accepts_the_ticket():
    assert sla.match_policy([WRITTEN], facts(channel="chat")).rule is None


@pytest.mark.parametrize(
    ("given", "expected"),
    [([], (75,)), ([90, 50, 75], (50, 75, 90)), ([100, 0, 150, 50], (50,))],
)
def test_warning_thresholds_are_sorted_and_default_to_75_percent(given, expected):
    assert sla.thresholds(given) == expected


def test_a_plan_has_a_milestone_per_threshold_and_the_due_time_last():
    plan = sla.plan_clock(
        running_since=riyadh("2026-11-30 08:00"),  # Monday
        used=timedelta(0),
        limit=timedelta(hours=16),
        warn_percents=[50, 75],
        calendar=OFFICE,
    )

    assert plan.milestones == (
        (50, riyadh("2026-11-30 16:00")),
        (75, riyadh("2026-12-01 12:00")),
        (100, riyadh("2026-12-01 16:00")),
    )
    assert plan.due_at == riyadh("2026-12-01 16:00")
    assert plan.warn_at == riyadh("2026-11-30 16:00")


def test_a_plan_skips_the_weekend_and_holidays():
    # Wednesday 14:00 + 4 business hours: Thursday is a holiday, Friday and
    # Saturday are the weekend, so it is due Sunday 10:00.
    plan = sla.plan_clock(
        running_since=riyadh("2026-12-02 14:00"),
        used=timedelta(0),
        limit=timedelta(hours=4),
        warn_percents=[],
        calendar=OFFICE,
    )

    assert plan.due_at == riyadh("2026-12-06 10:00")


def test_a_resumed_plan_counts_the_time_already_used():
    plan = sla.plan_clock(
        running_since=riyadh("2026-11-30 09:00"),
        used=timedelta(hours=3),
        limit=timedelta(hours=4),
        warn_percents=[50],
        calendar=OFFICE,
    )

    # 50 % (2 h) was passed before the pause: it falls at the resumption.
    assert plan.milestones[0] == (50, riyadh("2026-11-30 09:00"))
    assert plan.due_at == riyadh("2026-11-30 10:00")


def test_used_time_counts_only_business_hours():
    used = sla.used_until(
        used=timedelta(hours=1),
        running_since=riyadh("2026-11-30 15:00"),
        until=riyadh("2026-12-01 09:00"),
        calendar=OFFICE,
    )

    assert used == timedelta(hours=3)


def test_time_left_is_negative_after_the_due_time():
    due = riyadh("2026-11-30 12:00")

    assert sla.time_left(riyadh("2026-11-30 10:00"), due, OFFICE) == timedelta(hours=2)
    assert sla.time_left(riyadh("2026-12-01 09:00"), due, OFFICE) == -timedelta(hours=5)


@pytest.mark.parametrize(
    ("status", "now", "state"),
    [
        ("running", "2026-11-30 09:00", sla.ClockState.ON_TRACK),
        ("running", "2026-11-30 11:00", sla.ClockState.AT_RISK),
        ("running", "2026-11-30 12:00", sla.ClockState.BREACHED),
        ("paused", "2026-11-30 13:00", sla.ClockState.PAUSED),
        ("met", "2026-11-30 13:00", sla.ClockState.MET),
        ("missed", "2026-11-30 09:00", sla.ClockState.MISSED),
    ],
)
def test_clock_state_from_stored_times(status, now, state):
    assert (
        sla.clock_state(
            status=status,
            due_at=riyadh("2026-11-30 12:00"),
            warn_at=riyadh("2026-11-30 11:00"),
            now=riyadh(now),
        )
        == state
    )


def test_a_target_stopped_by_its_due_time_is_met_and_after_it_missed():
    due = datetime(2026, 11, 30, 12, tzinfo=UTC)

    assert sla.outcome(due, due) == sla.ClockState.MET
    assert sla.outcome(due + timedelta(seconds=1), due) == sla.ClockState.MISSED


def test_round_the_clock_targets_count_nights_and_weekends():
    plan = sla.plan_clock(
        running_since=riyadh("2026-12-03 20:00"),
        used=timedelta(0),
        limit=timedelta(hours=48),
        warn_percents=[],
        calendar=ROUND_THE_CLOCK,
    )

    assert plan.due_at == riyadh("2026-12-05 20:00")
    assert plan.warn_at == riyadh("2026-12-05 08:00")


@settings(max_examples=200, deadline=None)
@given(
    start=st.datetimes(
        min_value=datetime(2026, 1, 1),  # noqa: DTZ001 -- hypothesis bounds are naive
        max_value=datetime(2027, 12, 31),  # noqa: DTZ001
        timezones=st.just(RIYADH),
    ),
    pause_after=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=20)),
    paused_for=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60)),
    limit=st.timedeltas(min_value=timedelta(minutes=1), max_value=timedelta(hours=80)),
)
def test_pausing_and_resuming_spends_exactly_the_target(
    start, pause_after, paused_for, limit
):
    paused_at = start + pause_after
    resumed_at = paused_at + paused_for
    used = sla.used_until(
        used=timedelta(0), running_since=start, until=paused_at, calendar=OFFICE
    )

    plan = sla.plan_clock(
        running_since=resumed_at,
        used=used,
        limit=limit,
        warn_percents=[50],
        calendar=OFFICE,
    )

    after = business_time_between(resumed_at, plan.due_at, OFFICE)
    if used <= limit:
        assert used + after == limit
    else:
        assert plan.due_at == next_working_moment(resumed_at, OFFICE)
    assert [p for p, _ in plan.milestones] == [50, 100]
    assert plan.milestones[0][1] <= plan.due_at
