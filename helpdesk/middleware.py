"""Show times in the viewer's time zone, as their browser reports it."""

import zoneinfo
from functools import lru_cache

from django.utils import timezone

COOKIE = "tz"


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


class ViewerTimezoneMiddleware:
    """Activate the zone in the `tz` cookie (set by static/js/timezone.js);
    anything unknown falls back to the department's TIME_ZONE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = request.COOKIES.get(COOKIE, "")
        if zone in _known_zones():
            timezone.activate(zoneinfo.ZoneInfo(zone))
        else:
            timezone.deactivate()
        return self.get_response(request)
