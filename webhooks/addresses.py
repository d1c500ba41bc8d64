"""Which webhook URLs the helpdesk may call: a guard against being used to
reach the servers behind it (server-side request forgery).

A URL must be http or https, and every address its host resolves to must be
public: loopback, link-local (cloud metadata at 169.254.169.254), private,
shared, multicast, reserved and unspecified addresses are refused unless
`WEBHOOK_ALLOW_PRIVATE_NETWORKS` is on. The check runs when a subscription is
saved and again before each delivery, whose connection then goes to the very
address checked, so a DNS answer changed in between cannot redirect it.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

Resolver = Callable[..., list]


class UnsafeURL(ValueError):
    """A URL the helpdesk will not call, with the reason in words."""


@dataclass(frozen=True)
class Target:
    """Where one delivery connects: the URL's parts and the checked address."""

    scheme: str
    host: str
    port: int
    path: str
    address: str


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether `address` is reachable on the public internet only."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not (
        address.is_loopback
        or address.is_link_local
        or address.is_private
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def check_url(
    url: str,
    *,
    allow_private: bool,
    resolve: Resolver | None = None,
) -> Target:
    """Resolve `url`'s host and return where to connect; raise `UnsafeURL`
    when the scheme is not http(s), the host does not resolve, or (unless
    `allow_private`) any of its addresses is not public."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeURL(_("Only http:// and https:// addresses can receive webhooks."))
    if not parts.hostname:
        raise UnsafeURL(_("The address has no host name."))
    if parts.username or parts.password:
        raise UnsafeURL(_("Put no user name or password in the address."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise UnsafeURL(_("The port in the address is not valid.")) from error
    host = parts.hostname
    try:
        answers = (resolve or socket.getaddrinfo)(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise UnsafeURL(
            _("The host %(host)s could not be found.") % {"host": host}
        ) from error
    addresses = [ipaddress.ip_address(answer[4][0].split("%")[0]) for answer in answers]
    if not addresses:
        raise UnsafeURL(_("The host %(host)s could not be found.") % {"host": host})
    if not allow_private:
        for address in addresses:
            if not is_public(address):
                raise UnsafeURL(
                    _(
                        "%(host)s is a local or private network address "
                        "(%(address)s); webhooks only go to public addresses."
                    )
                    % {"host": host, "address": address}
                )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(parts.scheme, host, port, path, str(addresses[0]))
