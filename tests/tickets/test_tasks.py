from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from tickets.tasks import clear_expired_sessions

from ..markers import requires_postgres, requires_redis
from ..worker import running_worker, wait_for


def make_sessions():
    now = timezone.now()
    Session.objects.create(
        session_key="expired", session_data="", expire_date=now - timedelta(days=1)
    )
    Session.objects.create(
        session_key="current", session_data="", expire_date=now + timedelta(days=1)
    )


@pytest.mark.django_db
def test_clearing_sessions_keeps_the_current_ones():
    make_sessions()

    clear_expired_sessions()
    clear_expired_sessions()

    assert list(Session.objects.values_list("session_key", flat=True)) == ["current"]


@requires_redis
@requires_postgres("a worker process shares the test database over the network")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_clears_expired_sessions_through_redis():
    make_sessions()

    with running_worker() as queue:
        clear_expired_sessions.apply_async(queue=queue)
        gone = wait_for(lambda: not Session.objects.filter(pk="expired").exists())

    assert gone
    assert Session.objects.filter(pk="current").exists()
