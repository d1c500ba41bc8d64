#!/usr/bin/env python3
"""The web container's health check: is gunicorn serving, with its database?

Asks http://127.0.0.1:$PORT/healthz/ the way the proxy would, with a Host
header the site accepts (the first of ALLOWED_HOSTS): with a restrictive
ALLOWED_HOSTS a request for 127.0.0.1 would get 400. /healthz/ is exempt from
the HTTPS redirect (SECURE_REDIRECT_EXEMPT), so HTTPS=1 does not turn the
answer into a 301 either. Exits 0 on 200, 1 otherwise, with the reason.
Standard library only, so a check every few seconds costs little.
"""

import http.client
import os
import sys


def allowed_host(allowed_hosts: str) -> str:
    """Return a host name that ALLOWED_HOSTS (comma separated) accepts."""
    for pattern in allowed_hosts.split(","):
        pattern = pattern.strip()
        if pattern == "*":
            break
        if pattern:
            # ".example.org" accepts example.org and its subdomains.
            return pattern.lstrip(".")
    return "localhost"


def main() -> int:
    port = int(os.environ.get("PORT", "8000"))
    host = allowed_host(os.environ.get("ALLOWED_HOSTS", ""))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/healthz/", headers={"Host": host})
        response = connection.getresponse()
        body = response.read(200).decode(errors="replace")
    except OSError as error:
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1
    finally:
        connection.close()
    if response.status != 200:
        print(f"unhealthy: HTTP {response.status} {body}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
