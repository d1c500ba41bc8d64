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
