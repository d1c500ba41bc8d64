"""API tokens: made for a user with a name and a lifetime, listed, revoked.

The key is returned once, by `create_token`; only its digest is stored
(knox), so a lost key is revoked and replaced, never shown again.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from knox.models import AuthToken

from .models import TokenLabel

# A token lives this many days unless its maker chooses otherwise.
DEFAULT_DAYS = 90
# The lives offered on the token pages, in days; None never expires. Those
# longer than API_TOKEN_MAX_DAYS are not offered.
LIFETIMES = (30, 90, 365, None)
# How stale the "last used" time may be: written at most once this often.
LAST_USED_EVERY = timedelta(minutes=1)


def max_days() -> int | None:
    """The longest life a token may be given (API_TOKEN_MAX_DAYS); None when
    a token may be made that never expires (the setting is 0)."""
    return settings.API_TOKEN_MAX_DAYS or None


def lifetime_allowed(days: int | None) -> bool:
    """Whether a token may be made to live `days` days (None: for ever)."""
    cap = max_days()
    if days is None:
        return cap is None
    return days >= 1 and (cap is None or days <= cap)


def lifetimes() -> list[int | None]:
    """The lives the token pages offer, within the cap; the cap itself
    when it is none of them, so the longest allowed is always a choice."""
    cap = max_days()
    offered = [days for days in LIFETIMES if lifetime_allowed(days)]
    if cap is not None and cap not in offered:
        offered.append(cap)
    return sorted(offered, key=lambda days: (days is None, days or 0))


def default_days() -> int:
    """The life a new token is given when its maker says nothing."""
    cap = max_days()
    return DEFAULT_DAYS if cap is None else min(DEFAULT_DAYS, cap)


@transaction.atomic
def create_token(
    user, *, name: str, days: int | None = DEFAULT_DAYS
) -> tuple[AuthToken, str]:
    """A new token for `user` valid for `days` days (None: until revoked,
    when API_TOKEN_MAX_DAYS allows); the token and its key."""
    if not lifetime_allowed(days):
        raise ValueError(f"A token may not live {days} days (API_TOKEN_MAX_DAYS).")
    expiry = None if days is None else timedelta(days=days)
    token, key = AuthToken.objects.create(user, expiry=expiry)
    TokenLabel.objects.create(token=token, name=name)
    return token, key


def tokens_of(user) -> QuerySet[AuthToken]:
    """`user`'s tokens still valid, newest first, with their names."""
    unexpired = Q(expiry__isnull=True) | Q(expiry__gt=timezone.now())
    return (
        AuthToken.objects.filter(unexpired, user=user)
        .select_related("label")
        .order_by("-created")
    )


def revoke_token(user, token_key: str) -> bool:
    """Delete `user`'s token whose key starts `token_key`; whether one was."""
    _total, by_model = AuthToken.objects.filter(user=user, token_key=token_key).delete()
    return bool(by_model.get(AuthToken._meta.label))


# When this process last noted each token's use, by the token's digest: an
# integration sending many requests a second writes once a minute.
_noted: dict[str, datetime] = {}


def record_use(token: AuthToken, *, now) -> None:
    """Note that `token` was used at `now`, unless it was noted lately (by
    this process, or by another one: the UPDATE then finds nothing)."""
    noted = _noted.get(token.digest)
    if noted is not None and noted <= now < noted + LAST_USED_EVERY:
        return
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_EVERY)
    TokenLabel.objects.filter(stale, token=token).update(last_used_at=now)
    _noted[token.digest] = now


def forget_expired_tokens(*, now) -> int:
    """Delete tokens past their expiry; how many (knox deletes a user's
    expired tokens only when that user next uses one)."""
    _total, by_model = AuthToken.objects.filter(expiry__lt=now).delete()
    return by_model.get(AuthToken._meta.label, 0)
