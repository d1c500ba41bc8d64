"""Bytes of mail text into str, trusting the declared charset only as far as
the bytes bear it out.

The declared charset is used when the bytes fit it. Two lies are common in
Arabic mail and are caught here: text labelled ISO-8859-1 (or ASCII, or
windows-1252) that is really windows-1256 or ISO-8859-6 Arabic, which every
Latin-1 decoder "reads" without an error, and text labelled UTF-8 that is not.
Those, and unknown charsets, are guessed and reported as uncertain; only the
guess that is not Arabic calls on charset-normalizer, so well-labelled mail
never pays for detection.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

# Labels whose decoders accept (nearly) any byte: a wrong label goes unnoticed
# unless the text is looked at.
_LATIN_LABELS = {"iso8859-1", "ascii", "cp1252", "latin-1", "iso8859-15"}
_ARABIC_CANDIDATES = ("cp1256", "iso8859-6")
# A run of three or more non-ASCII bytes: a word in a one-byte Arabic
# charset, rare in French or German, whose accented letters stand alone.
_HIGH_RUN = re.compile(rb"[\x80-\xff]{3,}")
_DETECTION_SAMPLE = 64 * 1024


def codec_name(label: str | None) -> str | None:
    """Python's codec name for a MIME charset label, or None when unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in {"x-user-defined", "unknown-8bit", "x-unknown", "unknown"}:
        return None
    try:
        name = codecs.lookup(label).name
        b"x".decode(name, "replace")  # "base64", "rot13"… are not charsets
    except (LookupError, ValueError):
        return None
    return name


def decode(data: bytes, declared: str | None) -> tuple[str, bool]:
    """`data` as text, and whether the charset had to be guessed."""
    if data.isascii():
        return data.decode("ascii"), False
    codec = codec_name(declared)
    if codec is None:
        # No label at all is common and nearly always UTF-8; a label that
        # names nothing known is a guess whatever comes out.
        if not declared:
            try:
                return data.decode("utf-8"), False
            except UnicodeDecodeError:
                pass
        return guess(data), True
    if codec in _LATIN_LABELS:
        return _decode_latin_label(data, codec)
    try:
        return data.decode(codec), False
    except (UnicodeError, ValueError, IndexError):  # odd codecs fail oddly
        return guess(data), True


def _decode_latin_label(data: bytes, codec: str) -> tuple[str, bool]:
    try:
        return data.decode("utf-8"), True  # UTF-8 sent as Latin-1
    except UnicodeDecodeError:
        pass
    high = sum(byte >= 0x80 for byte in data)
    in_runs = sum(len(run) for run in _HIGH_RUN.findall(data))
    if in_runs * 2 > high:
        arabic = _arabic(data)
        if arabic is not None:
            return arabic, True
    try:
        return data.decode(codec), False
    except UnicodeDecodeError:
        return data.decode("latin-1"), True


def guess(data: bytes) -> str:
    """Best-effort text for bytes in an unknown charset: UTF-8, then Arabic
    one-byte charsets, then whatever charset-normalizer finds."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    arabic = _arabic(data)
    if arabic is not None:
        return arabic
    match = from_bytes(data[:_DETECTION_SAMPLE]).best()
    if match is not None:
        try:
            return data.decode(match.encoding, errors="replace")
        except LookupError:
            pass
    return data.decode("utf-8", errors="replace")


def _arabic_share(text: str) -> float:
    """How much of the non-ASCII text is Arabic letters (not marks)."""
    non_ascii = [char for char in text if ord(char) >= 0x80]
    if not non_ascii:
        return 0.0
    letters = sum(
        "\u0621" <= char <= "\u064a" or char in "\u060c\u061b\u061f\u0640"
        for char in non_ascii
    )
    return letters / len(non_ascii)


def _arabic(data: bytes) -> str | None:
    """`data` read as a one-byte Arabic charset, if one reads it as mostly
    Arabic letters. ISO-8859-6 read as windows-1256 turns و and ي into é
    and ê, and the reverse fails outright or turns ي into a vowel mark, so
    the better share picks the right one."""
    best, best_share = None, 0.8
    for codec in _ARABIC_CANDIDATES:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        share = _arabic_share(text)
        if share > best_share:
            best, best_share = text, share
    return best
