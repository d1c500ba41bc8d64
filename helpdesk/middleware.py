"""Show times in the viewer's time zone, as their browser reports it, and
refuse input no view can store."""

import zoneinfo
from functools import lru_cache

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

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


def _has_nul(query) -> bool:
    """Whether a QueryDict holds a NUL in any name or value."""
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in query.lists()
    )


def _is_plain_form(request) -> bool:
    """Whether the request posts a form without files. Multipart bodies are left
    to the views, which set upload limits before the body is read (and whose
    forms refuse NUL in text fields themselves)."""
    return (
        request.method == "POST"
        and request.content_type == "application/x-www-form-urlencoded"
    )


class RefuseNulMiddleware:
    """Answer 400 to a NUL character in the path, the query string or a posted
    form's fields: no text the site stores or looks up may hold one (PostgreSQL
    refuses it), so it is refused at the door instead of failing in a view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path
            or _has_nul(request.GET)
            or (_is_plain_form(request) and _has_nul(request.POST))
        ):
            if request.path.startswith("/api/"):
                # The API's one error shape (api.errors, drf-standardized-errors).
                error = {
                    "code": "parse_error",
                    "detail": _("Text may not contain NUL characters."),
                    "attr": None,
                }
                return JsonResponse(
                    {"type": "client_error", "errors": [error]}, status=400
                )
            return render(request, "400.html", status=400)
        return self.get_response(request)
