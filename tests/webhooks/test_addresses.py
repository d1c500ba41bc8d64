"""The SSRF guard, with DNS answers made up for each case."""

import socket

import pytest

from webhooks.addresses import UnsafeURL, check_url


def resolving_to(*addresses):
    def resolve(host, port, type=None):
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, type, 6, "", (a, port))
            for a in addresses
        ]

    return resolve


def test_a_public_https_address_is_accepted_and_pinned():
    target = check_url(
        "https://hooks.example.com:8443/in?x=1",
        allow_private=False,
        resolve=resolving_to("93.184.216.34"),
    )

    assert (target.scheme, target.host, target.port) == (
        "https",
        "hooks.example.com",
        8443,
    )
    assert target.path == "/in?x=1"
    assert target.address == "93.184.216.34"


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",  # loopback
        "::1",
        "169.254.169.254",  # link-local: cloud metadata
        "fe80::1",
        "10.1.2.3",  # private
        "172.16.0.1",
        "192.168.1.10",
        "fd00::1",
        "100.64.0.1",  # shared (carrier-grade NAT)
        "224.0.0.1",  # multicast
        "240.0.0.1",  # reserved
        "0.0.0.0",  # unspecified
        "::ffff:127.0.0.1",  # IPv4 loopback written as IPv6
    ],
)
def test_local_and_private_addresses_are_refused(address):
    with pytest.raises(UnsafeURL, match="local or private network address"):
        check_url(
            "https://hooks.example.com/",
            allow_private=False,
            resolve=resolving_to(address),
        )


def test_one_private_address_among_public_ones_is_enough_to_refuse():
    with pytest.raises(UnsafeURL):
        check_url(
            "http://hooks.example.com/",
            allow_private=False,
            resolve=resolving_to("93.184.216.34", "10.0.0.5"),
        )


def test_an_administrator_may_allow_private_networks():
    target = check_url(
        "http://intranet.local:9000/hook",
        allow_private=True,
        resolve=resolving_to("10.0.0.5"),
    )

    assert (target.address, target.port) == ("10.0.0.5", 9000)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://hooks.example.com/", "Only http:// and https://"),
        ("file:///etc/passwd", "Only http:// and https://"),
        ("https:///path", "no host name"),
        ("https://user:pw@hooks.example.com/", "no user name or password"),
    ],
)
def test_other_schemes_and_odd_urls_are_refused(url, message):
    with pytest.raises(UnsafeURL, match=message):
        check_url(url, allow_private=False, resolve=resolving_to("93.184.216.34"))


def test_a_host_that_does_not_resolve_is_refused():
    def fails(host, port, type=None):
        raise socket.gaierror("Name or service not known")

    with pytest.raises(UnsafeURL, match="could not be found"):
        check_url("https://nowhere.example/", allow_private=False, resolve=fails)
