"""API tokens: made for a user with a name and a lifetime, listed, revoked.

The key is returned once, by `create_token`; only its digest is stored
(knox), so a lost key is revoked and replaced, never shown again.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from knox.models import AuthToken

from .models import TokenLabel

# A token lives this many days unless its maker chooses otherwise.
DEFAULT_DAYS = 90
# Nobody makes a token for longer: a forgotten key stops working by itself.
MAX_DAYS = 366
# How stale the "last used" time may be: written at most once this often.
LAST_USED_EVERY = timedelta(minutes=1)


@transaction.atomic
def create_token(user, *, name: str, days: int = DEFAULT_DAYS) -> tuple[AuthToken, str]:
    """A new token for `user` valid for `days` days; the token and its key."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days must be between 1 and {MAX_DAYS}")
    token, key = AuthToken.objects.create(user, expiry=timedelta(days=days))
    TokenLabel.objects.create(token=token, name=name)
    return token, key


def tokens_of(user) -> QuerySet[AuthToken]:
    """`user`'s tokens still valid, newest first, with their names."""
    return (
        AuthToken.objects.filter(user=user, expiry__gt=timezone.now())
        .select_related("label")
        .order_by("-created")
    )


def revoke_token(user, token_key: str) -> bool:
    """Delete `user`'s token whose key starts `token_key`; whether one was."""
    _total, by_model = AuthToken.objects.filter(user=user, token_key=token_key).delete()
    return bool(by_model.get(AuthToken._meta.label))


def record_use(token: AuthToken, *, now) -> None:
    """Note that `token` was used at `now`, unless it was noted lately: an
    UPDATE that finds nothing to write most of the time."""
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_EVERY)
    TokenLabel.objects.filter(stale, token=token).update(last_used_at=now)


def forget_expired_tokens(*, now) -> int:
    """Delete tokens past their expiry; how many (knox deletes a user's
    expired tokens only when that user next uses one)."""
    _total, by_model = AuthToken.objects.filter(expiry__lt=now).delete()
    return by_model.get(AuthToken._meta.label, 0)
