"""The cast: an agent and a supervisor of one queue, an agent of another,
alice (external, VIP) and bob (internal), each able to sign in."""

from datetime import datetime

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from customers.models import ServiceTier
from helpdesk import reference
from sla import config as sla_config
from tickets.permissions import AGENTS, SUPERVISORS

from .factories import CustomerFactory, QueueFactory, UserFactory, make_staff


@pytest.fixture
def queue(db):
    return QueueFactory(name="Customer Service", slug="service")


@pytest.fixture
def other_queue(db):
    return QueueFactory(name="Billing", slug="billing")


@pytest.fixture
def agent(queue):
    user = make_staff("agent", AGENTS, first_name="Omar")
    queue.agents.add(user)
    return user


@pytest.fixture
def other_agent(other_queue):
    user = make_staff("other-agent", AGENTS)
    other_queue.agents.add(user)
    return user


@pytest.fixture
def supervisor(queue):
    user = make_staff("supervisor", SUPERVISORS, is_staff=True)
    queue.supervisors.add(user)
    return user


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def alice(db):
    user = UserFactory(username="alice@example.com", email="alice@example.com")
    return CustomerFactory(
        name="Alice",
        email="alice@example.com",
        user=user,
        tier=ServiceTier.objects.get(code="vip"),
    )


@pytest.fixture
def bob(db):
    user = UserFactory(username="bob@example.com", email="bob@example.com")
    return CustomerFactory(
        name="Bob", email="bob@example.com", kind="internal", user=user
    )


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def agent_client(agent):
    return _client_for(agent)


@pytest.fixture
def supervisor_client(supervisor):
    return _client_for(supervisor)


@pytest.fixture
def alice_client(alice):
    return _client_for(alice.user)


@pytest.fixture
def bob_client(bob):
    return _client_for(bob.user)


def pytest_collection_modifyitems(items):
    """Transactional tests end by emptying every table, which would take the rows
    made by data migrations (role groups, service tiers, SLA defaults) from the
    tests after them; serialized rollback puts those rows back."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        fixtures = set(getattr(item, "fixturenames", ()))
        if marker and marker.kwargs.get("transaction"):
            # pytest-django reads a marked test's choice from the marker only.
            kwargs = marker.kwargs | {"serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)
        elif fixtures & {"transactional_db", "live_server"}:
            item.fixturenames.append("django_db_serialized_rollback")


@pytest.fixture
def policies(db):
    """Known SLA policies instead of the shipped defaults (see sla_fixtures)."""
    from .sla_fixtures import install_policies

    return install_policies()


@pytest.fixture
def production_caches(settings):
    """Reference data and SLA calendars cached as production keeps them
    (the test settings turn both off), starting empty: for the tests that
    measure what a page costs, or that the caches show changes."""
    settings.REFERENCE_CACHE_SECONDS = 10
    settings.SLA_CONFIG_CACHE_SECONDS = 30
    settings.TICKET_PAGE_CACHE_SECONDS = 60
    sla_config.forget_sla_config()
    cache.clear()
    reference.forget_copies()
    yield
    sla_config.forget_sla_config()
    cache.clear()
    reference.forget_copies()


@pytest.fixture(autouse=True)
def _no_reference_copies_from_other_tests():
    """Each process keeps its reference data (helpdesk.reference): a test
    starts without another test's."""
    reference.forget_copies()


def pytest_addoption(parser):
    parser.addoption(
        "--fake-now",
        metavar="ISO-8601-TIME",
        help="Run the session as if it started at this time, the clock ticking "
        "(to check that no test depends on the time of day or the weekday).",
    )


@pytest.fixture(autouse=True, scope="session")
def _fake_now(request):
    moment = request.config.getoption("--fake-now")
    if not moment:
        yield
        return
    with time_machine.travel(datetime.fromisoformat(moment), tick=True):
        yield


@pytest.fixture(autouse=True)
def _site_language():
    """Every test starts in the site's language: a request in Arabic made by
    an earlier test leaves Arabic active in the thread it ran in."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
