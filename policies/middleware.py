"""Send signed-in staff to the acknowledgement page while a policy in force
waits for them, before any other page."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from helpdesk.roles import is_agent

# Never held back: machines (the API, mail servers, health checks), files,
# leaving, switching language, and the acknowledgement page itself.
OPEN_PREFIXES = (
    "/api/",
    "/static/",
    "/media/",
    "/healthz/",
    "/inbound/",
    "/i18n/",
    "/accounts/logout/",
    "/policies/acknowledge/",
)


def _held_back(request) -> bool:
    # Only a page a person opens: a form being sent, a fragment htmx asks for
    # (a live refresh, a heartbeat) or a page for someone signed out goes on,
    # and the next page they open asks them.
    if request.method not in ("GET", "HEAD") or getattr(request, "htmx", False):
        return False
    if request.path.startswith(OPEN_PREFIXES):
        return False
    user = request.user
    # `policies_to_acknowledge` comes with the user (customers.auth), in the
    # query that reads them for every signed-in page: the check costs none.
    return (
        user.is_authenticated
        and getattr(user, "policies_to_acknowledge", False)
        and is_agent(user)
    )


class PolicyAcknowledgementMiddleware:
    """Redirect to /policies/acknowledge/?next=… while a policy in force is
    unacknowledged by the signed-in staff member."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _held_back(request):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('policies:acknowledge')}?{query}")
        return self.get_response(request)
