"""Mail no person wrote: auto-replies, out-of-office, bulk and list mail,
bounces. None of it opens a ticket or gets an answer (no mail loops).

The reasons are short English phrases for the intake record and the logs.
A bounce's reason starts with "bounce", and when the bounce names the
Message-IDs of our mail it reports, `bounced_message_ids` holds them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message

from . import headers
from .addresses import base_address
from .parsing import ParsedEmail, stored_payload

# Values of Precedence that mean "sent by a program to many": RFC 3834 asks
# responders not to answer them.
_BULK_PRECEDENCE = {"bulk", "list", "junk", "auto_reply", "auto-reply"}
# X-Auto-Response-Suppress (Exchange) values that mark a message as one no
# auto-responder should answer: all, out-of-office, auto-replies, delivery
# reports. Read and non-read receipts (RN, NRN) alone say nothing.
_SUPPRESS = {"all", "oof", "autoreply", "dr", "ndr"}
_SYSTEM_SENDERS = {"mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon"}
# Out-of-office subjects, only as the subject's first words and followed by
# a colon or nothing, so "Out of office hours?" from a customer is not one.
_OUT_OF_OFFICE = re.compile(
    r"^\W*(?:"
    r"out of (?:the )?office(?: reply| autoreply| auto-reply)?|"
    r"automatic reply|auto[- ]?reply|auto[- ]?response|autoresponse|"
    r"vacation reply|away from (?:the )?office|"
    r"(?:ال)?رد (?:ال)?تلقائي|(?:ال)?رد (?:ال)?آلي|خارج المكتب|"
    r"رسالة تلقائية|إجابة تلقائية"
    r")(?:\s*[:\]\-–]|\s*$)",
    re.IGNORECASE,
)
_BOUNCE_SUBJECT = re.compile(
    r"undeliver|undelivered|delivery status notification|delivery failure|"
    r"mail delivery failed|failure notice|returned mail|delivery has failed|"
    r"could not be delivered|non[- ]?remis|"
    r"لم يتم التسليم|تعذر التسليم|فشل التسليم|تعذر تسليم|غير قابلة للتسليم",
    re.IGNORECASE,
)
_MESSAGE_ID_LINE = re.compile(
    r"^\s*(?:Original-)?Message-ID:\s*(<[^<>\s]+>)", re.IGNORECASE | re.MULTILINE
)
_SMTP_ERROR = re.compile(r"^.*\b[45]\d\d[ -][45]\.\d{1,3}\.\d{1,3}\b.*$", re.MULTILINE)
_FAILED_ACTIONS = {"failed"}
_MAX_REASON = 255


@dataclass(frozen=True)
class Automatic:
    reason: str  # for the record and the command's output
    # For a bounce (a delivery status notification): the Message-IDs of our
    # own mail it reports as undelivered, and why.
    bounced_message_ids: tuple[str, ...] = ()
    bounce_reason: str = ""

    @property
    def is_bounce(self) -> bool:
        return bool(self.bounced_message_ids) or self.reason.startswith("bounce")


def _header_values(message: Message | None) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    if message is not None:
        for name, value in message.raw_items():
            found.setdefault(name.lower(), []).append(headers.unfold(str(value)))
    return found


def _first(found: dict[str, list[str]], name: str) -> str:
    values = found.get(name)
    return values[0].strip() if values else ""


def _walk(message: Message, limit: int = 200):
    """The parts of `message`, without recursion and at most `limit`."""
    stack = [message]
    while stack and limit:
        part = stack.pop()
        limit -= 1
        yield part
        payload = stored_payload(part)
        if isinstance(payload, list):
            stack.extend(reversed(payload))


def _text_of(part: Message) -> str:
    try:
        payload = part.get_payload(decode=True)
    except (UnicodeError, ValueError, LookupError, IndexError, TypeError):
        payload = None
    if isinstance(payload, bytes):
        return payload.decode("utf-8", "replace")
    return str(stored_payload(part))


def _bounced_ids_in(part: Message) -> list[str]:
    ctype = part.get_content_type()
    if ctype in {"message/rfc822", "message/global"}:
        inner = stored_payload(part)
        if isinstance(inner, list) and inner:
            return headers.message_ids(_first(_header_values(inner[0]), "message-id"))
    if ctype == "text/rfc822-headers":
        return _MESSAGE_ID_LINE.findall(_text_of(part))[:1]
    return []


def _delivery_status(report: Message) -> tuple[list[str], list[str], list[str]]:
    """The actions and the reasons (diagnostic, else status) given for each
    recipient of a DSN, and the Original-Message-IDs it names."""
    actions, reasons, original_ids = [], [], []
    for part in _walk(report):
        if part.get_content_type() != "message/delivery-status":
            continue
        blocks = stored_payload(part)
        for block in blocks if isinstance(blocks, list) else []:
            fields = _header_values(block)
            original_ids += headers.message_ids(_first(fields, "original-message-id"))
            action = _first(fields, "action").lower()
            if not action:
                continue
            actions.append(action)
            diagnostic = _first(fields, "diagnostic-code")
            diagnostic = diagnostic.split(";", 1)[-1].strip()  # "smtp; 550 …"
            status = _first(fields, "status")
            if diagnostic or status:
                reasons.append(diagnostic or status)
    return actions, reasons, original_ids


def _dsn(parsed: ParsedEmail) -> Automatic | None:
    message = parsed.message
    if message is None or message.get_content_type() != "multipart/report":
        return None
    report_type = str(message.get_param("report-type") or "").lower()
    if report_type == "disposition-notification":
        return Automatic("read receipt")
    if report_type != "delivery-status":
        return Automatic(f"report ({report_type or 'unknown type'})")
    actions, reasons, ids = _delivery_status(message)
    for part in _walk(message):
        ids += _bounced_ids_in(part)
    if actions and not _FAILED_ACTIONS.intersection(actions):
        return Automatic(f"delivery status notice ({', '.join(sorted(set(actions)))})")
    return Automatic(
        "bounce (delivery status notification)",
        bounced_message_ids=tuple(dict.fromkeys(ids)),
        bounce_reason="; ".join(dict.fromkeys(reasons))[:_MAX_REASON],
    )


def _is_system_sender(address: str) -> bool:
    return address.partition("@")[0] in _SYSTEM_SENDERS


def _plain_bounce(parsed: ParsedEmail, found: dict[str, list[str]]) -> Automatic | None:
    """A bounce in prose: from a mail system (or the null sender), with a
    failure subject or an X-Failed-Recipients header."""
    from_system = _is_system_sender(parsed.from_address) or parsed.return_path == ""
    failed = bool(_first(found, "x-failed-recipients"))
    if not (from_system and (failed or _BOUNCE_SUBJECT.search(parsed.subject))):
        return None
    ids: list[str] = []
    if parsed.message is not None:
        for part in _walk(parsed.message):
            ids += _bounced_ids_in(part)
    body = f"{parsed.text}\n{parsed.quoted}"
    ids += _MESSAGE_ID_LINE.findall(body)
    ids = [found_id for found_id in ids if found_id != parsed.message_id]
    smtp_error = _SMTP_ERROR.search(body)
    return Automatic(
        "bounce (undeliverable notice)",
        bounced_message_ids=tuple(dict.fromkeys(ids)),
        bounce_reason=smtp_error.group(0).strip()[:_MAX_REASON] if smtp_error else "",
    )


def _first_token(value: str) -> str:
    return value.split(";", 1)[0].strip().lower()


def automatic_reason(
    parsed: ParsedEmail, *, own_addresses: set[str]
) -> Automatic | None:
    """Why `parsed` is automatic mail, or None when a person wrote it.
    Bounces are recognised first, so that a bounce is never merely
    "automatic" and can mark our undelivered message as failed."""
    found = _header_values(parsed.message)
    bounce = _dsn(parsed) or _plain_bounce(parsed, found)
    if bounce is not None:
        return bounce
    auto_submitted = _first_token(_first(found, "auto-submitted"))
    if auto_submitted and auto_submitted != "no":
        return Automatic(f"Auto-Submitted: {auto_submitted}")
    precedence = _first_token(_first(found, "precedence"))
    if precedence in _BULK_PRECEDENCE:
        return Automatic(f"Precedence: {precedence}")
    for name, label in (
        ("x-autoreply", "X-Autoreply"),
        ("x-autorespond", "X-Autorespond"),
    ):
        if _first(found, name):
            return Automatic(f"{label} header")
    suppress = {
        token.strip().lower()
        for token in _first(found, "x-auto-response-suppress").split(",")
    }
    if suppress & _SUPPRESS:
        return Automatic("X-Auto-Response-Suppress header")
    if _first(found, "list-id") or _first(found, "list-unsubscribe"):
        return Automatic("mailing list")
    if parsed.return_path == "":
        return Automatic("null sender (empty Return-Path)")
    if _is_system_sender(parsed.from_address):
        return Automatic("from a mail system (mailer-daemon or postmaster)")
    own = {base_address(address) for address in own_addresses}
    if parsed.from_address and base_address(parsed.from_address) in own:
        return Automatic("from our own address")
    if _OUT_OF_OFFICE.match(parsed.subject):
        return Automatic("out-of-office subject")
    return None
