"""API tokens: made for a user with a name and a lifetime, listed, revoked.

The key is returned once, by `create_token`; only its digest is stored
(knox), so a lost key is revoked and replaced, never shown again.
"""

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from .models import ApiToken

# A token lives this many days unless its maker chooses otherwise.
DEFAULT_DAYS = 90
# Nobody makes a token for longer: a forgotten key stops working by itself.
MAX_DAYS = 366
# How stale the "last used" time may be: written at most once this often.
LAST_USED_EVERY = timedelta(minutes=1)


def create_token(user, *, name: str, days: int = DEFAULT_DAYS) -> tuple[ApiToken, str]:
    """A new token for `user` valid for `days` days; the token and its key."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days must be between 1 and {MAX_DAYS}")
    return ApiToken.objects.create(user, expiry=timedelta(days=days), name=name)


def tokens_of(user) -> QuerySet[ApiToken]:
    """`user`'s tokens still valid, newest first."""
    return ApiToken.objects.filter(user=user, expiry__gt=timezone.now())


def revoke_token(user, token_key: str) -> bool:
    """Delete `user`'s token whose key starts `token_key`; whether one was."""
    deleted, _ = ApiToken.objects.filter(user=user, token_key=token_key).delete()
    return bool(deleted)


def record_use(token: ApiToken, *, now) -> None:
    """Note that `token` was used at `now`, unless it was noted lately."""
    if token.last_used_at and now - token.last_used_at < LAST_USED_EVERY:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


def forget_expired_tokens(*, now) -> int:
    """Delete tokens past their expiry; how many (knox deletes a user's
    expired tokens only when that user next uses one)."""
    deleted, _ = ApiToken.objects.filter(expiry__lt=now).delete()
    return deleted
