import pytest
from django.core.cache import cache

from helpdesk import event_relay
from webhooks import services
from webhooks.events import EventType


@pytest.fixture(autouse=True)
def _nobody_listening_yet():
    """The relay's flag lives in the cache and in each process: a test starts
    with neither, and leaves neither behind."""
    cache.delete(event_relay.CACHE_KEY)
    event_relay.forget()
    yield
    cache.delete(event_relay.CACHE_KEY)
    event_relay.forget()


@pytest.fixture
def subscribe(supervisor, django_capture_on_commit_callbacks, settings):
    """Subscribe a URL (the supervisor's unless `owner` is given) as the page does."""
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True

    def subscribe(
        url="http://127.0.0.1:9/hook", events=EventType.values, owner=None, name="CRM"
    ):
        with django_capture_on_commit_callbacks(execute=True):
            return services.create_subscription(
                owner=owner or supervisor, name=name, url=url, events=list(events)
            )

    return subscribe
