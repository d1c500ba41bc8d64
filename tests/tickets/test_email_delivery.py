"""Emails to customers through a real Celery worker on Redis to a real SMTP
server, and what happens when the broker is down at submit time."""

import pytest
from django.urls import reverse

from helpdesk.celery import app as celery_app
from portal.models import WebSubmission
from portal.tasks import open_web_requests
from tickets.models import CustomerEmail, Ticket

from ..markers import requires_postgres, requires_redis
from ..smtp import smtp_sink
from ..worker import running_worker, wait_for, wait_for_sent

pytestmark = [
    requires_redis,
    requires_postgres("a worker process shares the test database over the network"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FORM = {
    "name": "ليلى حسن",
    "email": "layla@example.com",
    "language": "ar",
    "kind": "inquiry",
    "subject": "استفسار عن الفاتورة",
    "message": "أرجو توضيح البنود في فاتورة هذا الشهر.",
}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def web_queue(queue):
    return queue


def smtp_worker(port, **kwargs):
    env = {"DJANGO_SETTINGS_MODULE": "tests.smtp_settings", "TEST_SMTP_PORT": str(port)}
    return running_worker(extra_env=env, **kwargs)


def _use_broker(url):
    celery_app.conf.broker_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def test_the_acknowledgement_arrives_in_the_customers_language(client, web_queue):
    with smtp_sink() as (inbox, port), smtp_worker(port, queue="celery"):
        response = client.post(reverse("portal:new"), FORM)
        wait_for(lambda: inbox.messages)
        wait_for_sent()

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    (email,) = inbox.messages
    assert email["To"] == "layla@example.com"
    assert email["Subject"].strip() == (
        f"[{ticket.number}] استلمنا طلبك: استفسار عن الفاتورة"
    )
    assert email["In-Reply-To"] == ticket.messages.get().email_message_id
    assert email["Message-ID"] == CustomerEmail.objects.get().email_message_id
    text = email.get_body(("plain",)).get_content()
    assert "سنرد عليك قبل" in text
    assert ticket.tracking_token in text
    assert 'dir="rtl"' in email.get_body(("html",)).get_content()
    assert CustomerEmail.objects.get().sent_at is not None


def test_with_the_broker_down_the_request_is_saved_and_the_email_sent_later(
    client, web_queue
):
    good = celery_app.conf.broker_url
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    _use_broker("redis://127.0.0.1:1/0")  # nothing listens there
    try:
        response = client.post(reverse("portal:new"), FORM)
    finally:
        _use_broker(good)
        celery_app.conf.task_always_eager = eager

    assert response.status_code == 302
    assert WebSubmission.objects.waiting().count() == 1

    # The broker is back: the beat entry's next run opens what waited, and
    # the worker sends its acknowledgement.
    with smtp_sink() as (inbox, port), smtp_worker(port) as queue:
        open_web_requests.apply_async(queue=queue)
        wait_for(lambda: inbox.messages)
        wait_for_sent()

    (email,) = inbox.messages
    ticket = Ticket.objects.get()
    assert ticket.number in email["Subject"]
    row = CustomerEmail.objects.get()
    assert (row.ticket, row.kind) == (ticket, "acknowledgement")
    assert row.sent_at is not None
