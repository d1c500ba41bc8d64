"""One clock's warnings and breach are one notification, updated by each
sweep: 50 %, 75 %, 90 % then breached is one line in the list, unread again
at each step, emailed for the first warning and for the breach."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sla.config import forget_sla_config
from sla.sweep import run_sweep
from tickets import notifications, services
from tickets.models import Notification
from tickets.outbox import Outbox
from tickets.templatetags.helpdesk import notification_sentence

from ..factories import make_ticket

RIYADH = ZoneInfo("Asia/Riyadh")
T0 = datetime(2026, 11, 30, 9, tzinfo=RIYADH)  # Monday 09:00


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


@pytest.fixture
def thresholds(policies):
    """Written channels (48 h first response, 96 h resolution, round the
    clock) warn at 50, 75 and 90 percent."""
    policies["written"].warning_thresholds = [50, 75, 90]
    policies["written"].save()
    forget_sla_config()
    return policies


@pytest.fixture
def ticket(thresholds, bob, queue, agent):
    with time_machine.travel(T0, tick=False):
        ticket = make_ticket(bob, queue, subject="Refund not received")
        services.assign_ticket(ticket, agent=agent, by=agent)
    return ticket


def first_response_rows(user):
    return list(
        Notification.objects.filter(
            recipient=user, event__sla_target="first_response"
        ).select_related("event", "ticket")
    )


def sweep_and_send(at: datetime) -> list[str]:
    """Sweep at `at`, send the emails; return the subjects sent."""
    mail.outbox.clear()
    with time_machine.travel(at, tick=False):
        run_sweep(at)
        notifications.send_pending_emails(timezone.now())
    return sorted(m.subject for m in mail.outbox)


@pytest.mark.django_db
def test_warnings_then_the_breach_are_one_notification_updated(ticket, agent):
    number = ticket.number
    steps = []
    for at in (T0 + hours(24), T0 + hours(36), T0 + hours(43.2), T0 + hours(48)):
        subjects = sweep_and_send(at)
        (row,) = first_response_rows(agent)
        steps.append((notification_sentence(row), row.read_at, subjects))
        # Read in between: the next milestone makes it unread again.
        Notification.objects.update(read_at=timezone.now())

    warning = f"[{number}] SLA warning: Refund not received"
    breach = f"[{number}] SLA breached: Refund not received"
    assert steps == [
        (f"First response on {number} has used 50% of its time.", None, [warning]),
        (f"First response on {number} has used 75% of its time.", None, []),
        (f"First response on {number} has used 90% of its time.", None, []),
        # The resolution clock's own 50 % comes due at 48 h too: its own line.
        (f"First response on {number} is breached.", None, [breach, warning]),
    ]
    assert sorted(
        Notification.objects.filter(recipient=agent).values_list(
            "event__sla_target", "kind"
        )
    ) == [("first_response", "breach"), ("resolution", "warning")]
    # The history keeps every milestone; only the notification collapses.
    assert ticket.events.filter(action__in=["sla_warning", "sla_breach"]).count() == 5


@pytest.mark.django_db
def test_the_breach_email_is_new_not_a_copy_of_the_warning(ticket, agent):
    sweep_and_send(T0 + hours(24))
    (warned,) = first_response_rows(agent)
    sweep_and_send(T0 + hours(48))
    (breached,) = first_response_rows(agent)

    assert warned.pk == breached.pk
    assert notifications.email_message_id(warned) != (
        notifications.email_message_id(breached)
    )


@pytest.mark.django_db
def test_a_breach_that_lands_while_its_warning_is_sent_is_still_emailed(
    ticket, agent, monkeypatch
):
    with time_machine.travel(T0 + hours(24), tick=False):
        run_sweep(T0 + hours(24))  # the 50 % warning, its email not sent yet
    landed = []

    def send_then_breach(self, connection, row, manager):
        """The breach's sweep commits between this email's sending and its
        marking as sent."""
        connection.send_messages([self.render(row, timezone.now())])
        if not landed:
            landed.append(row.kind)
            with time_machine.travel(T0 + hours(48), tick=False):
                run_sweep(T0 + hours(48))
        self._mark_sent(manager, row)
        return 1

    monkeypatch.setattr(Outbox, "_send", send_then_breach)
    mail.outbox.clear()
    with time_machine.travel(T0 + hours(48), tick=False):
        notifications.send_pending_emails(timezone.now())

    number = ticket.number
    assert landed == ["warning"]
    assert [m.subject for m in mail.outbox][:2] == [
        f"[{number}] SLA warning: Refund not received",
        f"[{number}] SLA breached: Refund not received",
    ]
    (row,) = first_response_rows(agent)
    assert row.kind == "breach" and row.emailed_at is not None


@pytest.mark.django_db
def test_a_late_sweep_writes_only_the_latest_milestone(ticket, agent, supervisor):
    run_sweep(T0 + hours(50))

    assert [row.kind for row in first_response_rows(agent)] == ["breach"]
    assert [row.kind for row in first_response_rows(supervisor)] == ["breach"]


@pytest.mark.django_db
def test_each_cycle_of_a_clock_is_its_own_notification(ticket, agent, bob):
    run_sweep(T0 + hours(36))
    # The agent answers; the customer writes again: next response, cycle 1;
    # answered and asked again: cycle 2.
    with time_machine.travel(T0 + hours(37), tick=False):
        services.reply_to_ticket(ticket, body_text="Looking into it", by=agent)
        services.add_message(ticket, direction="inbound", body_text="Any news?")
    run_sweep(T0 + hours(37 + 18))
    with time_machine.travel(T0 + hours(56), tick=False):
        services.reply_to_ticket(ticket, body_text="Still on it", by=agent)
        services.add_message(ticket, direction="inbound", body_text="And now?")
    run_sweep(T0 + hours(56 + 18))

    threads = Notification.objects.filter(
        recipient=agent, event__sla_target="next_response"
    ).values_list("thread", flat=True)
    assert len(set(threads)) == len(threads) == 2


@pytest.mark.django_db
def test_collapsing_keeps_the_sweeps_statement_count(thresholds, bob, queue, agent):
    def statements(count: int, start: datetime) -> int:
        for _ in range(count):
            with time_machine.travel(start, tick=False):
                ticket = make_ticket(bob, queue)
                services.assign_ticket(ticket, agent=agent, by=agent)
        run_sweep(start + hours(24))  # a first warning: inserted
        with CaptureQueriesContext(connection) as queries:
            run_sweep(start + hours(36))  # the next: updated
        return len(queries)

    assert statements(1, T0) == statements(6, T0 + hours(100)) == 10
