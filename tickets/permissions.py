"""Who may do what: the one place every view and API endpoint asks.

Customers see only their own tickets; agents the tickets of their queues;
supervisors their queues and the dashboards; administrators everything.

Each rule has one home:
- who is staff: `is_agent(user)`, `is_supervisor(user)`;
- the superuser rule: `works_every_queue(user)`;
- which queues a user works: `Queue.objects.worked_by(user)`, and which
  queues' figures a supervisor sees: `Queue.objects.supervised_by(user)`;
- who may be assigned a queue's tickets: `queue.assignable_agents()` and
  `queue.may_be_assigned(user)`, the same rule read from the queue's side
  (anyone who works the queue);
- which tickets a user sees: `Ticket.objects.visible_to(user)`.
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
