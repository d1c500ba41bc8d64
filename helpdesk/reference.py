"""Reference data: the slow-changing lists that every ticket page shows
(queues, categories, root causes, canned responses, service tiers, who works
which queue), kept in the shared cache.

An entry is dropped as soon as one of its rows is saved or deleted (the apps
connect `forget_on_change`), so a person's own edit shows on their next page;
REFERENCE_CACHE_SECONDS bounds what no save announces (a bulk `update()`, a
process whose Redis was down).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

PREFIX = "reference:"
# Bumped by every forget(): a process's own copies are good while it stands.
GENERATION = PREFIX + "generation"
# How often a process asks the shared cache for the generation: another
# process's save shows here within this time (a save here, at once).
GENERATION_CHECK_SECONDS = 0.5

# Unpickling a list of queues or agents from Redis on every page cost more
# than the rest of the cache work, so each process also keeps what it read:
# name -> (generation, time read, value). time.time(), like the cache
# backends' expiry, so tests that move the clock move both.
_copies: dict[str, tuple[int, float, Any]] = {}
_generation_read: list[float | int] = [0.0, -1]  # [time read, generation]
# Every model some reference data is made of, and the names of the entries a
# change to them forgets (tickets.page_cache stamps pages with their rows).
WATCHED: set = set()
NAMES: set[str] = set()


def _generation(now: float) -> int:
    read_at, generation = _generation_read
    if generation < 0 or not 0 <= now - read_at < GENERATION_CHECK_SECONDS:
        generation = cache.get(GENERATION) or 0
        _generation_read[:] = [now, generation]
    return int(generation)


def cached(name: str, load: Callable[[], Any]) -> Any:
    """`load()`'s value under `name`, from this process's copy or the shared
    cache while it is fresh. The value is shared by every request of the
    process: callers read it and never change it."""
    seconds = settings.REFERENCE_CACHE_SECONDS
    if seconds <= 0:
        return load()
    now = time.time()
    generation = _generation(now)
    copy = _copies.get(name)
    if copy is not None and copy[0] == generation and 0 <= now - copy[1] < seconds:
        return copy[2]
    key = PREFIX + name
    value = cache.get(key)
    if value is None:
        value = load()
        cache.set(key, value, seconds)
    _copies[name] = (generation, now, value)
    return value


def forget(*names: str) -> None:
    """Drop the entries `names`: the next page, in any process, reads them
    afresh."""
    cache.delete_many([PREFIX + name for name in names])
    try:
        cache.incr(GENERATION)
    except ValueError:  # not there yet, or evicted
        cache.set(GENERATION, 1, None)
    forget_copies()


def forget_copies() -> None:
    """Drop this process's copies (tests that empty the shared cache)."""
    _copies.clear()
    _generation_read[:] = [0.0, -1]


def forget_on_change(names: tuple[str, ...], *senders) -> None:
    """Forget `names` whenever a row of one of `senders` (models, or the
    through models of many-to-many fields) is saved, deleted or linked."""

    def receiver(sender, **kwargs):
        if kwargs.get("action", "post_").startswith("post_"):
            forget(*names)

    WATCHED.update(senders)
    NAMES.update(names)
    for sender in senders:
        uid = f"reference:{sender._meta.label}:{','.join(names)}"
        if sender._meta.auto_created:
            m2m_changed.connect(receiver, sender=sender, weak=False, dispatch_uid=uid)
        else:
            post_save.connect(receiver, sender=sender, weak=False, dispatch_uid=uid)
            post_delete.connect(receiver, sender=sender, weak=False, dispatch_uid=uid)
