import re

import pytest
from django.urls import reverse

from tickets import services

from ..factories import make_ticket

pytestmark = pytest.mark.django_db


def test_api_lists_the_tickets_an_agent_may_see(
    agent_client, alice, bob, queue, other_queue
):
    mine = make_ticket(alice, queue)
    make_ticket(bob, other_queue)

    response = agent_client.get(reverse("api:ticket-list"))

    assert response.status_code == 200
    assert [t["number"] for t in response.json()["results"]] == [mine.number]


def test_api_filters_by_status_and_queue(agent_client, agent, alice, queue):
    resolved = make_ticket(alice, queue)
    services.change_status(resolved, status="resolved", by=agent)
    make_ticket(alice, queue)

    response = agent_client.get(
        reverse("api:ticket-list"), {"status": "resolved", "queue": "service"}
    )

    assert [t["number"] for t in response.json()["results"]] == [resolved.number]


def test_api_list_query_count_does_not_grow_with_rows(
    agent_client,
    agent,
    alice,
    bob,
    queue,
    production_caches,
    django_assert_max_num_queries,
):
    for customer in (alice, bob, alice, bob):
        services.assign_ticket(make_ticket(customer, queue), agent=agent, by=agent)
    agent_client.get(reverse("api:ticket-list"))  # the reference caches filled

    with django_assert_max_num_queries(5):
        response = agent_client.get(reverse("api:ticket-list"))

    assert len(response.json()["results"]) == 4


def test_api_ticket_detail_includes_the_correspondence(
    agent_client, agent, alice, queue
):
    ticket = make_ticket(alice, queue, body_text="أين طلبي؟")
    services.reply_to_ticket(ticket, body_text="Shipped", by=agent)

    response = agent_client.get(reverse("api:ticket-detail", args=[ticket.number]))

    bodies = [m["body_text"] for m in response.json()["messages"]]
    assert bodies == ["أين طلبي؟", "Shipped"]


def test_api_refuses_customers_and_anonymous_callers_with_json(client, alice_client):
    anonymous = client.get(reverse("api:ticket-list"))
    customer = alice_client.get(reverse("api:ticket-list"))

    assert anonymous.status_code == 401
    assert anonymous.json()["errors"][0]["code"] == "not_authenticated"
    assert customer.status_code == 403
    assert customer.json()["type"] == "client_error"


def test_api_other_queues_ticket_is_not_found(agent_client, bob, other_queue):
    ticket = make_ticket(bob, other_queue)

    response = agent_client.get(reverse("api:ticket-detail", args=[ticket.number]))

    assert response.status_code == 404


def test_openapi_schema_describes_the_ticket_endpoints(client):
    response = client.get(reverse("schema"), {"format": "json"})

    paths = response.json()["paths"]
    assert "/api/v1/tickets/" in paths
    assert "/api/v1/tickets/{number}/" in paths


def test_api_docs_are_served_without_a_cdn(client):
    response = client.get(reverse("docs"))

    assert response.status_code == 200
    # Every script and stylesheet comes from this site. (A bare "cdn" search
    # would fail whenever a random CSRF token happens to contain it.)
    assets = re.findall(r'(?:src|href)="([^"]+)"', response.text)
    assert assets
    assert not [a for a in assets if a.startswith(("http:", "https:", "//"))]


def _basic(username, password):
    import base64

    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def test_the_api_does_not_take_passwords_over_http_basic(client, agent):
    response = client.get(
        reverse("api:ticket-list"), **_basic("agent", "pw-for-tests-1")
    )

    assert response.status_code == 401


def test_eighty_wrong_passwords_are_slowed_down_with_429(client, agent):
    statuses = [
        client.get(
            reverse("api:ticket-list"), **_basic("agent", f"guess-{n}")
        ).status_code
        for n in range(80)
    ]

    assert set(statuses[:60]) == {401}
    assert set(statuses[60:]) == {429}


def test_a_throttled_caller_is_told_when_to_come_back_in_json(client, settings):
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "1000/minute"}
    }

    answers = [client.get(reverse("api:ticket-list")) for _ in range(3)]

    assert [a.status_code for a in answers] == [401, 401, 429]
    assert int(answers[-1]["Retry-After"]) > 0
    assert answers[-1]["Content-Type"] == "application/json"
    assert answers[-1].json()["errors"][0]["code"] == "throttled"
    assert "throttled" in answers[-1].json()["errors"][0]["detail"]


def test_a_signed_in_agent_has_a_rate_of_their_own(
    agent_client, supervisor_client, settings
):
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {
        "DEFAULT_THROTTLE_RATES": {"anon": "1000/minute", "user": "2/minute"}
    }

    agent_answers = [agent_client.get(reverse("api:ticket-list")) for _ in range(3)]
    other = supervisor_client.get(reverse("api:ticket-list"))

    assert [a.status_code for a in agent_answers] == [200, 200, 429]
    assert other.status_code == 200
