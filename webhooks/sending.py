"""One HTTP POST of a webhook, to the address the SSRF guard checked.

The standard library's http.client is used rather than a client library
because it connects wherever it is told: the socket goes to the checked
address while the Host header, TLS server name and certificate check use
the URL's host name. It never follows redirects (a 3xx is a failure, so a
redirect cannot lead past the guard), and every step has a short timeout.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass

from .addresses import Target

# Read no more of a reply than this: it is only shown in the delivery log.
REPLY_BYTES = 1024


@dataclass(frozen=True)
class Outcome:
    """What one attempt got: the HTTP status (None when there was no reply),
    an error in words, and how long it took."""

    status: int | None
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(
            target.host,
            target.port,
            timeout=timeout,
            context=ssl.create_default_context(),
        )
        self._address = target.address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # Certificate and SNI for the host name, whatever address it has.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(target: Target, body: bytes, headers: dict, *, timeout: float) -> Outcome:
    """POST `body` to `target`; never raises for network or HTTP failures."""
    connection_class = (
        _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    )
    connection = connection_class(target, timeout)
    started = time.monotonic()
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        reply = response.read(REPLY_BYTES)
        status = response.status
    except (OSError, http.client.HTTPException) as error:
        return Outcome(None, _describe(error), _since(started))
    finally:
        connection.close()
    error = ""
    if not 200 <= status < 300:
        error = f"HTTP {status}"
        if 300 <= status < 400:
            error += " (redirects are not followed)"
        text = reply.decode("utf-8", "replace").strip()
        if text:
            error = f"{error}: {text[:300]}"
    return Outcome(status, error, _since(started))


def _since(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


def _describe(error: Exception) -> str:
    if isinstance(error, TimeoutError | socket.timeout):
        return "timed out"
    return f"{type(error).__name__}: {error}"[:500]
