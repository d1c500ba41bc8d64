"""A letter dispatched by email reaches the customer through a real worker
and SMTP server, its text the body and its PDF attached."""

import pytest
from django.conf import settings

from letters import services
from letters.models import LetterTemplate
from tickets import emails
from tickets.models import CustomerEmail
from tickets.tasks import send_customer_emails

from ..factories import CustomerFactory, make_ticket
from ..markers import requires_postgres, requires_redis
from ..smtp import smtp_sink
from ..worker import running_worker, wait_for, wait_for_sent


@pytest.fixture
def smtp_worker(monkeypatch):
    """A real worker sending to an SMTP sink, reading the files this test
    process stores; yields the sink."""
    env = {
        "DJANGO_SETTINGS_MODULE": "tests.smtp_settings",
        "TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    with smtp_sink() as (sink, port):
        env["TEST_SMTP_PORT"] = str(port)
        with running_worker(extra_env=env) as worker_queue:
            monkeypatch.setattr(
                emails,
                "kick_outbox",
                lambda: send_customer_emails.apply_async(queue=worker_queue),
            )
            yield sink


@requires_redis
@requires_postgres("a worker process shares the test database over the network")
@pytest.mark.django_db(transaction=True)
def test_a_letter_emailed_reaches_the_customer_with_its_pdf(queue, agent, smtp_worker):
    customer = CustomerFactory(
        name="Layla", email="layla@example.com", preferred_language="ar"
    )
    ticket = make_ticket(customer, queue, subject="Refund")
    template = LetterTemplate.objects.get(
        kind="follow_up", language="ar", is_active=True
    )
    letter = services.start_letter(ticket, template, by=agent)
    letter = services.save_letter(
        letter,
        subject=letter.subject,
        body="السادة/ ليلى المحترمين،\n\nنفيدكم بأن طلبكم قيد الدراسة.",
        addressee_name="ليلى",
        by=agent,
    )

    letter = services.dispatch(letter, method="email", by=agent)
    wait_for(lambda: smtp_worker.messages)
    wait_for_sent(message=letter.message)

    (email,) = smtp_worker.messages
    assert email["To"] == "layla@example.com"
    assert ticket.number in email["Subject"]
    assert "نفيدكم بأن طلبكم قيد الدراسة" in email.get_body(("plain",)).get_content()
    (pdf,) = email.iter_attachments()
    assert pdf.get_filename() == f"{letter.number}.pdf"
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_content().startswith(b"%PDF")
    assert CustomerEmail.objects.get(message=letter.message).sent_at is not None
