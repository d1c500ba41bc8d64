"""Site-wide views: home, health checks, rate-limit answer."""

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from helpdesk.roles import is_agent


def home(request):
    """Send each role to its own workspace; everyone else sees the welcome page."""
    if request.user.is_authenticated:
        if is_agent(request.user):
            return redirect("tickets:list")
        return redirect("portal:list")
    return render(request, "home.html")


def liveness(request):
    """The process answers: no database, no template (also the bench ceiling)."""
    return HttpResponse("ok", content_type="text/plain")


def healthz(request):
    """Ready to serve: the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means not ready
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def rate_limited(request, exception):
    """Too many attempts: a friendly page (or JSON for the API) with 429."""
    message = _("Too many attempts. Please wait a minute and try again.")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return render(request, "429.html", {"message": message}, status=429)
