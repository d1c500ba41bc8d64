"""Sign in with a username (staff) or an email address (customers)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


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

    def get_user(self, user_id):
        # The person's display preferences come in the same query: every
        # page asks them (customers.preferences).
        user_model = get_user_model()
        user = (
            user_model._default_manager.select_related("preference")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
