"""REST API throttles: how many requests a caller may make (settings
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], from API_RATE_ANON and API_RATE_USER).

Kept apart from the API views: DRF imports these while defining its views."""

from rest_framework import throttling
from rest_framework.settings import api_settings


class _RateFromSettings:
    def get_rate(self):
        # Read on each request (DRF binds the rates once, at import), so the
        # settings in force apply, in tests and after a change alike.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonRateThrottle(_RateFromSettings, throttling.AnonRateThrottle):
    """Requests per IP address from callers who are not signed in."""


class UserRateThrottle(_RateFromSettings, throttling.UserRateThrottle):
    """Requests per signed-in user."""
