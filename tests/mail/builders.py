"""Raw messages built for a test, for the cases the corpus does not need a
file for."""

from email.message import EmailMessage
from email.utils import format_datetime

from django.utils import timezone


def raw_email(
    *,
    sender="layla@example.com",
    to="support@example.org",
    subject="Where is my parcel?",
    body="My parcel has not arrived.",
    message_id="<m1@mail.example.com>",
    headers=None,
    received=None,
) -> bytes:
    message = EmailMessage()
    if received is not None:
        message["Received"] = (
            f"from mx.example.com by mail.example.org; {format_datetime(received)}"
        )
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now())
    if message_id:
        message["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    return message.as_bytes()
