"""When a failed delivery is tried again. Pure: the caller passes the
random source."""

from __future__ import annotations

import random as _random
from collections.abc import Callable

# The first retry after about half a minute, doubling each time, never more
# than an hour apart; after MAX_ATTEMPTS the delivery is given up (about
# four hours after the first attempt).
BASE_SECONDS = 30
CAP_SECONDS = 3600
MAX_ATTEMPTS = 10


def retry_delay(attempt: int, *, random: Callable[[], float] = _random.random) -> float:
    """Seconds to wait after failed attempt number `attempt` (1, 2, ...):
    BASE·2^(attempt−1), capped, then "equal jitter" (between half of it and
    all of it) so receivers that come back are not hit by every retry at
    once."""
    ceiling = min(CAP_SECONDS, BASE_SECONDS * 2 ** (attempt - 1))
    return ceiling / 2 + random() * ceiling / 2


def gives_up(attempt: int) -> bool:
    """Whether failed attempt number `attempt` was the last one."""
    return attempt >= MAX_ATTEMPTS
