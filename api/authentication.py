"""`Authorization: Token <key>`: knox's check, and the time the token was used."""

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox import auth

from .tokens import record_use


class TokenAuthentication(auth.TokenAuthentication):
    """A knox token; an expired or revoked one is refused with 401."""

    def authenticate_credentials(self, token):
        user, auth_token = super().authenticate_credentials(token)
        record_use(auth_token, now=timezone.now())
        return user, auth_token

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
