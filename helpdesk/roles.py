"""Staff roles: who is an agent, who a supervisor, which accounts are
integrations. Group membership decides; administrators (superusers) hold
every role but the integrations'.

An integration account is another system, not a person (api.integrations):
it works tickets as an agent does, only in its own queues, and the
customer-facing kind never reads internal notes.

Customers are everyone else. Which tickets and queues a role reaches is the
tickets app's business (`tickets.permissions`, `Ticket.objects.visible_to`).
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

AGENTS = "Agents"
SUPERVISORS = "Supervisors"
# Integration accounts: agent-like, within the queues they are given.
INTEGRATIONS = "Integrations"
# Integrations that show what they read to customers (a portal, a chat
# widget): agent-like too, but internal notes never reach them.
CUSTOMER_FACING = "Customer-facing integrations"
WORKING_GROUPS = frozenset({AGENTS, SUPERVISORS, INTEGRATIONS, CUSTOMER_FACING})


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
    """Anyone who works tickets: agents, supervisors, administrators and
    integration accounts (each within its queues, `Queue.objects.worked_by`)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return works_every_queue(user) or bool(WORKING_GROUPS & _group_names(user))


def is_integration(user) -> bool:
    """An integration account of either kind: another system, not a person."""
    if not user.is_authenticated or not user.is_active or user.is_superuser:
        return False
    return bool({INTEGRATIONS, CUSTOMER_FACING} & _group_names(user))


def sees_internal_notes(user) -> bool:
    """Whether `user` reads internal notes: staff and agent-like integrations,
    never customers nor a customer-facing integration."""
    return is_agent(user) and (
        works_every_queue(user) or CUSTOMER_FACING not in _group_names(user)
    )


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


class SeesInternalNotes(BasePermission):
    """DRF: the same rule as `sees_internal_notes`, for the notes endpoints."""

    message = _("Internal notes are for staff only.")

    def has_permission(self, request, view):
        return sees_internal_notes(request.user)


class IsSupervisor(BasePermission):
    """DRF: the same rule as `supervisor_required`."""

    def has_permission(self, request, view):
        return is_supervisor(request.user)
