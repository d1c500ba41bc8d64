"""Folding the quoted history out of a reply, in English and Arabic.

Mail programs put the conversation so far under (or over) the new words, each
behind its own kind of header: Gmail's "On …, X <x@y> wrote:" and Arabic
"في …، كتب X <x@y>:", Outlook's "From: … Sent: … To: … Subject:" block (in
Arabic "من: … تاريخ الإرسال: … إلى: … الموضوع:"), often after a line of
underscores, "-----Original Message-----" / "----- الرسالة الأصلية -----", or
a trailing block of "> " lines. Everything from the first such header on is
the history. A forward is left whole: what was forwarded is the message.
"""

from __future__ import annotations

import re

_MAX_HEADER = 400  # characters in an attribution wrapped over a few lines

_WROTE = [
    re.compile(r"^On\s.{0,300}\swrote\s?:$", re.IGNORECASE),
    re.compile(r"^Le\s.{0,300}\sa écrit\s?:$", re.IGNORECASE),
    re.compile(r"^(?:في|بتاريخ|يوم)\s.{0,300}\sكتب\s.{0,200}:$"),
    re.compile(r"^كتب\s.{0,300}:$"),
]
_SEPARATORS = [
    re.compile(r"^-{2,}\s*Original Message\s*-{2,}$", re.IGNORECASE),
    re.compile(r"^-{2,}\s*Message d'origine\s*-{2,}$", re.IGNORECASE),
    re.compile(r"^-{2,}\s*(?:ال)?رسالة\s+(?:ال)?أصلية\s*-{2,}$"),
]
_FORWARDS = [
    re.compile(r"^-{2,}\s*Forwarded message\s*-{2,}$", re.IGNORECASE),
    re.compile(r"^Begin forwarded message\s?:$", re.IGNORECASE),
    re.compile(r"^-{2,}\s*(?:ال)?رسالة\s+(?:ال)?معاد[ةه]?\s+توجيهها\s*-{2,}$"),
]
_UNDERSCORES = re.compile(r"^_{10,}$")
_FROM = re.compile(r"^(?:From|من|المرسل)\s?:\s*\S")
_BLOCK_FIELDS = re.compile(
    r"^(?:Sent|Date|To|Cc|Subject|تاريخ الإرسال|التاريخ|أرسل|إلى|نسخة|الموضوع)\s?:",
    re.IGNORECASE,
)
# Bidi marks and other invisible characters mail programs put around names
# and dates in Arabic attributions; vowel marks and the tatweel.
_INVISIBLE = re.compile(r"[\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_VOWELS = re.compile(r"[\u064b-\u0652\u0640]")


def _plain(line: str) -> str:
    line = _VOWELS.sub("", _INVISIBLE.sub("", line))
    return line.replace("*", "").strip()


def _is_quoted(line: str) -> bool:
    return line.lstrip().startswith(">")


def _attribution_at(lines: list[str], index: int) -> bool:
    joined = ""
    for line in lines[index : index + 3]:
        joined = f"{joined} {line}".strip() if joined else line
        if len(joined) > _MAX_HEADER:
            return False
        if any(pattern.match(joined) for pattern in _WROTE):
            return True
    return False


def _header_block_at(lines: list[str], index: int) -> bool:
    following = lines[index + 1 : index + 7]
    return sum(bool(_BLOCK_FIELDS.match(line)) for line in following) >= 2


_FORWARD = -1


def _history_start(lines: list[str]) -> int | None:
    """Where the history starts, None when nothing marks it, or _FORWARD
    when a forward comes first."""
    for index, line in enumerate(lines):
        if not line or _is_quoted(line):
            continue
        if any(pattern.match(line) for pattern in _FORWARDS):
            return _FORWARD
        if (
            any(pattern.match(line) for pattern in _SEPARATORS)
            or _attribution_at(lines, index)
            or (_FROM.match(line) and _header_block_at(lines, index))
        ):
            return index
        if _UNDERSCORES.match(line):
            after = [other for other in lines[index + 1 : index + 4] if other]
            if after and _FROM.match(after[0]):
                return index
    return None


def _trailing_quote_start(lines: list[str]) -> int | None:
    index = len(lines)
    while index and not lines[index - 1]:
        index -= 1
    if not index or not _is_quoted(lines[index - 1]):
        return None
    while index and (not lines[index - 1] or _is_quoted(lines[index - 1])):
        index -= 1
    return index


def fold_quotes(text: str, *, forwarded: bool = False) -> tuple[str, str]:
    """(new words, quoted history) of a plain-text message body. Nothing is
    folded from a forward, nor when folding would leave no new words."""
    if forwarded:
        return text.strip(), ""
    original = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [_plain(line) for line in original]
    start = _history_start(lines)
    if start == _FORWARD:
        return text.strip(), ""
    if start is None:
        start = _trailing_quote_start(lines)
    if start is None:
        return text.strip(), ""
    new = "\n".join(original[:start]).rstrip()
    if not new.strip():
        return text.strip(), ""
    return new.strip("\n"), "\n".join(original[start:]).strip()
