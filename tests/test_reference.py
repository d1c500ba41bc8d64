"""Reference data (helpdesk.reference): each process keeps what it read from
the shared cache, and a save anywhere makes every process read it again."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache

from helpdesk import reference

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.fixture
def loads(production_caches):
    """A loader that counts its calls and returns a new list each time."""
    calls = []

    def load():
        calls.append(1)
        return [f"value {len(calls)}"]

    return load, calls


def test_a_process_reads_the_shared_cache_once_while_nothing_changes(loads):
    load, calls = loads
    with time_machine.travel(T0, tick=False):
        first = reference.cached("things", load)
        # Another process's copy is the shared one; this one stays in memory.
        cache.delete(reference.PREFIX + "things")
        again = reference.cached("things", load)

    assert first is again
    assert calls == [1]


def test_a_save_in_this_process_shows_at_once(loads):
    load, calls = loads
    with time_machine.travel(T0, tick=False):
        reference.cached("things", load)
        reference.forget("things")

        assert reference.cached("things", load) == ["value 2"]


def test_a_save_in_another_process_shows_within_half_a_second(loads):
    load, calls = loads
    with time_machine.travel(T0, tick=False):
        reference.cached("things", load)
    # What another process's forget() leaves in the shared cache.
    cache.delete(reference.PREFIX + "things")
    cache.set(reference.GENERATION, 7, None)

    with time_machine.travel(T0 + timedelta(seconds=0.2), tick=False):
        assert reference.cached("things", load) == ["value 1"]
    with time_machine.travel(T0 + timedelta(seconds=0.6), tick=False):
        assert reference.cached("things", load) == ["value 2"]


def test_a_change_no_save_announced_shows_after_the_cache_time(loads, settings):
    load, calls = loads
    with time_machine.travel(T0, tick=False):
        reference.cached("things", load)
    with time_machine.travel(T0 + timedelta(seconds=9), tick=False):
        assert reference.cached("things", load) == ["value 1"]
    with time_machine.travel(
        T0 + timedelta(seconds=settings.REFERENCE_CACHE_SECONDS + 1), tick=False
    ):
        assert reference.cached("things", load) == ["value 2"]
