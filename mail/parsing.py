"""Raw RFC 5322 bytes into what the helpdesk needs of an email.

`parse_email` never raises for a message it can read at all: unknown or
mislabelled charsets are decoded best-effort and flagged, broken MIME
(no boundary, cut-off parts, bad base64) is read as far as it goes, and a
tree nested deeper than `MAX_DEPTH` or wider than `MAX_PARTS` is cut there
and flagged. Only bytes that are not a message (`UnreadableEmail`) stop it.

Header values are read from the raw source (`raw_items`), not through the
modern policy's header objects: those are slow to build, and the helpdesk
needs the lenient readings in `mail.headers` anyway.
"""

from __future__ import annotations

import email
import email.parser
import email.policy
import functools
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage, Message

from . import charsets, headers
from .filenames import safe_filename
from .html_text import html_to_text
from .quotes import fold_quotes

MAX_DEPTH = 20  # multipart levels read; real mail rarely passes 5
MAX_PARTS = 500  # MIME parts read in one message


@functools.lru_cache(maxsize=1024)
def _parsed_header(factory, name: str, value: str):
    value = _LINE_BREAK.sub("", value)
    # CPython's header parser fails on some broken parameters (an IndexError
    # on `filename*0*` with no value): the value before them, or nothing.
    for attempt in (value, value.partition(";")[0], ""):
        try:
            return factory(name, attempt)
        except Exception:
            continue
    return factory("X-Unreadable", "")


class _Policy(email.policy.EmailPolicy):
    """The modern policy (`email.policy.default`), remembering the header
    values it parsed: the parser and the walk ask for each part's
    Content-Type many times over, and parsing one is slow."""

    def header_fetch_parse(self, name, value):
        if hasattr(value, "name"):  # already a header object
            return value
        return _parsed_header(self.header_factory, name, value)


_POLICY = _Policy()
# Sub-messages are written back out as they came, not refolded.
_AS_SENT = _POLICY.clone(refold_source="none")
_HEADER_LINE = re.compile(rb"^[\x21-\x39\x3b-\x7e]+:", re.MULTILINE)
_BOUNDARY_LINE = re.compile(rb"^--([^\s][^\r\n]{0,69}?)[ \t]*\r?$", re.MULTILINE)
_FORWARD_SUBJECT = re.compile(
    r"^\s*(?:fwd?|fw|tr|wg|إعادة توجيه|اعادة توجيه|توجيه)\s*:", re.IGNORECASE
)
_LINE_BREAK = re.compile(r"\n|\r")
_EMBEDDED = {"message/rfc822", "message/global"}


class UnreadableEmail(ValueError):
    """Bytes that cannot be read as an email at all."""


@dataclass
class ParsedAttachment:
    filename: str  # made safe: no path, no control/bidi/zero-width, no dot-file
    content_type: str  # as declared; the stored type is sniffed from `data`
    data: bytes
    inline: bool = False
    content_id: str = ""  # without its angle brackets, as `cid:` URLs name it


@dataclass
class ParsedEmail:
    message_id: str  # "<id@host>" or ""
    in_reply_to: list[str]
    references: list[str]
    from_name: str
    from_address: str  # lower-cased, IDN domain in its Unicode form
    to: list[str]
    cc: list[str]
    # Delivered-To, X-Original-To, Envelope-To: where the server delivered it
    # (each address once).
    delivered_to: list[str]
    return_path: str | None  # None: no header; "": the null sender <>
    subject: str
    date: datetime | None
    # When our mail server received it: the top-most Received header's time,
    # None when absent or not plausible (see mail.headers.received_time).
    received_at: datetime | None
    text: str  # the customer's words, quoted history folded out
    quoted: str  # the folded history, kept for the agent
    html: str  # as sent; sanitised when stored
    attachments: list[ParsedAttachment] = field(default_factory=list)
    # A charset was unknown, missing or did not fit the bytes, and the text
    # (body, subject, a name) was guessed: show the message flagged.
    encoding_uncertain: bool = False
    size: int = 0
    message: EmailMessage | None = None  # the headers, for the loop checks
    # Parts nested deeper than MAX_DEPTH, or beyond MAX_PARTS, were not read.
    truncated: bool = False


