"""The Redis cache falls back to process memory while Redis is down, and uses
Redis again once it answers."""

import logging

import pytest
import redis
from django.core.cache.backends.redis import RedisCache

from helpdesk import cache as fallback_cache
from helpdesk.cache import FallbackRedisCache

from .redis_server import free_port, redis_server, requires_redis_server


@pytest.fixture(autouse=True)
def _no_outage_remembered(monkeypatch):
    monkeypatch.setattr(fallback_cache, "_down_until", {})


def make_cache(url: str) -> FallbackRedisCache:
    options = {"socket_connect_timeout": 1, "socket_timeout": 1}
    return FallbackRedisCache(url, {"OPTIONS": options})


def test_with_redis_unreachable_counters_still_count_in_memory(caplog):
    cache = make_cache(f"redis://127.0.0.1:{free_port()}/0")

    with caplog.at_level(logging.WARNING, logger="helpdesk.cache"):
        added = cache.add("attempts", 1, 60)
        counted = cache.incr("attempts")

    assert (added, counted, cache.get("attempts")) == (True, 2, 2)
    assert cache.get_many(["attempts", "other"]) == {"attempts": 2}
    assert "Cache unavailable" in caplog.text


def test_while_redis_is_down_it_is_not_asked_again_at_once(monkeypatch):
    cache = make_cache(f"redis://127.0.0.1:{free_port()}/0")
    cache.set("key", "value")
    asked = []
    monkeypatch.setattr(RedisCache, "get", lambda *args: asked.append(args))

    assert cache.get("key") == "value"
    assert asked == []


@requires_redis_server
def test_the_cache_uses_redis_again_once_it_answers(monkeypatch):
    with redis_server() as server:
        cache = make_cache(server.url)
        cache.set("before", 1)
        server.stop()

        cache.set("during", 2)
        assert cache.get("during") == 2

        server.start()
        monkeypatch.setattr(fallback_cache, "RETRY_AFTER", 0.0)
        monkeypatch.setattr(fallback_cache, "_down_until", {})
        cache.set("after", 3)

        stored = redis.Redis.from_url(server.url).keys("*")
    assert [key.decode().rpartition(":")[2] for key in stored] == ["after"]
