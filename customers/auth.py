"""Sign in with a username (staff) or an email address (customers)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import BooleanField, TextField
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
        column = f'"{user_model._meta.db_table}"."{user_model._meta.pk.column}"'
        unacknowledged = RawSQL(
            awaiting_acknowledgement_sql(column), (), output_field=BooleanField()
        )
        user = (
            user_model._default_manager.select_related("preference")
            .annotate(policies_to_acknowledge=unacknowledged)
            .annotate(group_text=group_text(column))
            .filter(pk=user_id)
            .first()
        )
        if user is None:
            return None
        remember_group_text(user, user.group_text)
        if not self.user_can_authenticate(user):
            return None
        return user


# Between group names in SQLite's joined text: no group name holds it.
SEP = "\x1f"


def group_text(user_id_column: str) -> RawSQL:
    """The names of the groups of the user whose id is in `user_id_column`,
    joined by SEP into one text: an annotation that reads them in the query
    that reads the user (a session's or an API token's), for the role checks
    (`helpdesk.roles`)."""
    group = Group._meta
    through = get_user_model().groups.through._meta
    user_fk = next(
        f.column
        for f in through.fields
        if f.is_relation and f.related_model is not Group
    )
    group_fk = next(
        f.column for f in through.fields if f.is_relation and f.related_model is Group
    )
    joined = (
        "string_agg(g.name, chr(31))"
        if connection.vendor == "postgresql"
        else "group_concat(g.name, char(31))"
    )
    return RawSQL(
        f'(SELECT {joined} FROM "{group.db_table}" g '
        f'JOIN "{through.db_table}" ug ON ug.{group_fk} = g.id '
        f"WHERE ug.{user_fk} = {user_id_column})",
        (),
        output_field=TextField(),
    )


def remember_group_text(user, text: str | None) -> None:
    """Give `user` the groups read by `group_text`."""
    remember_groups(user, [name for name in (text or "").split(SEP) if name])