def _looks_like_email(raw: bytes) -> bool:
    head = raw[:4096].lstrip()
    if head.startswith(b"From "):  # an mbox separator line
        head = head.partition(b"\n")[2]
    header_block = re.split(rb"\r?\n\r?\n", head, maxsplit=1)[0]
    if b"\x00" in header_block:  # binary, whatever its first bytes say
        return False
    return bool(_HEADER_LINE.match(head))


def _read(raw: bytes) -> tuple[EmailMessage, bool]:
    try:
        return email.message_from_bytes(raw, policy=_POLICY), False
    except RecursionError:
        # Nesting deep enough to exhaust the parser's stack: keep the headers.
        parser = email.parser.BytesParser(policy=_POLICY)
        return parser.parsebytes(raw, headersonly=True), True


def _raw_headers(message: EmailMessage) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, value in message.raw_items():
        found.setdefault(name.lower(), []).append(str(value))
    return found


@dataclass
class _Body:
    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    attachments: list[ParsedAttachment] = field(default_factory=list)
    uncertain: bool = False
    truncated: bool = False


def stored_payload(part: Message) -> list | str:
    """What the parser stored for `part`: its parts (a list), or its body as
    text with 8-bit bytes kept as surrogates. `get_payload()` alone decodes
    8-bit text with the declared charset, and some decoders raise."""
    try:
        return part.get_payload()
    except (UnicodeError, ValueError, LookupError, IndexError, TypeError):
        try:
            data = part.get_payload(decode=True) or b""
        except (UnicodeError, ValueError, LookupError, IndexError, TypeError):
            data = b""
        return data.decode("ascii", "surrogateescape")


def _payload_bytes(part: Message) -> bytes:
    payload = stored_payload(part)
    if not isinstance(payload, str):
        return b""
    if part.get("Content-Transfer-Encoding", "").strip().lower() == "base64":
        # The library hands back the base64 text itself when it is cut short.
        return headers.base64_bytes(payload.encode("ascii", "ignore").decode())
    try:
        data = part.get_payload(decode=True)
    except (UnicodeError, ValueError, LookupError, IndexError, TypeError):
        data = None
    if data is None:
        data = payload.encode("utf-8", "surrogateescape")
    return data


def _serialise(message: Message) -> bytes:
    try:
        return message.as_bytes(policy=_AS_SENT)
    except Exception:  # a sub-message broken beyond writing; keep what reads
        return str(stored_payload(message)).encode("utf-8", "surrogateescape")


def _filename(part: EmailMessage, body: _Body) -> str | None:
    try:
        name = part.get_filename()
    except (ValueError, LookupError, TypeError, IndexError):
        return None
    if name is None:
        return None
    name = str(name)
    decoded, uncertain = headers.decode_text(name)
    body.uncertain = body.uncertain or uncertain
    return decoded


def _content_id(part: EmailMessage) -> str:
    values = [value for key, value in part.raw_items() if key.lower() == "content-id"]
    return headers.unfold(str(values[0])).strip().strip("<>").strip() if values else ""


def _recovered(part: EmailMessage) -> EmailMessage | None:
    """A multipart without a usable boundary, parsed again with the boundary
    its first delimiter line shows."""
    data = _payload_bytes(part)
    match = _BOUNDARY_LINE.search(data)
    if match is None or match.group(1).endswith(b"--"):
        return None
    boundary = match.group(1).decode("ascii", "replace").replace('"', "")
    head = f'Content-Type: {part.get_content_type()}; boundary="{boundary}"\r\n\r\n'
    try:
        return email.message_from_bytes(head.encode() + data, policy=_POLICY)
    except RecursionError:
        return None


def _attach(part: EmailMessage, ctype: str, body: _Body, name: str | None) -> None:
    disposition = part.get_content_disposition()
    content_id = _content_id(part)
    inline = disposition == "inline" or (disposition is None and bool(content_id))
    if ctype in _EMBEDDED:
        payload = stored_payload(part)
        inner = payload[0] if isinstance(payload, list) and payload else None
        data = _serialise(inner) if inner is not None else _payload_bytes(part)
        if name is None and inner is not None:
            subject, _ = headers.decode_text(str(inner.get("Subject", "") or ""))
            name = f"{headers.one_line(subject)[:150]}.eml" if subject else None
        inline = False
    elif part.is_multipart():
        data = b"\n".join(_serialise(block) for block in stored_payload(part))
    else:
        data = _payload_bytes(part)
    body.attachments.append(
        ParsedAttachment(
            filename=safe_filename(name, ctype),
            content_type=ctype,
            data=data,
            inline=inline,
            content_id=content_id,
        )
    )


