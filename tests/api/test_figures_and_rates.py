"""The dashboard's figures for reporting tools (supervisors only), and the
rate each token may call at."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tickets import services

from ..factories import make_ticket
from .conftest import token_client

pytestmark = pytest.mark.django_db

FIGURES = reverse("api:figures")
RIYADH = ZoneInfo("Asia/Riyadh")


def test_a_supervisor_reads_the_dashboards_figures_for_a_period(
    policies, supervisor_api, agent, alice, bob, queue, other_queue
):
    with time_machine.travel(datetime(2026, 11, 30, 9, 0, tzinfo=RIYADH), tick=False):
        ticket = make_ticket(bob, queue, kind="complaint", channel="phone")
        make_ticket(alice, queue, channel="email")
        # Not a queue this supervisor supervises: not counted.
        make_ticket(alice, other_queue, channel="email")
    with time_machine.travel(datetime(2026, 11, 30, 10, 0, tzinfo=RIYADH), tick=False):
        services.reply_to_ticket(ticket, body_text="Sorry.", by=agent)

    with time_machine.travel(datetime(2026, 12, 1, 12, 0, tzinfo=RIYADH), tick=False):
        response = supervisor_api.get(
            FIGURES,
            {"period": "custom", "date_from": "2026-11-30", "date_to": "2026-11-30"},
        )

    body = response.json()
    assert response.status_code == 200
    assert body["start"] == "2026-11-30T00:00:00+03:00"
    assert body["end"] == "2026-12-01T00:00:00+03:00"
    assert body["backlog"]["total"] == 2
    assert [row["queue"] for row in body["backlog"]["queues"]] == ["service"]
    first = {t["target"]: t for t in body["targets"]}["first_response"]
    assert (first["met"], first["missed"], first["compliance"]) == (1, 0, 100.0)
    assert body["volume"]["buckets"] == ["2026-11-30"]
    channels = {s["key"]: s["total"] for s in body["volume"]["channels"]}
    assert channels == {"phone": 1, "email": 1}


def test_an_agents_token_is_refused_the_figures(agent_api):
    response = agent_api.get(FIGURES)

    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "permission_denied"


@pytest.mark.parametrize(
    ("query", "attr", "code"),
    [
        ({"period": "forever"}, "period", "invalid_choice"),
        ({"date_from": "2026-12-01"}, "non_field_errors", "dates_missing"),
        (
            {"date_from": "2026-12-01", "date_to": "2026-11-01"},
            "non_field_errors",
            "dates_order",
        ),
        (
            {"date_from": "2024-01-01", "date_to": "2026-01-01"},
            "non_field_errors",
            "dates_long",
        ),
        ({"queue": "999999"}, "queue", "invalid_choice"),
        ({"horizon": "0"}, "horizon", "min_value"),
        ({"date_from": "someday", "date_to": "2026-01-01"}, "date_from", "invalid"),
    ],
)
def test_a_bad_period_or_dimension_is_a_400_with_the_dashboards_message(
    supervisor_api, query, attr, code
):
    response = supervisor_api.get(FIGURES, query)

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == attr
    assert response.json()["errors"][0]["code"] == code


def test_each_token_has_a_rate_of_its_own_answered_429_with_retry_after(
    agent, settings
):
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {
        "DEFAULT_THROTTLE_RATES": {
            "anon": "1000/minute",
            "user": "1000/minute",
            "token": "2/minute",
        }
    }
    busy, other = token_client(agent), token_client(agent)
    url = reverse("api:queue-list")

    answers = [busy.get(url) for _ in range(3)]
    others = other.get(url)

    assert [a.status_code for a in answers] == [200, 200, 429]
    assert int(answers[-1]["Retry-After"]) > 0
    assert answers[-1].json()["errors"][0]["code"] == "throttled"
    assert others.status_code == 200
