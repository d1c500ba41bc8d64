"""Reference data: the slow-changing lists that every ticket page shows
(queues, categories, root causes, canned responses, service tiers, who works
which queue), kept in the shared cache.

An entry is dropped as soon as one of its rows is saved or deleted (the apps
connect `forget_on_change`), so a person's own edit shows on their next page;
REFERENCE_CACHE_SECONDS bounds what no save announces (a bulk `update()`, a
process whose Redis was down).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

PREFIX = "reference:"


def cached(name: str, load: Callable[[], Any]) -> Any:
    """`load()`'s value under `name`, from the cache while it is fresh."""
    seconds = settings.REFERENCE_CACHE_SECONDS
    if seconds <= 0:
        return load()
    key = PREFIX + name
    value = cache.get(key)
    if value is None:
        value = load()
        cache.set(key, value, seconds)
    return value


def forget(*names: str) -> None:
    """Drop the entries `names`: the next page reads them afresh."""
    cache.delete_many([PREFIX + name for name in names])


def forget_on_change(names: tuple[str, ...], *senders) -> None:
    """Forget `names` whenever a row of one of `senders` (models, or the
    through models of many-to-many fields) is saved, deleted or linked."""

    def receiver(sender, **kwargs):
        if kwargs.get("action", "post_").startswith("post_"):
            forget(*names)

    for sender in senders:
        uid = f"reference:{sender._meta.label}:{','.join(names)}"
        if sender._meta.auto_created:
            m2m_changed.connect(receiver, sender=sender, weak=False, dispatch_uid=uid)
        else:
            post_save.connect(receiver, sender=sender, weak=False, dispatch_uid=uid)
            post_delete.connect(receiver, sender=sender, weak=False, dispatch_uid=uid)
