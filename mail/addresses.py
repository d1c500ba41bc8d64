"""Email addresses as the channel compares them, and the signed reply address
that ties an email to its ticket even when a mail program drops the
threading headers.

A ticket's reply address is the mailbox's own with a tag:
`support+hd-1f3-k2x7q9mwbd@example.org`, the ticket's id in base 36 and an
HMAC of it, so nobody can make up the address of a ticket not theirs.
Tags are lower case: some mail servers lower-case local parts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from django.conf import settings

TAG_PREFIX = "hd-"
SIGNATURE_LENGTH = 10
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _domain_unicode(domain: str) -> str:
    domain = domain.lower()  # the idna codec only knows lower-case "xn--"
    try:
        return domain.encode("ascii").decode("idna")
    except UnicodeError:
        return domain.lower()


def _domain_ascii(domain: str) -> str:
    try:
        return domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return domain.lower()


def normalise_address(address: str) -> str:
    """`address` lower-cased, its domain in Unicode (IDN `xn--` labels
    decoded), so `Ali@XN--MGBH0FB.example` and `ali@مثال.example` compare
    equal."""
    local, at, domain = address.strip().strip("<>").rpartition("@")
    if not at:
        return address.strip().lower()
    return f"{local.lower()}@{_domain_unicode(domain)}"


def address_variants(address: str) -> set[str]:
    """The spellings one address may be stored under: its domain in Unicode
    and in ASCII (punycode), both lower-cased."""
    normal = normalise_address(address)
    local, at, domain = normal.rpartition("@")
    if not at:
        return {normal}
    return {normal, f"{local}@{_domain_ascii(domain)}"}


def _base36(value: int) -> str:
    digits = ""
    while True:
        value, remainder = divmod(value, 36)
        digits = _DIGITS[remainder] + digits
        if not value:
            return digits


def _signature(ticket_id: int) -> str:
    mac = hmac.new(
        settings.SECRET_KEY.encode(),
        f"mail.reply-address:{ticket_id}".encode(),
        hashlib.sha256,
    ).digest()
    return base64.b32encode(mac).decode("ascii").lower()[:SIGNATURE_LENGTH]


def reply_tag(ticket_id: int) -> str:
    return f"{TAG_PREFIX}{_base36(ticket_id)}-{_signature(ticket_id)}"


def reply_address(mailbox_address: str, ticket_id: int) -> str:
    """The address replies about ticket `ticket_id` should be sent to."""
    local, _, domain = mailbox_address.rpartition("@")
    local = local.split("+", 1)[0]
    return f"{local}+{reply_tag(ticket_id)}@{domain}"


def ticket_id_from_address(address: str) -> int | None:
    """The ticket a signed reply address names, or None when `address` has
    no tag or its signature is wrong."""
    local = normalise_address(address).rpartition("@")[0]
    _, plus, tag = local.partition("+")
    if not plus or not tag.startswith(TAG_PREFIX):
        return None
    encoded, _, signature = tag[len(TAG_PREFIX) :].partition("-")
    try:
        ticket_id = int(encoded, 36)
    except ValueError:
        return None
    if not hmac.compare_digest(signature, _signature(ticket_id)):
        return None
    return ticket_id


def base_address(address: str) -> str:
    """`address` without its +tag: `support+hd-1-x@a.org` is `support@a.org`."""
    local, at, domain = normalise_address(address).rpartition("@")
    return f"{local.split('+', 1)[0]}{at}{domain}"
