"""Who must acknowledge the policies: everyone who works tickets, and who of
them has not acknowledged a version yet."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from helpdesk.roles import AGENTS, SUPERVISORS

from .models import PolicyVersion


def staff_members() -> QuerySet:
    """Active agents, supervisors and administrators, by name."""
    staff = Q(is_superuser=True) | Q(groups__name__in=[AGENTS, SUPERVISORS])
    user_model = get_user_model()
    ids = user_model.objects.filter(staff, is_active=True).values("pk")
    return user_model.objects.filter(pk__in=ids).order_by(
        "first_name", "last_name", "username"
    )


def not_acknowledged(version: PolicyVersion) -> QuerySet:
    """The staff members who have not acknowledged `version`."""
    return staff_members().exclude(policy_acknowledgements__version=version)
