"""Caching as in production, for the tests that measure what a page costs."""

import pytest
from django.core.cache import cache

from sla import config as sla_config


@pytest.fixture
def production_caches(settings):
    """Reference data and SLA calendars cached as production keeps them
    (the test settings turn both off), starting empty."""
    settings.REFERENCE_CACHE_SECONDS = 10
    settings.SLA_CONFIG_CACHE_SECONDS = 30
    sla_config.forget_sla_config()
    cache.clear()
    yield
    sla_config.forget_sla_config()
    cache.clear()
