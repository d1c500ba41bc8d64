"""REST API throttles: how many requests a caller may make (settings
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], from API_RATE_ANON, API_RATE_USER
and API_RATE_TOKEN). Over the rate, DRF answers 429 with Retry-After, in the
API's one error shape (api.errors).

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
    """Requests per signed-in user, all of their tokens and sessions together."""


class TokenRateThrottle(_RateFromSettings, throttling.SimpleRateThrottle):
    """Requests per API token, whoever's it is and wherever it calls from:
    one busy integration cannot use up the rate of the user's other tokens.
    A browser session is not a token and is counted by the user's rate."""

    scope = "token"

    def get_cache_key(self, request, view):
        token = getattr(request, "auth", None)
        # knox keeps a token by its digest: the key itself is never stored.
        digest = getattr(token, "digest", None)
        if not digest:
            return None
        return self.cache_format % {"scope": self.scope, "ident": digest}
