"""One POST over a real local socket: answered, redirected, unreachable."""

import socket

from webhooks.addresses import check_url
from webhooks.sending import post

from .receiver import running_receiver


def target(url):
    return check_url(url, allow_private=True)


def test_a_post_reaches_the_checked_address_with_the_host_name_in_host():
    with running_receiver() as (url, received):
        outcome = post(target(url), b"{}", {"X-Test": "1"}, timeout=2)

    assert outcome.ok and outcome.status == 200
    path, headers, body = received[0]
    assert (path, body, headers["X-Test"]) == ("/hook", b"{}", "1")
    assert headers["Host"].startswith("127.0.0.1:")


def test_a_redirect_is_a_failure_and_is_not_followed():
    with running_receiver(302, {"Location": "http://169.254.169.254/"}) as (url, _):
        outcome = post(target(url), b"{}", {}, timeout=2)

    assert not outcome.ok
    assert outcome.status == 302
    assert "redirects are not followed" in outcome.error


def test_a_closed_port_is_a_failure_in_words():
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]

    outcome = post(target(f"http://127.0.0.1:{port}/"), b"{}", {}, timeout=2)

    assert outcome.status is None
    assert "ConnectionRefusedError" in outcome.error
