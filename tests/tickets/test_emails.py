"""Emails to customers: what they say, in which language, with which headers,
and the outbox that sends each once."""

import smtplib
from datetime import timedelta

import pytest
from django.utils import timezone

from portal import services as portal_services
from tickets import emails, services
from tickets.models import CustomerEmail

from ..factories import CustomerFactory, make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def layla(db):
    return CustomerFactory(
        name="Layla", email="layla@example.com", preferred_language="ar"
    )


def test_an_agents_web_reply_is_emailed_with_threading_headers(
    layla, queue, agent, mailoutbox, django_capture_on_commit_callbacks
):
    ticket = portal_services.submit_web_request(
        name="Layla", email="layla@example.com", subject="Refund",
        body_text="Please refund me.", language="ar",
    )  # fmt: skip
    root = ticket.messages.get().email_message_id

    with django_capture_on_commit_callbacks(execute=True):
        reply = services.reply_to_ticket(ticket, body_text="Refund sent.", by=agent)

    email = mailoutbox[-1]
    assert email.to == ["layla@example.com"]
    assert "Refund sent." in email.body
    assert "Refund sent." in email.alternatives[0][0]
    assert ticket.tracking_token in email.body
    reply.refresh_from_db()
    assert email.extra_headers["Message-ID"] == reply.email_message_id
    assert email.extra_headers["In-Reply-To"] == root
    assert email.extra_headers["References"] == root
    assert "Auto-Submitted" not in email.extra_headers


def test_the_acknowledgement_is_in_the_customers_language(
    layla, queue, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = portal_services.submit_web_request(
            name="Layla", email="layla@example.com", subject="Refund",
            body_text="Please refund me.", language="ar",
        )  # fmt: skip

    email = mailoutbox[0]
    assert ticket.number in email.subject
    assert "استلمنا طلبك" in email.subject
    assert "سنرد عليك" in email.body
    assert 'dir="rtl"' in email.alternatives[0][0]
    assert email.extra_headers["Auto-Submitted"] == "auto-generated"


def test_notes_and_logged_calls_send_no_email(
    layla, queue, agent, mailoutbox, django_capture_on_commit_callbacks
):
    ticket = make_ticket(layla, queue, channel="phone")

    with django_capture_on_commit_callbacks(execute=True):
        services.add_note(ticket, body_text="Internal", by=agent)
        services.reply_to_ticket(ticket, body_text="Called back", by=agent)

    assert mailoutbox == []


def test_a_customer_without_email_gets_no_email(queue, agent, mailoutbox):
    walk_in = CustomerFactory(email="")
    ticket = make_ticket(walk_in, queue, channel="web")

    services.reply_to_ticket(ticket, body_text="Done", by=agent)
    services.change_status(ticket, status="resolved", by=agent)

    assert not CustomerEmail.objects.exists()


def test_resolution_sends_the_rating_link(
    layla, queue, agent, mailoutbox, django_capture_on_commit_callbacks
):
    ticket = make_ticket(layla, queue, channel="letter")

    with django_capture_on_commit_callbacks(execute=True):
        services.change_status(ticket, status="resolved", by=agent)

    (email,) = mailoutbox
    assert f"/support/t/{ticket.tracking_token}/#rate-heading" in email.body
    assert "قيّم" in email.alternatives[0][0]


def test_sending_the_outbox_twice_sends_each_email_once(
    layla, queue, agent, mailoutbox
):
    ticket = make_ticket(layla, queue, channel="web")
    services.reply_to_ticket(ticket, body_text="One", by=agent)

    assert emails.send_pending() == 1
    assert emails.send_pending() == 0
    assert len(mailoutbox) == 1
    assert CustomerEmail.objects.get().sent_at is not None


def test_an_smtp_failure_keeps_the_email_for_the_retry(
    layla, queue, agent, mailoutbox, monkeypatch
):
    ticket = make_ticket(layla, queue, channel="web")
    services.reply_to_ticket(ticket, body_text="One", by=agent)

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", refuse
    )
    with pytest.raises(OSError):
        emails.send_pending()
    monkeypatch.undo()

    row = CustomerEmail.objects.get()
    assert (row.sent_at, row.claimed_at) == (None, None)
    assert emails.send_pending() == 1


def test_a_stale_claim_is_taken_over(layla, queue, agent, mailoutbox):
    ticket = make_ticket(layla, queue, channel="web")
    services.reply_to_ticket(ticket, body_text="One", by=agent)
    now = timezone.now()
    CustomerEmail.objects.update(claimed_at=now - timedelta(minutes=1))

    assert emails.send_pending(now) == 0
    assert emails.send_pending(now + emails.CLAIM_LEASE) == 1


def test_a_refused_recipient_is_marked_failed_and_not_retried(
    layla, queue, agent, monkeypatch
):
    ticket = make_ticket(layla, queue, channel="web")
    services.reply_to_ticket(ticket, body_text="One", by=agent)

    def refuse(self, messages):
        raise smtplib.SMTPRecipientsRefused({"layla@example.com": (550, b"no")})

    monkeypatch.setattr(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", refuse
    )
    assert emails.send_pending() == 0

    row = CustomerEmail.objects.get()
    assert row.failed_at is not None
    assert "550" in row.error
