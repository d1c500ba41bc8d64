"""Waking the webhook relay after ticket events are committed, only when a
webhook subscription listens.

The relay (webhooks/outbox.py) reads new ticket events past a cursor, so
nothing is lost if it is never woken: a beat entry runs it every few seconds.
Waking it after the commit only makes deliveries prompt. Whether anyone
listens is a flag in the shared cache that the webhooks app sets; each process
keeps its answer for `MEMO_SECONDS`, so a ticket write with no subscription
costs neither a query nor a cache read, and a busy one at most one wake-up
per transaction.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction

from helpdesk import background

RELAY_TASK = "webhooks.tasks.relay_ticket_events"
CACHE_KEY = "webhooks:listening"
MEMO_SECONDS = 5.0

# (flag, monotonic time it was read); per process, shared by its threads.
_memo: tuple[bool, float] | None = None


def listening() -> bool:
    """Whether an active webhook subscription exists, as this process last
    heard it. An unset flag (a cache emptied) reads as no: the beat's relay
    sets it again within seconds."""
    global _memo
    now = time.monotonic()
    if _memo is None or now - _memo[1] > MEMO_SECONDS:
        _memo = (bool(cache.get(CACHE_KEY)), now)
    return _memo[0]


def set_listening(value: bool) -> None:
    """Record whether any active subscription exists (the webhooks app)."""
    global _memo
    cache.set(CACHE_KEY, value, None)
    _memo = (value, time.monotonic())


def forget() -> None:
    """Drop this process's copy of the flag (tests)."""
    global _memo
    _memo = None


def _wake_relay() -> None:
    background.start(RELAY_TASK)


def events_written() -> None:
    """Ticket events were written in the current transaction: wake the relay
    once it commits, if anyone listens. One wake-up per transaction, however
    many events it writes."""
    if not listening():
        return
    connection = transaction.get_connection()
    # Django keeps the transaction's callbacks as (savepoints, func, robust).
    if connection.in_atomic_block and any(
        entry[1] is _wake_relay for entry in connection.run_on_commit
    ):
        return
    transaction.on_commit(_wake_relay)
