"""What each person chose to see: Hijri dates beside Gregorian ones; for
staff, whether notifications also come by email.

Signed-in people keep their choice in `UserPreference`, which the sign-in
backend loads with the user (no query of its own); visitors on a tracking
link keep it in their session. Without a choice, `settings.HIJRI_DATES`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase

from customers.models import UserPreference

HijriDates = UserPreference.HijriDates
# The session's copy of a visitor's choice (no account to keep it on).
SESSION_KEY = "hijri_dates"


def hijri_choice(user, session: SessionBase | None = None) -> str:
    """The person's choice: "default", "yes" or "no"."""
    if user is not None and user.is_authenticated:
        try:
            return user.preference.hijri_dates
        except UserPreference.DoesNotExist:
            return HijriDates.DEFAULT
    if session is not None:
        return session.get(SESSION_KEY, HijriDates.DEFAULT)
    return HijriDates.DEFAULT


def shows_hijri(user, session: SessionBase | None = None) -> bool:
    """Whether dates shown to `user` (or to the visitor of `session`) carry
    their Hijri twin: their own choice, else the site's default."""
    choice = hijri_choice(user, session)
    if choice == HijriDates.DEFAULT:
        return settings.HIJRI_DATES
    return choice == HijriDates.YES


def choose_hijri_dates(user, session: SessionBase | None, choice: str) -> None:
    """Keep `choice` for `user`, or in the visitor's `session` without one."""
    if choice not in HijriDates.values:
        raise ValueError(f"unknown choice {choice!r}")
    if user is not None and user.is_authenticated:
        preference, _created = UserPreference.objects.update_or_create(
            user=user, defaults={"hijri_dates": choice}
        )
        # The rest of this request reads the new choice too.
        user.preference = preference
    elif session is not None:
        session[SESSION_KEY] = choice


def wants_notification_email(user) -> bool:
    """Whether `user` gets each notification by email as well as in the app
    (the default) rather than in the app only."""
    try:
        return user.preference.notification_email
    except UserPreference.DoesNotExist:
        return True


def choose_notification_email(user, by_email: bool) -> None:
    """Keep whether `user` wants notifications by email too."""
    preference, _created = UserPreference.objects.update_or_create(
        user=user, defaults={"notification_email": by_email}
    )
    user.preference = preference
