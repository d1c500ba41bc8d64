"""Portal sign-in by a link sent to the customer's email address.

Holding the link proves the address: only then does a portal account belong
to it. The token is signed (SECRET_KEY), expires after SIGN_IN_LINK_MAX_AGE,
and carries the account's last sign-in time, so it works once.

The account follows the customer's address: a link proves the customer's
current address only, and when a supervisor changes it
(`change_customer_email`) the account takes the new address and loses its
password and sessions, so neither the old address nor a link sent to it
signs in any more.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse

from customers.models import Customer
from helpdesk.roles import is_agent

SALT = "portal.signin"


def _last_login(email: str) -> str:
    customer = Customer.objects.with_email(email).select_related("user").first()
    user = customer.user if customer else None
    return user.last_login.isoformat() if user and user.last_login else ""


def make_token(email: str) -> str:
    """A signed, expiring token that proves the holder reads `email`."""
    email = email.strip().lower()
    return signing.dumps({"e": email, "l": _last_login(email)}, salt=SALT)


def sign_in_url(email: str) -> str:
    """The path of the sign-in link for `email`."""
    return reverse("portal:sign_in_confirm", args=[make_token(email)])


def read_token(token: str) -> str | None:
    """The email address a valid, unused token proves, else None."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.SIGN_IN_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    email = data.get("e", "")
    if not email or data.get("l", "") != _last_login(email):
        return None
    return email


@transaction.atomic
def portal_user_for(email: str):
    """The portal account of the customer at `email`, made now if needed.

    None when no customer has this address or it belongs to staff."""
    customer = (
        Customer.objects.select_for_update(of=("self",))
        .with_email(email)
        .select_related("user")
        .first()
    )
    if customer is None:
        return None
    user = customer.user
    if user is None:
        users = get_user_model()._default_manager
        same = list(users.filter(Q(username__iexact=email) | Q(email__iexact=email)))
        # Staff sign in with their own credentials, never through a link.
        if any(is_agent(u) or u.is_staff for u in same):
            return None
        user = next((u for u in same if u.username.lower() == email.lower()), None)
        if user is None:
            try:
                with transaction.atomic():
                    user = users.create_user(username=email.lower(), email=email)
            except IntegrityError:
                return None
        elif hasattr(user, "customer"):
            return None
        customer.user = user
        customer.save(update_fields=["user", "updated_at"])
    if is_agent(user) or user.is_staff or not user.is_active:
        return None
    if user.email.lower() != email.lower():
        # Password sign-in matches the account's address: make it the proven one.
        user.email = email
        user.save(update_fields=["email"])
    return user
