"""DRF permissions beyond `IsAgent` (helpdesk.roles), each asking the one
function the web's decorators ask."""

from rest_framework.permissions import BasePermission

from tickets.permissions import is_supervisor


class IsSupervisor(BasePermission):
    """DRF: the same rule as `supervisor_required`."""

    def has_permission(self, request, view):
        return is_supervisor(request.user)
