"""`Authorization: Token <key>`: knox's check, and the time the token was used."""

import binascii
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox import auth
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS, knox_settings
from rest_framework.exceptions import AuthenticationFailed

from customers.auth import group_text, remember_group_text

from .tokens import record_use


class TokenAuthentication(auth.TokenAuthentication):
    """A knox token; an expired or revoked one is refused with 401."""

    def authenticate_credentials(self, token):
        # knox's own check, with the user's groups read in the token's query
        # (as a session's are, customers.auth): the role checks of every API
        # request then cost no query of their own.
        key = token.decode()
        model = get_token_model()
        user_column = (
            f'"{model._meta.db_table}"."{model._meta.get_field("user").column}"'
        )
        try:
            digest = hash_token(key)
        except (TypeError, binascii.Error):
            raise AuthenticationFailed(_("Invalid token.")) from None
        candidates = (
            model.objects.filter(token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH])
            .select_related("user")
            .annotate(group_text=group_text(user_column))
        )
        for auth_token in candidates:
            if self._cleanup_token(auth_token):
                continue
            if compare_digest(digest, auth_token.digest):
                if knox_settings.AUTO_REFRESH and auth_token.expiry:
                    self.renew_token(auth_token)
                user, auth_token = self.validate_user(auth_token)
                remember_group_text(user, auth_token.group_text)
                record_use(auth_token, now=timezone.now())
                return user, auth_token
        raise AuthenticationFailed(_("Invalid token."))

    def _cleanup_token(self, auth_token) -> bool:
        # knox reads all of the user's tokens on every request to delete the
        # expired ones; the nightly "forget-old-api-records" does that here.
        # This token's own expiry is still checked: an expired one is refused.
        return auth_token.expiry is not None and auth_token.expiry < timezone.now()


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'An API token, sent as "Token <key>".',
        }
