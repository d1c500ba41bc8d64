"""Who may call what: every /api/v1/ route × method × role, read from the URL
configuration. A new endpoint without its row in EXPECTED fails here."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from api.views.tickets import etag
from tickets import services
from webhooks.models import Subscription

from ..factories import make_ticket
from .conftest import token_client

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "customer", "agent of another queue", "agent", "supervisor"]
# Integration accounts (api.integrations), with a row of their own per route
# in EXPECTED_FOR_INTEGRATIONS: each works the "service" queue, but the first.
INTEGRATION_ROLES = [
    "integration of another queue",
    "integration",
    "customer-facing integration",
]

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
    ("ticket-merge", "POST"): (401, 403, 404, 200, 200),
    ("ticket-attachments", "GET"): (401, 403, 404, 200, 200),
    ("ticket-attachments", "POST"): (401, 403, 404, 201, 201),
    ("attachment-download", "GET"): (401, 403, 404, 200, 200),
    ("ticket-canned-responses", "GET"): (401, 403, 404, 200, 200),
    ("ticket-sla", "GET"): (401, 403, 404, 200, 200),
    ("canned-response-list", "GET"): (401, 403, 200, 200, 200),
    # Every agent finds, records and corrects customers, as on the web.
    ("customer-list", "POST"): (401, 403, 201, 201, 201),
    ("customer-detail", "GET"): (401, 403, 200, 200, 200),
    ("customer-detail", "PATCH"): (401, 403, 200, 200, 200),
    # The dashboard's figures are the supervisors'.
    ("figures", "GET"): (401, 403, 403, 403, 200),
    # Webhooks are the supervisors'; the one used is the supervisor's own.
    ("webhook-list", "GET"): (401, 403, 403, 403, 200),
    ("webhook-list", "POST"): (401, 403, 403, 403, 201),
    ("webhook-detail", "GET"): (401, 403, 403, 403, 200),
    ("webhook-detail", "PATCH"): (401, 403, 403, 403, 200),
    ("webhook-detail", "DELETE"): (401, 403, 403, 403, 204),
    ("webhook-deliveries", "GET"): (401, 403, 403, 403, 200),
}

# The same for integration accounts, in the order of INTEGRATION_ROLES: as an
# agent of their queues, but a customer-facing one writes no internal note.
EXPECTED_FOR_INTEGRATIONS = {
    ("queue-list", "GET"): (200, 200, 200),
    ("category-list", "GET"): (200, 200, 200),
    ("customer-list", "GET"): (200, 200, 200),
    ("ticket-list", "GET"): (200, 200, 200),
    ("ticket-list", "POST"): (400, 201, 201),
    ("ticket-detail", "GET"): (404, 200, 200),
    ("ticket-detail", "PATCH"): (404, 200, 200),
    ("ticket-messages", "GET"): (404, 200, 200),
    ("ticket-events", "GET"): (404, 200, 200),
    ("ticket-reply", "POST"): (404, 201, 201),
    ("ticket-note", "POST"): (404, 201, 403),
    ("ticket-contact", "POST"): (404, 201, 201),
    ("ticket-merge", "POST"): (404, 200, 200),
    ("ticket-attachments", "GET"): (404, 200, 200),
    # Files are kept on an internal note, which a customer-facing one never writes.
    ("ticket-attachments", "POST"): (404, 201, 403),
    # The file is on an internal note: not for a customer-facing account.
    ("attachment-download", "GET"): (404, 200, 404),
    ("ticket-canned-responses", "GET"): (404, 200, 200),
    ("ticket-sla", "GET"): (404, 200, 200),
    ("canned-response-list", "GET"): (200, 200, 200),
    ("customer-list", "POST"): (201, 201, 201),
    ("customer-detail", "GET"): (200, 200, 200),
    ("customer-detail", "PATCH"): (200, 200, 200),
    ("figures", "GET"): (403, 403, 403),
    # Webhooks are the supervisors'; the one used is the supervisor's own.
    # Webhooks are the supervisors'.
    ("webhook-list", "GET"): (403, 403, 403),
    ("webhook-list", "POST"): (403, 403, 403),
    ("webhook-detail", "GET"): (403, 403, 403),
    ("webhook-detail", "PATCH"): (403, 403, 403),
    ("webhook-detail", "DELETE"): (403, 403, 403),
    ("webhook-deliveries", "GET"): (403, 403, 403),
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
    ("ticket-merge", "POST"): lambda ticket: {
        "into": make_ticket(ticket.customer, ticket.queue).number
    },
    ("ticket-attachments", "POST"): lambda ticket: {
        "files": [SimpleUploadedFile("scan.pdf", b"%PDF-1.4 a scanned page")]
    },
    ("customer-list", "POST"): lambda ticket: {"name": "Carol"},
    ("customer-detail", "PATCH"): lambda ticket: {"phone": "0501234567"},
    # An address literal: nothing to resolve, so no test reaches the network.
    ("webhook-list", "POST"): lambda ticket: {
        "name": "CRM",
        "url": "https://93.184.216.34/helpdesk",
        "events": ["ticket.created"],
    },
    ("webhook-detail", "PATCH"): lambda ticket: {"is_active": False},
}
# Bodies sent as a form with files rather than JSON.
MULTIPART = {("ticket-attachments", "POST")}
# Methods that must say which version of the ticket they change.
IF_MATCH = {("ticket-detail", "PATCH"), ("ticket-merge", "POST")}


# Query strings, where a call needs one.
QUERIES = {("customer-list", "GET"): "?q=alice"}

# Routes that name no ticket.
WITHOUT_TICKET = {
    "ticket-list",
    "queue-list",
    "category-list",
    "customer-list",
    "canned-response-list",
    "figures",
    "webhook-list",
}
# Routes that name a webhook instead.
WEBHOOK_ROUTES = {"webhook-detail", "webhook-deliveries"}
# Routes that name something else than a ticket: what, for the ticket.
OTHER_ARGS = {
    "customer-detail": lambda ticket: [ticket.customer_id],
    "attachment-download": lambda ticket: [_attachment(ticket).pk],
}


def _attachment(ticket):
    message = services.add_note(
        ticket,
        body_text="Scan.",
        attachments=[SimpleUploadedFile("scan.pdf", b"%PDF-1.4 a scanned page")],
        by=None,
    )
    return message.attachments.get()


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
    assert set(ROUTES) == set(EXPECTED_FOR_INTEGRATIONS)


def _client(role, request) -> Client:
    if role == "anonymous":
        return Client()
    user = {
        "customer": lambda: request.getfixturevalue("alice").user,
        "agent of another queue": lambda: request.getfixturevalue("other_agent"),
        "agent": lambda: request.getfixturevalue("agent"),
        "supervisor": lambda: request.getfixturevalue("supervisor"),
        "integration of another queue": lambda: request.getfixturevalue(
            "other_integration"
        ),
        "integration": lambda: request.getfixturevalue("integration"),
        "customer-facing integration": lambda: request.getfixturevalue(
            "customer_facing"
        ),
    }[role]()
    return token_client(user)


def _expected(name, method, role) -> int:
    if role in INTEGRATION_ROLES:
        return EXPECTED_FOR_INTEGRATIONS[(name, method)][INTEGRATION_ROLES.index(role)]
    return EXPECTED[(name, method)][ROLES.index(role)]


@pytest.mark.parametrize("role", ROLES + INTEGRATION_ROLES)
@pytest.mark.parametrize(("name", "method"), ROUTES)
def test_permission_matrix(name, method, role, request, alice, queue):
    ticket = make_ticket(alice, queue)
    client = _client(role, request)
    if name in OTHER_ARGS:
        args = OTHER_ARGS[name](ticket)
    else:
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
    extra = {"HTTP_IF_MATCH": etag(ticket)} if (name, method) in IF_MATCH else {}
    if (name, method) in MULTIPART:
        data, content_type = encode_multipart(BOUNDARY, body), MULTIPART_CONTENT
    else:
        data = "" if body is None else json.dumps(body)
        content_type = "application/json"

    response = client.generic(
        method, url, data=data, content_type=content_type, **extra
    )

    expected = _expected(name, method, role)
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert response.json()["errors"][0]["detail"]
    elif name == "attachment-download":
        assert b"".join(response.streaming_content) == b"%PDF-1.4 a scanned page"
