"""A real SMTP server on loopback that keeps what it receives (aiosmtpd)."""

import email
import email.policy
import socket
from contextlib import contextmanager

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"


@contextmanager
def smtp_sink():
    """Yield (sink, port) for an SMTP server that stores messages in memory."""
    sink = Sink()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()
