"""A Redis cache that keeps the site up while Redis is down.

The cache holds nothing that must survive (rate-limit counters, the queue
page's counts), so losing Redis must not turn every page that touches it into
a 500, least of all the public web form. While Redis fails, each process keeps
its entries in its own memory instead: rate limits still hold per process
(looser by the number of web workers, never off), and a warning is logged.
After a failure Redis is left alone for `RETRY_AFTER` seconds, so a Redis that
times out slows one request, not every one.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

RETRY_AFTER = 10.0
# When each Redis location may be tried again; shared by the threads of a
# process (Django makes one cache object per thread).
_down_until: dict[str, float] = {}


class FallbackRedisCache(RedisCache):
    """Django's Redis cache, falling back to process memory while Redis fails."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._location = server if isinstance(server, str) else ",".join(server)
        local = {key: value for key, value in params.items() if key != "OPTIONS"}
        self._local = LocMemCache(f"redis-fallback:{self._location}", local)

    def _call(self, name: str, *args, **kwargs):
        if time.monotonic() < _down_until.get(self._location, 0.0):
            return getattr(self._local, name)(*args, **kwargs)
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except RedisError as error:
            _down_until[self._location] = time.monotonic() + RETRY_AFTER
            log.warning(
                "Cache unavailable (%s); using this process's memory for %ss.",
                error,
                RETRY_AFTER,
            )
            return getattr(self._local, name)(*args, **kwargs)
        if _down_until.pop(self._location, None) is not None:
            log.info("Cache available again.")
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version)

    def clear(self):
        return self._call("clear")