def _collect(message: EmailMessage, body: _Body) -> None:
    """Walk the MIME tree without recursion, text parts into the body and the
    rest into attachments, as deep and as wide as the caps allow."""
    stack: list[tuple[EmailMessage, int, bool]] = [(message, 0, True)]
    seen = 0
    while stack:
        part, depth, may_recover = stack.pop()
        seen += 1
        if seen > MAX_PARTS:
            body.truncated = True
            return
        ctype = part.get_content_type()
        maintype = ctype.partition("/")[0]
        if maintype == "multipart":
            children = stored_payload(part)
            if not isinstance(children, list):
                recovered = _recovered(part) if may_recover else None
                if recovered is not None:
                    stack.append((recovered, depth, False))
                    continue
                ctype, maintype = "text/plain", "text"  # read what is there
            elif depth >= MAX_DEPTH:
                body.truncated = True
                continue
            else:
                stack.extend((child, depth + 1, True) for child in reversed(children))
                continue
        name = _filename(part, body)
        if (
            maintype == "text"
            and ctype in {"text/plain", "text/html"}
            and name is None
            and part.get_content_disposition() != "attachment"
        ):
            text, uncertain = charsets.decode(
                _payload_bytes(part), part.get_param("charset")
            )
            body.uncertain = body.uncertain or uncertain
            (body.plain if ctype == "text/plain" else body.html).append(text)
        else:
            _attach(part, ctype, body, name)


def parse_email(raw: bytes, *, now: datetime | None = None) -> ParsedEmail:
    """Parse one raw message; `now` (default: the clock) checks Received."""
    if not raw or not raw.strip():
        raise UnreadableEmail("empty message")
    if not _looks_like_email(raw):
        raise UnreadableEmail("no header lines")
    message, too_deep = _read(raw)
    found = _raw_headers(message)
    if not found:
        raise UnreadableEmail("no header lines")

    def first(name: str) -> str | None:
        values = found.get(name)
        return values[0] if values else None

    subject, subject_guessed = headers.decode_text(first("subject") or "")
    subject = headers.one_line(subject)
    sender = headers.addresses(found.get("from", []))
    from_name, from_address = sender[0] if sender else ("", "")
    return_path = first("return-path")
    if return_path is not None:
        return_path = next(iter(headers.addresses([return_path])), ("", ""))[1]

    body = _Body(truncated=too_deep)
    if not too_deep:
        _collect(message, body)
    html = "\n".join(body.html)
    full_text = "\n\n".join(part.strip("\n") for part in body.plain)
    if not full_text.strip() and html:
        full_text = html_to_text(html)
    text, quoted = fold_quotes(
        full_text, forwarded=bool(_FORWARD_SUBJECT.match(subject))
    )
    message_ids = headers.message_ids(first("message-id"))
    return ParsedEmail(
        message_id=message_ids[0] if message_ids else "",
        in_reply_to=headers.message_ids(first("in-reply-to")),
        references=headers.message_ids(" ".join(found.get("references", []))),
        from_name=from_name,
        from_address=from_address,
        to=[address for _, address in headers.addresses(found.get("to", []))],
        cc=[address for _, address in headers.addresses(found.get("cc", []))],
        delivered_to=list(
            dict.fromkeys(
                address
                for _, address in headers.addresses(
                    found.get("delivered-to", [])
                    + found.get("x-original-to", [])
                    + found.get("envelope-to", [])
                )
            )
        ),
        return_path=return_path,
        subject=subject,
        date=headers.parse_date(first("date")),
        received_at=headers.received_time(
            found.get("received", []), now or datetime.now(UTC)
        ),
        text=text,
        quoted=quoted,
        html=html,
        attachments=body.attachments,
        encoding_uncertain=body.uncertain or subject_guessed,
        size=len(raw),
        message=message,
        truncated=body.truncated,
    )
