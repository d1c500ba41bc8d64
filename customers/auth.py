"""Sign in with a username (staff) or an email address (customers)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import BooleanField, OuterRef
from django.db.models.expressions import RawSQL

from helpdesk.roles import is_integration, remember_groups
from policies.models import awaiting_acknowledgement_sql


class EmailOrUsernameBackend(ModelBackend):
    """Authenticate by username, or by email when the login contains an '@'."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and "@" in username:
            user_model = get_user_model()
            matches = list(
                user_model._default_manager.filter(email__iexact=username.strip())[:2]
            )
            if len(matches) != 1:
                # Run the hasher anyway so timing does not reveal which emails exist.
                user_model().set_password(password)
                return None
            user = matches[0]
            if user.check_password(password) and self.user_can_authenticate(user):
                return user
            return None
        return super().authenticate(request, username=username, password=password)

    def user_can_authenticate(self, user):
        # An integration account is another system: it signs in with its
        # API token only, never on the web, whatever password it was given.
        return super().user_can_authenticate(user) and not is_integration(user)

    def get_user(self, user_id):
        # The person's display preferences and groups come in the same
        # query: every page asks them (customers.preferences, helpdesk.roles),
        # and so does whether a service policy waits for their
        # acknowledgement (policies.middleware): an index-only subquery over
        # the handful of policies.
        user_model = get_user_model()
        groups = Group.objects.filter(user=OuterRef("pk")).values("name")
        column = f'"{user_model._meta.db_table}"."{user_model._meta.pk.column}"'
        unacknowledged = RawSQL(
            awaiting_acknowledgement_sql(column), (), output_field=BooleanField()
        )
        user = (
            user_model._default_manager.select_related("preference")
            .annotate(
                group_names=ArraySubquery(groups),
                policies_to_acknowledge=unacknowledged,
            )
            .filter(pk=user_id)
            .first()
        )
        if user is None:
            return None
        remember_groups(user, user.group_names)
        if not self.user_can_authenticate(user):
            return None
        return user
