"""The API keeps to its own OpenAPI schema: schemathesis generates requests
from /api/schema/, valid ones and invalid ones, and sends them with a token
of each role (agent, supervisor, integration, customer-facing integration)
to the app in process. No answer may be a server error or differ from the
schema."""

import itertools

import pytest
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode, checks
from schemathesis.openapi import from_wsgi

from ..factories import make_ticket
from .conftest import token_client

pytestmark = pytest.mark.django_db

# Examples per operation and mode: enough to reach every refusal, few enough
# that the four roles take a minute or two together. The agent's run goes
# deepest; the others' answers differ from it only in what they may do.
EXAMPLES = {"agent": 15, "supervisor": 5, "integration": 8, "customer_facing": 8}
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]


@pytest.fixture
def schema(db, settings):
    # schemathesis calls the app in process as "localhost".
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    # As Django's test client does: a request's end must not close the
    # connection holding the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield from_wsgi("/api/schema/?format=json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _operations(schema):
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("role", list(EXAMPLES))
def test_every_operation_answers_within_its_schema(
    schema, role, request, alice, queue, agent
):
    ticket = make_ticket(alice, queue)
    key = token_client(request.getfixturevalue(role)).defaults["HTTP_AUTHORIZATION"]
    operations = _operations(schema)
    assert len(operations) == 29

    for operation, mode in itertools.product(operations, list(GenerationMode)):

        @given(case=operation.as_strategy(mode))
        @hypothesis_settings(
            max_examples=EXAMPLES[role],
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            # A real ticket, so the calls reach past the 404 into the verbs.
            if "number" in (case.path_parameters or {}):
                case.path_parameters["number"] = ticket.number
            case.call_and_validate(headers={"Authorization": key}, checks=CHECKS)

        try:
            run()
        except Unsatisfiable:
            # No invalid request exists for an operation without parameters.
            if mode is not GenerationMode.NEGATIVE:
                raise


def test_an_error_on_one_item_of_a_list_is_within_the_schema(
    schema, supervisor, settings
):
    # The answer names the item ("events.1"); the schema must allow any item,
    # not a literal "events.INDEX".
    operation = schema["/api/v1/webhooks/"]["POST"]
    case = operation.Case(
        body={
            "name": "CRM",
            "url": "https://203.0.113.9/hooks",
            "events": ["ticket.created", "ticket.exploded"],
        },
        media_type="application/json",
    )
    key = token_client(supervisor).defaults["HTTP_AUTHORIZATION"]
    # A documentation address, public to the SSRF guard only with this on.
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True

    answer = case.call_and_validate(headers={"Authorization": key}, checks=CHECKS)

    assert answer.status_code == 400
    assert [error["attr"] for error in answer.json()["errors"]] == ["events.1"]


def test_the_schema_describes_every_endpoint_without_a_warning(tmp_path):
    # drf-spectacular warns of whatever it had to guess: a field's type, an
    # error it cannot describe, a name it made up.
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(tmp_path / "schema.yml"),
    )

    assert "/api/v1/tickets/{number}/contacts/" in (tmp_path / "schema.yml").read_text()
