"""Signing a webhook's body so the receiver knows it came from us, unchanged
and recently. Pure: the caller passes the secret and the time.

The signature is HMAC-SHA256 over "<timestamp>.<body>", sent as
`X-Helpdesk-Signature: t=<unix seconds>,v1=<hex digest>` (the shape Stripe
made familiar). Signing the timestamp with the body lets the receiver refuse
an old request replayed later.
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-Helpdesk-Signature"
EVENT_ID_HEADER = "X-Helpdesk-Event-Id"
EVENT_TYPE_HEADER = "X-Helpdesk-Event"
# How old a signed request a receiver should still accept.
TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of "<timestamp>.<body>" keyed with `secret`."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    """The value of the signature header for `body` sent at `timestamp`."""
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify(
    secret: str,
    header: str,
    body: bytes,
    *,
    now: int,
    tolerance: int = TOLERANCE_SECONDS,
) -> bool:
    """Whether `header` signs `body` with `secret` no more than `tolerance`
    seconds from `now` (what a receiver does; used by the tests)."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return hmac.compare_digest(expected, parts.get("v1", ""))
