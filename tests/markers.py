"""Skips for tests that need a real PostgreSQL or Redis, each saying why."""

import os

import pytest
from django.db import connection


def _redis_answers() -> bool:
    url = os.environ.get("REDIS_URL")
    if not url:
        return False
    import redis

    try:
        return redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def requires_postgres(why: str):
    """Skip unless the tests run on PostgreSQL, saying which feature is needed."""
    return pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason=f"needs PostgreSQL (DATABASE_URL): {why}",
    )


requires_redis = pytest.mark.skipif(
    not _redis_answers(),
    reason="needs Redis (REDIS_URL) for a real Celery worker",
)
