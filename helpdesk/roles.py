"""Staff roles: who is an agent, who a supervisor. Group membership decides;
administrators (superusers) hold every role.

Customers are everyone else. Which tickets and queues a role reaches is the
tickets app's business (`tickets.permissions`, `Ticket.objects.visible_to`).
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

AGENTS = "Agents"
SUPERVISORS = "Supervisors"


def _group_names(user) -> frozenset[str]:
    # Cached on the user object: one query per request whatever the checks.
    if not hasattr(user, "_helpdesk_groups"):
        user._helpdesk_groups = frozenset(user.groups.values_list("name", flat=True))
    return user._helpdesk_groups


def remember_groups(user, names) -> None:
    """Give `user` the names of its groups, read with the user itself: the
    role checks then cost no query of their own."""
    user._helpdesk_groups = frozenset(names)


def works_every_queue(user) -> bool:
    """Whether `user` is an administrator: an active superuser works and
    supervises every queue, may be assigned any ticket and sees them all,
    whatever queues they are a member of."""
    return user.is_authenticated and user.is_active and user.is_superuser


def is_supervisor(user) -> bool:
    """Supervisors and administrators."""
    if not user.is_authenticated or not user.is_active:
        return False
    return works_every_queue(user) or SUPERVISORS in _group_names(user)


def is_agent(user) -> bool:
    """Anyone who works tickets: agents, supervisors and administrators."""
    if not user.is_authenticated or not user.is_active:
        return False
    return works_every_queue(user) or bool({AGENTS, SUPERVISORS} & _group_names(user))


def _role_required(check):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


agent_required = _role_required(is_agent)
supervisor_required = _role_required(is_supervisor)


class IsAgent(BasePermission):
    """DRF: the same rule as `agent_required`."""

    def has_permission(self, request, view):
        return is_agent(request.user)


class IsSupervisor(BasePermission):
    """DRF: the same rule as `supervisor_required`."""

    def has_permission(self, request, view):
        return is_supervisor(request.user)
