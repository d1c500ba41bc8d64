"""API callers: a client sending a token of each member of the cast."""

import pytest
from django.core.cache import cache
from django.test import Client

from api.integrations import Kind, create_integration
from api.tokens import create_token


def token_client(user) -> Client:
    """A client that sends a fresh token of `user` (no session, no cookies)."""
    _token, key = create_token(user, name="tests", days=30)
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


@pytest.fixture
def agent_api(agent):
    return token_client(agent)


@pytest.fixture
def supervisor_api(supervisor):
    return token_client(supervisor)


@pytest.fixture
def other_agent_api(other_agent):
    return token_client(other_agent)


@pytest.fixture
def alice_api(alice):
    return token_client(alice.user)


@pytest.fixture
def integration(queue):
    """A phone system's account: agent-like, in the "service" queue only."""
    return create_integration(
        username="phone-system", kind=Kind.INTEGRATION, queues=[queue]
    )


@pytest.fixture
def customer_facing(queue):
    """An e-services portal's account, in the "service" queue only."""
    return create_integration(
        username="e-portal", kind=Kind.CUSTOMER_FACING, queues=[queue]
    )


@pytest.fixture
def other_integration(other_queue):
    """A billing system's account, in the "billing" queue only."""
    return create_integration(
        username="billing-system", kind=Kind.INTEGRATION, queues=[other_queue]
    )


@pytest.fixture
def integration_api(integration):
    return token_client(integration)


@pytest.fixture
def customer_facing_api(customer_facing):
    return token_client(customer_facing)


@pytest.fixture(autouse=True)
def fresh_throttles():
    """Throttle counts live in the cache, keyed by IP address or user id."""
    cache.clear()
    yield
    cache.clear()
