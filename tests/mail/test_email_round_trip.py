"""An email's whole round trip on real parts: a mail server posts it, a real
Celery worker on Redis sends the acknowledgement to a real SMTP server, and
the customer's answer to that acknowledgement joins the same ticket."""

import pytest
from django.core.cache import cache

from tickets.models import CustomerEmail, Ticket

from ..markers import requires_postgres, requires_redis
from ..smtp import smtp_sink
from ..worker import running_worker, wait_for, wait_for_sent
from .builders import raw_email

pytestmark = [
    requires_redis,
    requires_postgres("a worker process shares the test database over the network"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
SECRET = "s3cret-for-the-mail-server-0123456789"


def post(client, raw):
    return client.generic(
        "POST",
        "/inbound/email/",
        raw,
        content_type="message/rfc822",
        HTTP_AUTHORIZATION=f"Bearer {SECRET}",
    )


def test_an_email_is_acknowledged_in_its_thread_and_the_answer_joins_the_ticket(
    client, queue, settings
):
    settings.INBOUND_EMAIL_SECRET = SECRET
    cache.clear()
    env = {"DJANGO_SETTINGS_MODULE": "tests.smtp_settings"}
    with smtp_sink() as (inbox, port):
        env["TEST_SMTP_PORT"] = str(port)
        with running_worker(extra_env=env, queue="celery"):
            first = post(
                client,
                raw_email(
                    sender="ليلى <layla@example.com>",
                    subject="استفسار عن الفاتورة",
                    body="أرجو توضيح البنود في فاتورة هذا الشهر.",
                    message_id="<q1@mail.example.com>",
                ),
            )
            wait_for(lambda: inbox.messages)
            wait_for_sent()

    ticket = Ticket.objects.get()
    assert first.status_code == 202
    assert first.json()["ticket"] == ticket.number
    (acknowledgement,) = inbox.messages
    assert acknowledgement["To"] == "layla@example.com"
    assert ticket.number in acknowledgement["Subject"]
    assert acknowledgement["In-Reply-To"] == "<q1@mail.example.com>"
    assert acknowledgement["Auto-Submitted"] == "auto-generated"
    assert CustomerEmail.objects.get().sent_at is not None

    answer = post(
        client,
        raw_email(
            sender="layla@example.com",
            subject=f"Re: {acknowledgement['Subject']}",
            body="وهذه صورة الفاتورة.",
            message_id="<q2@mail.example.com>",
            headers={"In-Reply-To": acknowledgement["Message-ID"]},
        ),
    )

    assert answer.json() == {
        "outcome": "threaded",
        "ticket": ticket.number,
        "reason": "",
    }
    assert ticket.messages.filter(direction="inbound").count() == 2
