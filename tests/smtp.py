"""A real SMTP server on loopback that keeps what it receives (aiosmtpd)."""

import email
import email.policy
import socket
from contextlib import contextmanager

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, refuse: dict[str, str] | None = None):
        self.messages: list[email.message.EmailMessage] = []
        # Recipient address to the server's reply refusing it, e.g.
        # "550 5.1.1 No such user".
        self.refuse = refuse or {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"


@contextmanager
def smtp_sink(refuse: dict[str, str] | None = None):
    """Yield (sink, port) for an SMTP server that stores messages in memory
    and refuses the recipients in `refuse` with the reply given."""
    sink = Sink(refuse)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()
