"""The whole path with a real Celery worker: a ticket opened, the relay run
by the worker, the delivery POSTed to a real HTTP server, signed."""

import json
import time

import pytest
from django.utils import timezone

from tickets.models import Ticket
from webhooks import services
from webhooks.events import EventType
from webhooks.models import Delivery
from webhooks.signing import verify
from webhooks.tasks import relay_ticket_events

from ..factories import CustomerFactory, make_ticket
from ..markers import requires_postgres, requires_redis
from ..worker import running_worker, wait_for
from .receiver import running_receiver


@pytest.mark.worker
@requires_redis
@requires_postgres("a worker process shares the test database over the network")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_a_signed_event_to_a_real_receiver(
    queue, supervisor, settings
):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    with running_receiver() as (url, received):
        subscription = services.create_subscription(
            owner=supervisor, name="CRM", url=url, events=[EventType.TICKET_CREATED]
        )
        ticket = make_ticket(CustomerFactory(), queue, subject="Broken meter")

        with running_worker(
            extra_env={"WEBHOOK_ALLOW_PRIVATE_NETWORKS": "1"}
        ) as worker_queue:
            relay_ticket_events.apply_async(queue=worker_queue)
            delivered = wait_for(
                lambda: Delivery.objects.filter(state="delivered").first()
            )

    assert delivered is not None, list(Delivery.objects.values())
    path, headers, body = received[0]
    assert path == "/hook"
    assert verify(
        subscription.secret,
        headers["X-Helpdesk-Signature"],
        body,
        now=int(time.time()),
    )
    assert headers["X-Helpdesk-Event-Id"] == str(delivered.event_id)
    event = json.loads(body)
    assert event["type"] == "ticket.created"
    assert event["ticket"]["number"] == ticket.number
    assert event["ticket"]["subject"] == "Broken meter"
    assert event["ticket"]["status"] == Ticket.Status.NEW
    assert delivered.response_code == 200
    assert delivered.delivered_at <= timezone.now()
