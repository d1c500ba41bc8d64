"""The outbox sends at least once: a crash between sending an email and marking
it sent sends it again, under the same Message-ID, so the copy is recognisable."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from portal import services as portal_services
from sla.sweep import run_sweep
from tickets import emails, notifications, services
from tickets.models import CustomerEmail, Notification
from tickets.outbox import CLAIM_LEASE, Outbox

from ..factories import CustomerFactory, make_ticket

pytestmark = pytest.mark.django_db

RIYADH = ZoneInfo("Asia/Riyadh")
T0 = datetime(2026, 11, 30, 9, tzinfo=RIYADH)


class Killed(BaseException):
    """The sending process dies: no handler of the code under test runs."""


@pytest.fixture
def acknowledgement(queue):
    portal_services.submit_web_request(
        name="Layla", email="layla@example.com", subject="Refund",
        body_text="Please refund me.", language="en",
    )  # fmt: skip
    return CustomerEmail.objects.get()


@pytest.fixture
def breached(policies, queue, agent, supervisor):
    """Warning and breach notifications for the agent and the supervisor."""
    with time_machine.travel(T0, tick=False):
        ticket = make_ticket(CustomerFactory(), queue, subject="Refund not received")
    services.assign_ticket(ticket, agent=agent, by=supervisor)
    run_sweep(T0 + timedelta(hours=48))
    return ticket


def _fail_marking(monkeypatch):
    def mark(self, manager, row):
        raise RuntimeError("database connection lost")

    monkeypatch.setattr(Outbox, "_mark_sent", mark)


def _die_after_sending(monkeypatch):
    def die(*args):
        raise Killed

    monkeypatch.setattr(Outbox, "_mark_sent", die)
    monkeypatch.setattr(Outbox, "_release", die)


def test_an_email_sent_but_not_marked_is_sent_again_with_the_same_message_id(
    acknowledgement, monkeypatch, mailoutbox
):
    _fail_marking(monkeypatch)
    with pytest.raises(RuntimeError):
        emails.send_pending()
    monkeypatch.undo()

    assert emails.send_pending() == 1

    first, again = mailoutbox
    assert first.extra_headers["Message-ID"] == acknowledgement.email_message_id
    assert again.extra_headers["Message-ID"] == acknowledgement.email_message_id
    acknowledgement.refresh_from_db()
    assert acknowledgement.sent_at is not None


def test_a_sender_that_dies_after_sending_is_resent_once_its_claim_expires(
    acknowledgement, monkeypatch, mailoutbox
):
    now = timezone.now()
    _die_after_sending(monkeypatch)
    with pytest.raises(Killed):
        emails.send_pending(now)
    monkeypatch.undo()

    assert emails.send_pending(now + CLAIM_LEASE - timedelta(seconds=1)) == 0
    assert emails.send_pending(now + CLAIM_LEASE + timedelta(seconds=1)) == 1

    assert [m.extra_headers["Message-ID"] for m in mailoutbox] == [
        acknowledgement.email_message_id
    ] * 2
    assert emails.send_pending(now + 3 * CLAIM_LEASE) == 0


def test_each_notification_email_has_its_own_message_id(breached, mailoutbox):
    notifications.send_pending_emails(timezone.now())

    ids = [m.extra_headers["Message-ID"] for m in mailoutbox]
    assert len(mailoutbox) == Notification.objects.count() == 3
    assert len(set(ids)) == 3
    assert all(i.startswith("<notification.") and i.endswith(">") for i in ids)


def test_a_notification_email_resent_after_a_crash_keeps_its_message_id(
    breached, monkeypatch, mailoutbox
):
    now = timezone.now()
    _die_after_sending(monkeypatch)
    with pytest.raises(Killed):
        notifications.send_pending_emails(now)
    monkeypatch.undo()
    (first,) = mailoutbox

    notifications.send_pending_emails(now + CLAIM_LEASE + timedelta(seconds=1))

    resent = [
        m
        for m in mailoutbox[1:]
        if m.extra_headers["Message-ID"] == first.extra_headers["Message-ID"]
    ]
    assert len(mailoutbox) == 4
    assert [m.subject for m in resent] == [first.subject]
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0
