"""/api/v1/webhooks/: a supervisor's integration manages its webhooks."""

import pytest
from django.utils import timezone

from tickets.permissions import SUPERVISORS
from webhooks.models import Delivery, Subscription

from ..api.conftest import token_client
from ..factories import make_staff

pytestmark = pytest.mark.django_db

URL = "/api/v1/webhooks/"


@pytest.fixture
def api(supervisor):
    return token_client(supervisor)


def test_a_webhook_made_through_the_api_answers_its_secret_once(api):
    response = api.post(
        URL,
        {
            "name": "CRM",
            "url": "https://93.184.216.34/helpdesk",
            "events": ["ticket.created", "ticket.sla_breach"],
        },
        content_type="application/json",
    )

    assert response.status_code == 201
    subscription = Subscription.objects.get()
    assert response.json()["secret"] == subscription.secret
    listed = api.get(URL).json()
    assert [w["name"] for w in listed] == ["CRM"]
    assert "secret" not in listed[0]
    assert "secret" not in api.get(f"{URL}{subscription.pk}/").json()


def test_a_private_address_or_an_unknown_event_is_refused_in_words(api):
    response = api.post(
        URL,
        {"name": "CRM", "url": "http://10.0.0.8/hook", "events": ["ticket.lost"]},
        content_type="application/json",
    )

    assert response.status_code == 400
    errors = {e["attr"]: e["detail"] for e in response.json()["errors"]}
    assert "local or private network address (10.0.0.8)" in errors["url"]
    assert "not a valid choice" in errors["events.0"]
    assert not Subscription.objects.exists()


def test_pausing_resuming_and_reading_the_log(api, subscribe):
    subscription = subscribe()
    Delivery.objects.create(
        subscription=subscription,
        event_type="ticket.created",
        ticket_number="HD-2026-000001",
        state="failed",
        attempts=10,
        response_code=502,
        created_at=timezone.now(),
    )
    detail = f"{URL}{subscription.pk}/"

    paused = api.patch(detail, {"is_active": False}, content_type="application/json")
    resumed = api.patch(detail, {"is_active": True}, content_type="application/json")
    log = api.get(f"{detail}deliveries/").json()

    assert paused.json()["is_active"] is False
    assert paused.json()["paused_at"]
    assert resumed.json()["is_active"] is True
    assert [(d["event_type"], d["response_code"]) for d in log["results"]] == [
        ("ticket.created", 502)
    ]


def test_another_supervisors_webhook_is_not_found(api, subscribe):
    theirs = subscribe(owner=make_staff("other-supervisor", SUPERVISORS))

    assert api.get(f"{URL}{theirs.pk}/").status_code == 404
    assert api.delete(f"{URL}{theirs.pk}/").status_code == 404
    assert api.get(f"{URL}-1/").json()["errors"][0]["code"] == "not_found"
    assert api.get(f"{URL}¹/").json()["errors"][0]["code"] == "not_found"
