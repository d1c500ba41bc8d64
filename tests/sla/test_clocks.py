"""The SLA clock rules (SPEC, "Service levels"), one test per rule, through the
real service verbs."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customers.models import ServiceTier
from helpdesk.channels import Channel
from sla import config as sla_config
from sla.ledger import Condition, LedgerEntry, Skipped
from sla.models import SLAClock, SLAMilestone
from tickets import services
from tickets.models import Ticket, TicketEvent

from ..factories import make_ticket

pytestmark = pytest.mark.django_db
RIYADH = ZoneInfo("Asia/Riyadh")
Target = SLAClock.Target


def riyadh(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=RIYADH)


def at(text: str):
    return time_machine.travel(riyadh(text), tick=False)


def clock(ticket: Ticket, target: str) -> SLAClock:
    return SLAClock.objects.get(ticket=ticket, target=target)


def ledger(ticket: Ticket) -> list[tuple[str, str]]:
    return list(
        ticket.events.filter(action__in=TicketEvent.Action.sla()).values_list(
            "action", "sla_target"
        )
    )


def open_at(when: str, customer, queue, **fields) -> Ticket:
    with at(when):
        return make_ticket(customer, queue, **fields)


def test_clocks_start_at_received_at_not_when_the_letter_is_entered(
    policies, bob, queue, agent
):
    with at("2026-11-30 10:00"):
        ticket = make_ticket(
            bob,
            queue,
            channel=Channel.LETTER,
            received_at=riyadh("2026-11-29 09:00"),
            by=agent,
        )

    first = clock(ticket, Target.FIRST_RESPONSE)
    assert ticket.sla_policy == policies["written"]
    assert first.started_at == riyadh("2026-11-29 09:00")
    assert first.due_at == riyadh("2026-12-01 09:00")
    assert clock(ticket, Target.RESOLUTION).due_at == riyadh("2026-12-03 09:00")
    assert ticket.due_at == first.due_at
    assert ticket.at_risk_at == riyadh("2026-11-30 21:00")  # 75 % of 48 h


def test_the_first_public_reply_on_any_channel_meets_the_first_response(
    policies, bob, queue, agent
):
    ticket = open_at("2026-11-30 09:00", bob, queue)

    with at("2026-11-30 11:00"):
        services.reply_to_ticket(
            ticket, body_text="Called back", channel=Channel.PHONE, by=agent
        )

    first = clock(ticket, Target.FIRST_RESPONSE)
    assert first.status == SLAClock.Status.MET
    assert first.stopped_at == riyadh("2026-11-30 11:00")
    assert not first.milestones.filter(reached_at__isnull=True).exists()
    ticket.refresh_from_db()
    # The resolution clock is now the nearest.
    assert ticket.due_at == clock(ticket, Target.RESOLUTION).due_at


def test_an_internal_note_is_not_a_response(policies, bob, queue, agent):
    ticket = open_at("2026-11-30 09:00", bob, queue)

    with at("2026-11-30 10:00"):
        services.add_note(ticket, body_text="Checking with billing", by=agent)

    assert clock(ticket, Target.FIRST_RESPONSE).status == SLAClock.Status.RUNNING


def test_a_reply_after_the_due_time_misses_the_first_response(
    policies, bob, queue, agent
):
    ticket = open_at("2026-11-30 09:00", bob, queue)

    with at("2026-12-02 09:00:01"):
        services.reply_to_ticket(ticket, body_text="Sorry for the wait", by=agent)

    assert clock(ticket, Target.FIRST_RESPONSE).status == SLAClock.Status.MISSED
    assert ("sla_missed", "first_response") in ledger(ticket)


def test_a_call_answered_during_the_contact_is_the_first_response(
    policies, bob, queue, agent
):
    with at("2026-11-30 10:00"):
        ticket = make_ticket(bob, queue, channel=Channel.PHONE, by=agent, answered=True)

    first = clock(ticket, Target.FIRST_RESPONSE)
    assert ticket.sla_policy == policies["live"]
    assert first.status == SLAClock.Status.MET
    assert ticket.first_responded_at == riyadh("2026-11-30 10:00")
    assert clock(ticket, Target.RESOLUTION).status == SLAClock.Status.RUNNING


def test_next_response_restarts_at_each_customer_message_after_a_reply(
    policies, bob, queue, agent
):
    ticket = open_at("2026-11-30 09:00", bob, queue)
    with at("2026-11-30 10:00"):
        services.reply_to_ticket(ticket, body_text="Which order?", by=agent)
    with at("2026-11-30 12:00"):
        services.add_message(ticket, direction="inbound", body_text="Order 77")

    following = clock(ticket, Target.NEXT_RESPONSE)
    assert (following.cycle, following.status) == (1, SLAClock.Status.RUNNING)
    assert following.due_at == riyadh("2026-12-01 12:00")

    with at("2026-11-30 13:00"):
        services.reply_to_ticket(ticket, body_text="Found it", by=agent)
    with at("2026-12-01 08:00"):
        services.add_message(ticket, direction="inbound", body_text="Thanks, and?")

    following.refresh_from_db()
    assert (following.cycle, following.status) == (2, SLAClock.Status.RUNNING)
    assert following.started_at == riyadh("2026-12-01 08:00")
    assert following.due_at == riyadh("2026-12-02 08:00")
    assert ledger(ticket).count(("sla_met", "next_response")) == 1


def test_a_second_message_before_the_reply_does_not_extend_the_next_response(
    policies, bob, queue, agent
):
    ticket = open_at("2026-11-30 09:00", bob, queue)
    with at("2026-11-30 10:00"):
        services.reply_to_ticket(ticket, body_text="Which order?", by=agent)
    with at("2026-11-30 12:00"):
        services.add_message(ticket, direction="inbound", body_text="Order 77")
    with at("2026-11-30 18:00"):
        services.add_message(ticket, direction="inbound", body_text="Hello?")

    assert clock(ticket, Target.NEXT_RESPONSE).due_at == riyadh("2026-12-01 12:00")


def test_customer_messages_before_the_first_response_start_no_next_response(
    policies, bob, queue
):
    ticket = open_at("2026-11-30 09:00", bob, queue)
    with at("2026-11-30 12:00"):
        services.add_message(ticket, direction="inbound", body_text="Any news?")

    assert not ticket.clocks.filter(target=Target.NEXT_RESPONSE).exists()


def test_pending_pauses_the_resolution_clock_and_keeps_the_time_used(
    policies, bob, queue, agent
):
    # Phone, office hours: resolution within 40 business hours.
    with at("2026-11-30 08:00"):  # Monday
        ticket = make_ticket(bob, queue, channel=Channel.PHONE, by=agent, answered=True)
    with at("2026-11-30 12:00"):
        services.change_status(ticket, status="pending", by=agent)

    resolution = clock(ticket, Target.RESOLUTION)
    assert resolution.status == SLAClock.Status.PAUSED
    assert resolution.used == timedelta(hours=4)
    assert resolution.due_at is None
    assert not SLAMilestone.objects.filter(
        clock=resolution, reached_at__isnull=True
    ).exists()
    ticket.refresh_from_db()
    assert ticket.due_at is None

    # A week waiting on the customer costs nothing.
    with at("2026-12-07 08:00"):  # the next Monday
        services.add_message(ticket, direction="inbound", body_text="Here it is")

    resolution.refresh_from_db()
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    assert resolution.status == SLAClock.Status.RUNNING
    # 36 business hours left: Mon-Wed (24 h), Thursday 10 Dec 08:00-16:00,
    # then Sunday 13 Dec 08:00-12:00.
    assert resolution.due_at == riyadh("2026-12-13 12:00")
    assert ("sla_paused", "resolution") in ledger(ticket)
    assert ("sla_resumed", "resolution") in ledger(ticket)


def test_resolving_stops_the_resolution_clock_and_reopening_resumes_it(
    policies, bob, queue, agent
):
    with at("2026-11-30 08:00"):
        ticket = make_ticket(bob, queue, channel=Channel.PHONE, by=agent, answered=True)
    with at("2026-11-30 18:00"):  # after hours: 8 business hours used
        services.change_status(ticket, status="resolved", by=agent)

    resolution = clock(ticket, Target.RESOLUTION)
    assert resolution.status == SLAClock.Status.MET
    assert resolution.used == timedelta(hours=8)

    with at("2026-12-01 08:00"):
        services.add_message(ticket, direction="inbound", body_text="Broken again")

    resolution.refresh_from_db()
    assert resolution.status == SLAClock.Status.RUNNING
    # 32 business hours from Tuesday 08:00: Tuesday, Wednesday, (Thursday is
    # a holiday, then the weekend), Sunday and Monday to 16:00.
    assert resolution.due_at == riyadh("2026-12-07 16:00")
    assert ledger(ticket).count(("sla_met", "resolution")) == 1


def test_changing_the_priority_reselects_the_policy_from_the_original_start(
    policies, bob, queue, agent
):
    ticket = open_at("2026-11-30 09:00", bob, queue)  # written: 48 h round the clock

    with at("2026-11-30 10:00"):
        services.change_priority(ticket, priority=Ticket.Priority.URGENT, by=agent)

    ticket.refresh_from_db()
    assert ticket.sla_policy == policies["urgent"]
    # 2 business hours from the original 09:00 start, not from the change.
    assert clock(ticket, Target.FIRST_RESPONSE).due_at == riyadh("2026-11-30 11:00")
    assert ticket.due_at == riyadh("2026-11-30 11:00")
    assert (
        ticket.events.filter(action="sla_policy").values_list("new_value", flat=True)
    ).last() == "T urgent"


@pytest.mark.parametrize(
    ("change", "policy"),
    [
        (lambda t, by: services.change_kind(t, kind="complaint", by=by), "complaints"),
        (
            lambda t, by: services.change_channel(t, channel=Channel.PHONE, by=by),
            "live",
        ),
        (
            lambda t, by: services.change_customer_tier(
                t.customer, tier=ServiceTier.objects.get(code="vip"), by=by
            ),
            "written",  # VIP alone matches no tighter test policy
        ),
    ],
)
def test_changing_kind_channel_or_tier_reselects_the_policy(
    policies, bob, queue, agent, change, policy
):
    ticket = open_at("2026-11-30 09:00", bob, queue)

    with at("2026-11-30 10:00"):
        change(ticket, agent)

    ticket.refresh_from_db()
    assert ticket.sla_policy == policies[policy]


def test_a_vip_complaint_gets_the_vip_complaint_policy_after_a_tier_change(
    policies, bob, queue, agent
):
    ticket = open_at("2026-11-30 09:00", bob, queue, kind="complaint")
    assert ticket.sla_policy == policies["complaints"]

    with at("2026-11-30 10:00"):
        services.change_customer_tier(
            bob, tier=ServiceTier.objects.get(code="vip"), by=agent
        )

    ticket.refresh_from_db()
    assert ticket.sla_policy == policies["vip_complaints"]
    assert clock(ticket, Target.FIRST_RESPONSE).due_at == riyadh("2026-11-30 13:00")


def test_resolving_ends_every_target_met_or_missed(policies, bob, queue, agent):
    ticket = open_at("2026-11-30 09:00", bob, queue)

    with at("2026-12-10 09:00"):
        services.change_status(ticket, status="resolved", by=agent)

    statuses = dict(ticket.clocks.values_list("target", "status"))
    assert statuses == {"first_response": "missed", "resolution": "missed"}
    ticket.refresh_from_db()
    assert ticket.due_at is None


def test_the_ledger_explains_the_due_time(policies, bob, queue, agent):
    with at("2026-12-02 14:00"):  # Wednesday
        ticket = make_ticket(bob, queue, kind="complaint")

    chosen = ticket.events.get(action="sla_policy")
    assert chosen.new_value == "T complaints"
    why = LedgerEntry.from_details(chosen.details)
    assert why.conditions == (Condition("ticket_kind", "complaint", ("complaint",)),)
    assert why.skipped == (Skipped("T VIP complaints", "tier", "standard", ("vip",)),)
    started = ticket.events.get(action="sla_started", sla_target="first_response")
    # 8 business hours from Wednesday 14:00: Thursday is the Test Day holiday,
    # Friday and Saturday the weekend.
    plan = LedgerEntry.from_details(started.details)
    assert plan.due_at == riyadh("2026-12-06 14:00")
    assert {
        "kind": "holiday",
        "date": "2026-12-03",
        "name": "Test Day",
        "name_ar": "",
    } in plan.calendar_rules
    assert {"kind": "closed", "days": ["2026-12-04", "2026-12-05"]} in (
        plan.calendar_rules
    )


def test_a_ticket_no_policy_matches_has_no_clocks(policies, bob, queue):
    with at("2026-11-30 09:00"):
        ticket = make_ticket(bob, queue, channel=Channel.CHAT)
    # "T live" matches chat; deactivate it to see the fallback.
    policies["live"].is_active = False
    policies["live"].save()
    with at("2026-11-30 09:00"):
        other = make_ticket(bob, queue, channel=Channel.CHAT)

    assert ticket.clocks.exists()
    assert not other.clocks.exists()
    assert other.sla_policy is None and other.due_at is None
    assert other.events.get(action="sla_policy").new_value == ""


@pytest.fixture
def cached_config(settings):
    settings.SLA_CONFIG_CACHE_SECONDS = 30
    sla_config.forget_sla_config()
    yield
    sla_config.forget_sla_config()


def test_a_process_reads_the_policies_once_while_they_are_fresh(
    policies, bob, queue, cached_config
):
    def queries_to_open() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            make_ticket(bob, queue, channel=Channel.PHONE)
        return [q["sql"] for q in captured.captured_queries]

    first = queries_to_open()
    second = queries_to_open()

    assert any("tickets_slapolicy" in sql for sql in first)
    assert not any("tickets_slapolicy" in sql for sql in second)
    assert not any("tickets_holiday" in sql for sql in second)


def test_a_policy_edited_in_the_admin_applies_at_once(
    policies, bob, queue, admin_user, client, cached_config
):
    make_ticket(bob, queue, channel=Channel.PHONE)  # loads the policies
    client.force_login(admin_user)
    live = policies["live"]

    client.post(
        "/admin/sla/slapolicy/",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": live.pk,
            "form-0-order": live.order,
            "_save": "Save",
        },  # is_active unticked
    )

    live.refresh_from_db()
    assert not live.is_active
    ticket = make_ticket(bob, queue, channel=Channel.PHONE)
    assert ticket.sla_policy is None


def test_a_resolution_target_added_while_pending_starts_paused(
    policies, bob, queue, agent
):
    policies["written"].resolution = None
    policies["written"].save()
    ticket = open_at("2026-11-30 09:00", bob, queue)
    with at("2026-11-30 10:00"):
        services.reply_to_ticket(ticket, body_text="Your account number?", by=agent)
        services.change_status(ticket, status="pending", by=agent)
    assert not ticket.clocks.filter(target=Target.RESOLUTION).exists()

    with at("2026-11-30 11:00"):
        services.change_kind(ticket, kind="complaint", by=agent)

    resolution = clock(ticket, Target.RESOLUTION)
    assert resolution.status == SLAClock.Status.PAUSED
    assert resolution.used == timedelta(hours=2)  # Monday 09:00 to 11:00
    ticket.refresh_from_db()
    assert ticket.due_at is None


def test_a_calendar_without_working_hours_still_gives_a_due_time(
    policies, bob, queue, agent
):
    policies["live"].calendar.hours.all().delete()

    with at("2026-11-30 10:00"):
        ticket = make_ticket(bob, queue, channel=Channel.PHONE, by=agent)

    # Counted round the clock instead of failing to open the ticket.
    assert clock(ticket, Target.FIRST_RESPONSE).due_at == riyadh("2026-11-30 11:00")
    started = ticket.events.get(action="sla_started", sla_target="first_response")
    assert "no working hours" in LedgerEntry.from_details(started.details).calendar


def test_a_calendar_closed_for_years_still_gives_a_due_time(
    policies, bob, queue, agent
):
    from datetime import date

    from sla.models import CalendarException

    CalendarException.objects.create(
        calendar=policies["live"].calendar,
        name="Closed by mistake",
        kind=CalendarException.Kind.CLOSED,
        start_date=date(2026, 1, 1),
        end_date=date(2031, 12, 31),
    )

    with at("2026-11-30 10:00"):
        ticket = make_ticket(bob, queue, channel=Channel.PHONE, by=agent)

    assert clock(ticket, Target.FIRST_RESPONSE).due_at == riyadh("2026-11-30 11:00")
