"""Rows every request reads and almost nothing changes (the default queue,
the standard service tier), kept in the process for a few seconds.

Like the SLA policies (`SLA_CONFIG_CACHE_SECONDS`), they are read again once
`REFERENCE_CACHE_SECONDS` have passed, so a change in the admin shows within
that time; 0 (the tests) reads them every time."""

import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings

T = TypeVar("T")

# name -> (monotonic time read, value)
_kept: dict[str, tuple[float, object]] = {}


def kept(name: str, load: Callable[[], T]) -> T:
    """`load()`, or what it returned less than REFERENCE_CACHE_SECONDS ago."""
    seconds = settings.REFERENCE_CACHE_SECONDS
    now = time.monotonic()
    if seconds > 0 and name in _kept and now - _kept[name][0] < seconds:
        return _kept[name][1]
    value = load()
    if seconds > 0 and value is not None:
        _kept[name] = (now, value)
    return value


def forget() -> None:
    """Read everything afresh next time (tests that turn keeping on)."""
    _kept.clear()
