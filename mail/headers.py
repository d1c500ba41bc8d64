"""Reading header values as mail programs really write them: RFC 2047 words
split anywhere (even inside one Arabic letter), raw 8-bit text in a local
charset, Message-IDs without their angle brackets, dates in any shape."""

from __future__ import annotations

import base64
import binascii
import email.utils
import re
from datetime import UTC, datetime, timedelta

from . import charsets
from .addresses import normalise_address

_FOLD = re.compile(r"\r?\n(?=[ \t])|\r?\n$")
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_BETWEEN_WORDS = re.compile(r"[ \t\r\n]*")
_BRACKETED_ID = re.compile(r"<([^<>\s]+)>")
_BASE64_JUNK = re.compile(r"[^A-Za-z0-9+/]")
_MAX_ID = 250
_MAX_IDS = 100


def unfold(value: str) -> str:
    return _FOLD.sub("", value)


def _from_8bit(value: str) -> tuple[str, bool]:
    """A raw header value whose 8-bit bytes the parser kept as surrogates,
    decoded as UTF-8 or else guessed (windows-1256 Arabic, usually)."""
    if value.isascii() or not any("\udc80" <= char <= "\udcff" for char in value):
        return value, False
    data = value.encode("utf-8", "surrogateescape")
    return charsets.decode(data, None)


def base64_bytes(text: str) -> bytes:
    """Base64 decoded as far as it goes: stray characters skipped, missing
    padding added, a cut-off last group dropped."""
    try:
        return base64.b64decode(text)  # skips line breaks and stray characters
    except binascii.Error:
        pass
    text = _BASE64_JUNK.sub("", text)
    if len(text) % 4 == 1:
        text = text[:-1]
    return base64.b64decode(text + "=" * (-len(text) % 4))


def _word_bytes(encoding: str, text: str) -> bytes:
    if encoding in "bB":
        return base64_bytes(text)
    return binascii.a2b_qp(text.encode("ascii", "replace"), header=True)


def decode_text(value: str) -> tuple[str, bool]:
    """The text of an unstructured header (Subject, a display name, a
    filename), and whether a charset had to be guessed.

    Adjacent encoded words in one charset are joined as bytes before they
    are decoded, so a character split between two of them comes out whole;
    the white space between encoded words is dropped, as RFC 2047 says."""
    value, uncertain = _from_8bit(unfold(value))
    if "=?" not in value:
        return value, uncertain
    pieces: list[str] = []
    pending: list[bytes] = []
    pending_charset = None
    position = 0

    def flush():
        nonlocal uncertain, pending, pending_charset
        if pending:
            text, guessed = charsets.decode(b"".join(pending), pending_charset)
            pieces.append(text)
            uncertain = uncertain or guessed
        pending, pending_charset = [], None

    for match in _ENCODED_WORD.finditer(value):
        between = value[position : match.start()]
        if not (pending and _BETWEEN_WORDS.fullmatch(between)):
            flush()
            pieces.append(between)
        charset = match.group(1).split("*", 1)[0].lower()  # RFC 2231 language
        if pending and charset != pending_charset:
            flush()
        try:
            data = _word_bytes(match.group(2), match.group(3))
        except (binascii.Error, ValueError):
            flush()
            pieces.append(match.group(0))
        else:
            pending.append(data)
            pending_charset = charset
        position = match.end()
    flush()
    pieces.append(value[position:])
    return "".join(pieces), uncertain


def one_line(value: str) -> str:
    return " ".join(value.split())


def message_ids(value: str | None) -> list[str]:
    """The "<id>"s in a Message-ID, In-Reply-To or References value, in
    order, without repeats; bare ids (no brackets) are bracketed when they
    look like ids (have an @)."""
    if not value:
        return []
    value = unfold(value)
    found = _BRACKETED_ID.findall(value)
    if not found:
        found = [
            token.strip("<>")
            for token in re.split(r"[\s,;]+", value)
            if "@" in token and "<" not in token.strip("<>")
        ]
    ids: list[str] = []
    for token in found:
        token = f"<{token}>"
        if len(token) <= _MAX_ID and token.isascii() and token not in ids:
            ids.append(token)
    return ids[-_MAX_IDS:]


def addresses(values: list[str]) -> list[tuple[str, str]]:
    """(display name, normalised address) for each address in `values`,
    the raw values of one or more address headers."""
    result = []
    try:
        pairs = email.utils.getaddresses([unfold(value) for value in values])
    except (ValueError, IndexError, TypeError):
        return []
    for name, address in pairs:
        # Lower case first: the IDN codec only knows the "xn--" prefix so.
        address = _from_8bit(address)[0].lower()
        if "@" not in address:
            continue
        name = one_line(decode_text(name)[0]).strip("\"' ")
        result.append((name, normalise_address(address)))
    return result


def parse_date(value: str | None) -> datetime | None:
    """An aware datetime from an RFC 5322 date, or None; no zone means UTC."""
    if not value:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(one_line(value))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


CLOCK_SKEW = timedelta(minutes=10)
MAX_AGE = timedelta(days=30)


def received_time(received: list[str], now: datetime) -> datetime | None:
    """When the mail server that delivered to us received the message: the
    date of the top-most Received header that has one (each server adds its
    own on top, so the top-most is the last hop, ours). None when that
    time is in the future (beyond clock skew) or over 30 days ago: a wrong
    server clock, a forged header or an old message re-sent."""
    for value in received:
        _, semicolon, date = unfold(value).rpartition(";")
        moment = parse_date(date) if semicolon else None
        if moment is None:
            continue
        if moment > now + CLOCK_SKEW or moment < now - MAX_AGE:
            return None
        return moment
    return None
