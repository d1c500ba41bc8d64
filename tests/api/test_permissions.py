"""Who may call what: every /api/v1/ route × method × role, read from the URL
configuration. A new endpoint without its row in EXPECTED fails here."""

import json

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from api.views.tickets import etag
from webhooks.models import Subscription

from ..factories import make_ticket
from .conftest import token_client

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "customer", "agent of another queue", "agent", "supervisor"]

# Route name and method: the answer to each role, in the order of ROLES.
# Another queue's ticket is not found (404), as on the web.
EXPECTED = {
    ("queue-list", "GET"): (401, 403, 200, 200, 200),
    ("category-list", "GET"): (401, 403, 200, 200, 200),
    ("customer-list", "GET"): (401, 403, 200, 200, 200),
    ("ticket-list", "GET"): (401, 403, 200, 200, 200),
    # The new ticket is for the "service" queue, which the other agent does not work.
    ("ticket-list", "POST"): (401, 403, 400, 201, 201),
    ("ticket-detail", "GET"): (401, 403, 404, 200, 200),
    ("ticket-detail", "PATCH"): (401, 403, 404, 200, 200),
    ("ticket-messages", "GET"): (401, 403, 404, 200, 200),
    ("ticket-events", "GET"): (401, 403, 404, 200, 200),
    ("ticket-reply", "POST"): (401, 403, 404, 201, 201),
    ("ticket-note", "POST"): (401, 403, 404, 201, 201),
    ("ticket-contact", "POST"): (401, 403, 404, 201, 201),
    # Webhooks are the supervisors'; the one used is the supervisor's own.
    ("webhook-list", "GET"): (401, 403, 403, 403, 200),
    ("webhook-list", "POST"): (401, 403, 403, 403, 201),
    ("webhook-detail", "GET"): (401, 403, 403, 403, 200),
    ("webhook-detail", "PATCH"): (401, 403, 403, 403, 200),
    ("webhook-detail", "DELETE"): (401, 403, 403, 403, 204),
    ("webhook-deliveries", "GET"): (401, 403, 403, 403, 200),
}

# What each call sends; `ticket` is a ticket of the "service" queue.
BODIES = {
    ("ticket-list", "POST"): lambda ticket: {
        "customer": ticket.customer_id,
        "subject": "Call",
        "body_text": "Called about the bill.",
        "channel": "phone",
        "queue": "service",
    },
    ("ticket-detail", "PATCH"): lambda ticket: {"priority": 3},
    ("ticket-reply", "POST"): lambda ticket: {"body_text": "Done."},
    ("ticket-note", "POST"): lambda ticket: {"body_text": "Checked."},
    ("ticket-contact", "POST"): lambda ticket: {"body_text": "They called."},
    # An address literal: nothing to resolve, so no test reaches the network.
    ("webhook-list", "POST"): lambda ticket: {
        "name": "CRM",
        "url": "https://93.184.216.34/helpdesk",
        "events": ["ticket.created"],
    },
    ("webhook-detail", "PATCH"): lambda ticket: {"is_active": False},
}


# Query strings, where a call needs one.
QUERIES = {("customer-list", "GET"): "?q=alice"}

# Routes that name no ticket.
WITHOUT_TICKET = {
    "ticket-list",
    "queue-list",
    "category-list",
    "customer-list",
    "webhook-list",
}
# Routes that name a webhook instead.
WEBHOOK_ROUTES = {"webhook-detail", "webhook-deliveries"}


def _api_routes():
    """(name, method) of every view under /api/v1/, from the URL configuration."""

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(
                    pattern.url_patterns, route, pattern.namespace or namespace
                )
            elif isinstance(pattern, URLPattern) and route.startswith("api/v1/"):
                view = pattern.callback.view_class
                for method in view.http_method_names:
                    if method not in ("head", "options") and hasattr(view, method):
                        yield pattern.name, method.upper()

    return sorted(set(walk(get_resolver().url_patterns, "", None)))


ROUTES = _api_routes()


def test_every_api_route_has_a_row_and_every_row_a_route():
    assert set(ROUTES) == set(EXPECTED)


def _client(role, request) -> Client:
    if role == "anonymous":
        return Client()
    user = {
        "customer": lambda: request.getfixturevalue("alice").user,
        "agent of another queue": lambda: request.getfixturevalue("other_agent"),
        "agent": lambda: request.getfixturevalue("agent"),
        "supervisor": lambda: request.getfixturevalue("supervisor"),
    }[role]()
    return token_client(user)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method"), ROUTES)
def test_permission_matrix(name, method, role, request, alice, queue):
    ticket = make_ticket(alice, queue)
    client = _client(role, request)
    args = [] if name in WITHOUT_TICKET else [ticket.number]
    if name in WEBHOOK_ROUTES:
        webhook = Subscription.objects.create(
            owner=request.getfixturevalue("supervisor"),
            name="CRM",
            url="https://93.184.216.34/helpdesk",
            events=["ticket.created"],
        )
        args = [webhook.pk]
    url = reverse(f"api:{name}", args=args) + QUERIES.get((name, method), "")
    body = BODIES.get((name, method), lambda t: None)(ticket)
    extra = {"HTTP_IF_MATCH": etag(ticket)} if method == "PATCH" else {}

    response = client.generic(
        method,
        url,
        data="" if body is None else json.dumps(body),
        content_type="application/json",
        **extra,
    )

    expected = EXPECTED[(name, method)][ROLES.index(role)]
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert response.json()["errors"][0]["detail"]
