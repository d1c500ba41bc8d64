"""Staff notifications: emailed once from the outbox, by a real worker too."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from sla.sweep import run_sweep
from tickets import notifications, services
from tickets.models import Notification, TicketEvent
from tickets.tasks import sla_sweep

from ..factories import make_ticket
from ..markers import requires_postgres, requires_redis
from ..smtp import smtp_sink
from ..worker import running_worker, wait_for

RIYADH = ZoneInfo("Asia/Riyadh")
T0 = datetime(2026, 11, 30, 9, tzinfo=RIYADH)


@pytest.fixture
def breached(policies, bob, queue, agent, supervisor):
    """A ticket whose first response breached: the agent and supervisor notified."""
    with time_machine.travel(T0, tick=False):
        ticket = make_ticket(bob, queue, subject="Refund not received")
    services.assign_ticket(ticket, agent=agent, by=supervisor)
    run_sweep(T0 + timedelta(hours=48))
    return ticket


@pytest.mark.django_db
def test_each_notification_is_emailed_once(breached, mailoutbox):
    sent = notifications.send_pending_emails(timezone.now())
    again = notifications.send_pending_emails(timezone.now())

    # The agent hears of the ticket given to them and of its breach (the
    # warning collapsed into it), the supervisor of the breach.
    assert (sent, again) == (3, 0)
    breach = next(m for m in mailoutbox if m.to == ["supervisor@example.com"])
    assert breach.subject == (f"[{breached.number}] SLA breached: Refund not received")
    assert f"First response on {breached.number} is breached." in breach.body
    html = breach.alternatives[0][0]
    assert f"First response on {breached.number} is breached." in html
    assert breached.get_absolute_url() in html
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


@pytest.mark.django_db
def test_a_failing_mail_server_loses_nothing(breached, monkeypatch, mailoutbox):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("SMTP is down")

    monkeypatch.setattr(mail.get_connection().__class__, "send_messages", refuse)
    with pytest.raises(ConnectionRefusedError):
        notifications.send_pending_emails(timezone.now())
    assert (
        Notification.objects.filter(
            emailed_at__isnull=True, email_claimed_at__isnull=True
        ).count()
        == 3
    )
    monkeypatch.undo()

    notifications.send_pending_emails(timezone.now())

    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    assert len(mailoutbox) == 3


@pytest.mark.django_db
def test_a_crashed_senders_claim_is_taken_over_after_the_lease(breached, mailoutbox):
    now = timezone.now()
    Notification.objects.update(email_claimed_at=now - timedelta(minutes=1))

    assert notifications.send_pending_emails(now) == 0

    Notification.objects.update(email_claimed_at=now - timedelta(minutes=10))

    assert notifications.send_pending_emails(now) == 3


@pytest.mark.django_db
def test_staff_without_an_address_are_skipped_not_retried(breached, agent):
    agent.email = ""
    agent.save()

    sent = notifications.send_pending_emails(timezone.now())

    assert sent == 1
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


@requires_redis
@requires_postgres("a worker process shares the test database over the network")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_records_a_breach_and_its_email_reaches_smtp(
    policies, bob, queue, agent, supervisor
):
    with time_machine.travel(timezone.now() - timedelta(hours=49), tick=False):
        ticket = make_ticket(bob, queue, subject="Late answer")
    services.assign_ticket(ticket, agent=agent, by=supervisor)
    breach = f"[{ticket.number}] SLA breached: Late answer"

    with smtp_sink() as (sink, port):
        smtp = {
            "EMAIL_URL": f"smtp://127.0.0.1:{port}",
            "TEST_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        }
        with running_worker(smtp) as queue_name:
            sla_sweep.apply_async(queue=queue_name)
            arrived = wait_for(
                lambda: len([m for m in sink.messages if m["subject"] == breach]) >= 2,
                timeout=30,
            )

    assert arrived, "the breach emails did not reach the SMTP sink"
    assert TicketEvent.objects.filter(ticket=ticket, action="sla_breach").count() == 1
    # One each: the agent's warning, found by the same sweep, is folded into
    # the breach.
    breaches = [m["to"] for m in sink.messages if m["subject"] == breach]
    assert sorted(breaches) == ["agent@example.com", "supervisor@example.com"]
    assert not any("SLA warning" in m["subject"] for m in sink.messages)


@pytest.mark.django_db
def test_the_bell_counts_only_my_unread_notifications(breached, agent_client):
    response = agent_client.get("/agent/notifications/count/")

    assert response.status_code == 200
    assert 'data-testid="unread-count">2<' in response.content.decode()


@pytest.mark.django_db
def test_the_list_shows_my_notifications_in_words(
    breached, agent_client, django_assert_num_queries
):
    with django_assert_num_queries(3):  # session, user with groups, notifications
        response = agent_client.get("/agent/notifications/")

    page = response.content.decode()
    assert f"First response on {breached.number} is breached." in page
    # The warning before it became the breach: one line per clock.
    assert "has used 75% of its time" not in page
    assert f"supervisor assigned {breached.number} to you." in page


@pytest.mark.django_db
def test_opening_a_notification_marks_it_read_and_shows_the_ticket(
    breached, agent, agent_client
):
    notification = Notification.objects.filter(recipient=agent).first()

    response = agent_client.post(f"/agent/notifications/{notification.pk}/read/")

    assert response.status_code == 302
    assert response["Location"] == breached.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.django_db
def test_nobody_opens_someone_elses_notification(breached, supervisor, agent_client):
    theirs = Notification.objects.get(recipient=supervisor)

    assert (
        agent_client.post(f"/agent/notifications/{theirs.pk}/read/").status_code == 404
    )
    assert (
        agent_client.get(f"/agent/notifications/{theirs.pk}/read/").status_code == 405
    )
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
def test_mark_all_as_read_empties_the_bell(breached, agent_client):
    agent_client.post("/agent/notifications/read-all/")

    response = agent_client.get("/agent/notifications/count/")
    assert "unread-count" not in response.content.decode()


@pytest.mark.django_db
def test_customers_have_no_notifications_page(breached, bob_client):
    assert bob_client.get("/agent/notifications/").status_code == 403


@pytest.mark.django_db
def test_every_complaint_reaches_the_queue_supervisors(
    bob, queue, supervisor, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = make_ticket(bob, queue, kind="complaint", subject="Rude clerk")

    notification = Notification.objects.get(recipient=supervisor)
    assert notification.kind == "complaint"
    assert not ticket.is_escalated
    assert [m.to for m in mailoutbox] == [["supervisor@example.com"]]
    assert f"A new complaint, {ticket.number}, from Bob." in mailoutbox[0].body


@pytest.mark.django_db
def test_a_vip_complaint_starts_escalated(alice, queue, supervisor):
    ticket = make_ticket(alice, queue, kind="complaint")

    ticket.refresh_from_db()
    assert ticket.is_escalated


@pytest.mark.django_db
def test_a_ticket_reclassified_as_a_complaint_reaches_the_supervisors(
    bob, queue, agent, supervisor
):
    ticket = make_ticket(bob, queue)

    services.change_kind(ticket, kind="complaint", by=agent)

    assert Notification.objects.filter(
        recipient=supervisor, ticket=ticket, kind="complaint"
    ).exists()


@pytest.mark.django_db
def test_a_refused_staff_address_is_not_retried_for_ever(breached, monkeypatch):
    import smtplib

    def refuse(self, messages):
        raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (550, b"no")})

    monkeypatch.setattr(mail.get_connection().__class__, "send_messages", refuse)

    sent = notifications.send_pending_emails(timezone.now())

    assert sent == 0
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
