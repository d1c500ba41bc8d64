"""Signing: what a receiver checks, computed the way the README shows."""

import hashlib
import hmac
import time

from django.conf import settings

from webhooks.signing import signature_header, verify

SECRET = "whsec_test"
BODY = '{"id": "1", "type": "ticket.created", "subject": "طلب"}'.encode()


def test_the_signature_is_hmac_sha256_of_timestamp_dot_body():
    header = signature_header(SECRET, 1_700_000_000, BODY)

    expected = hmac.new(
        SECRET.encode(), b"1700000000." + BODY, hashlib.sha256
    ).hexdigest()
    assert header == f"t=1700000000,v1={expected}"


def test_a_receiver_accepts_a_fresh_signature():
    header = signature_header(SECRET, 1_700_000_000, BODY)

    assert verify(SECRET, header, BODY, now=1_700_000_100)


def test_a_changed_body_a_wrong_secret_or_an_old_request_is_refused():
    header = signature_header(SECRET, 1_700_000_000, BODY)

    assert not verify(SECRET, header, BODY + b" ", now=1_700_000_000)
    assert not verify("whsec_other", header, BODY, now=1_700_000_000)
    assert not verify(SECRET, header, BODY, now=1_700_000_000 + 301)
    assert not verify(SECRET, "v1=abc", BODY, now=1_700_000_000)
    assert not verify(SECRET, "t=soon,v1=abc", BODY, now=1_700_000_000)


def test_the_readme_verification_snippet_accepts_our_signature():
    readme = (settings.BASE_DIR / "README.md").read_text()
    after = readme.split("Verifying in Python", 1)[1]
    snippet = after.split("```python\n", 1)[1].split("```", 1)[0]
    namespace = {}
    exec(snippet, namespace)  # the README's own example
    now = int(time.time())

    header = signature_header(SECRET, now, BODY)

    assert namespace["verified"](SECRET, header, BODY)
    assert not namespace["verified"](SECRET, header, BODY + b"x")
    assert not namespace["verified"](
        SECRET, signature_header(SECRET, now - 600, BODY), BODY
    )
