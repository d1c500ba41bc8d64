"""The positive-language checks: text in, findings with offsets out.

Pure and fast: no database, no clock (`today` is passed in), no request. The
rules (lexicon_en, lexicon_ar) are compiled once per process; one check of a
2,000-character reply takes a few milliseconds (bench/tone_bench.py).
Suggestions come from a `PhraseBank` the caller loads (tone/phrases.py reads
the supervisors' one from the database).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from . import kinds, lexicon_ar, lexicon_en
from .bank import PhraseBank
from .dates_in_text import names_past_date
from .folding import Folded, fold

LANGUAGES = ("ar", "en")
CONTEXTS = ("reply", "letter", "memo")
# Past this many words a sentence is hard to take in at one reading.
LONG_SENTENCE_WORDS = 35
# A greeting belongs in the first lines, a closing in the last ones.
GREETING_WITHIN = 160
CLOSING_WITHIN = 220
# An internal memo goes to colleagues: our own terms and codes are fine there,
# and it needs no letter's greeting.
CONTEXT_KINDS = {
    "reply": set(kinds.KINDS) - {kinds.GREETING, kinds.CLOSING},
    "letter": set(kinds.KINDS),
    "memo": {kinds.NEGATIVE, kinds.VAGUE_TIME, kinds.LONG_SENTENCE},
}
_SENTENCE = re.compile(r"[^.!?؟؛;\n]+[.!?؟؛;]*")
_WORD = re.compile(r"\w+")
# Codes such as ERR_502, Q-BILL-2 or PND: capitals with digits, underscores
# or hyphens, or a short run of capitals. The text's own case is needed, so
# this runs on the original.
_CODE = re.compile(
    r"(?<![\w-])(?:[A-Z]+[0-9_][A-Z0-9_]*|[A-Z][A-Z0-9]*(?:[-_][A-Z0-9]+)+"
    r"|[A-Z]{2,5}|[A-Z]{3,}(?=\s+(?:status|queue|state)\b)"
    r"|PENDING|RESOLVED|ESCALATED|REOPENED|CLOSED|ON_HOLD|IN_PROGRESS)(?![\w-])"
)
# The customer's own references, which they quote back: HD-2026-000123,
# OUT-2026-000067, and anything that follows "order", "invoice", "رقم"...
_REFERENCE = re.compile(r"^[A-Z]{2,5}-\d{4}-\d{3,}$")
_REFERENCE_BEFORE = re.compile(
    r"(?:number|no\.?|ref(?:erence)?|order|invoice|account|policy|"
    r"contract|tracking|promo code|discount code|voucher|coupon|رقم|الرقم|مرجع|"
    r"المرجع|الطلب|طلب|فاتورة|الفاتورة|حساب|الحساب|عقد|العقد|التتبع)"
    r"(?:\s+(?:is|was|are))?\W{0,3}$",
    re.IGNORECASE,
)
_UPPER_WORDS = re.compile(r"[A-Z]{2,}")


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str
    start: int
    end: int
    message: str
    suggestions: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "message": str(self.message),
            "suggestions": list(self.suggestions),
        }


@dataclass(frozen=True)
class _Rules:
    negative: tuple[re.Pattern, ...]
    refusal: tuple[re.Pattern, ...]
    reasons: re.Pattern
    promise: tuple[re.Pattern, ...]
    dates: re.Pattern
    conditions: re.Pattern
    vague: tuple[re.Pattern, ...]
    jargon: tuple[re.Pattern, ...]
    greetings: re.Pattern
    closings: re.Pattern
    known_capitals: frozenset[str]


_ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
_LATIN_LETTER = re.compile("[A-Za-z]")


def detect_language(text: str) -> str:
    """ "ar" when Arabic letters outnumber Latin ones, else "en"."""
    arabic = len(_ARABIC_LETTER.findall(text))
    return "ar" if arabic and arabic >= len(_LATIN_LETTER.findall(text)) else "en"


def _fold_pattern(pattern: str) -> str:
    # Only the Arabic letters: folding ASCII would lower-case \W, \B, \S.
    return "".join(fold(char).text if ord(char) > 127 else char for char in pattern)


def _prepare(pattern: str) -> str:
    return _fold_pattern(pattern).replace("'", "['’]")


def _alternatives(patterns: list[str]) -> tuple[re.Pattern]:
    """One regular expression for all of `patterns`: the text is scanned once
    per kind, not once per rule. Alternative i is the group `a<i>`, and its
    `x` group (the words a finding covers) becomes `x<i>`. The Arabic word
    prefixes, common to most rules, are matched once before them all."""
    words, bounded, others = [], [], []
    for number, pattern in enumerate(patterns):
        if pattern.startswith(lexicon_ar.PRE) and pattern.endswith(lexicon_ar.END):
            inner = pattern[len(lexicon_ar.PRE) : -len(lexicon_ar.END)]
            inner = inner.replace("(?P<x>", "(?:")
            words.append(f"(?P<a{number}>{_prepare(inner)})")
            continue
        inner = _prepare(pattern).replace("(?P<x>", f"(?P<x{number}>")
        if inner.startswith(r"\b"):
            # One word-boundary test, then the words: the engine skips to
            # the alternatives whose first letter is there.
            bounded.append(f"(?P<a{number}>{inner[2:]})")
        else:
            others.append(f"(?P<a{number}>{inner})")
    parts = []
    if words:
        parts.append(lexicon_ar.PRE + "(?:" + "|".join(words) + ")" + lexicon_ar.END)
    if bounded:
        parts.append(r"\b(?:" + "|".join(bounded) + ")")
    parts.extend(others)
    return (re.compile("|".join(parts)),)


def _union(patterns: list[str]) -> re.Pattern:
    """`patterns` as one expression, for "is any of them there?"."""
    return _alternatives(patterns)[0]


@lru_cache(maxsize=2)
def rules(language: str) -> _Rules:
    """The compiled rules for `language` ("ar" or "en")."""
    lexicon = lexicon_ar if language == "ar" else lexicon_en
    return _Rules(
        negative=_alternatives(lexicon.NEGATIVE),
        refusal=_alternatives(lexicon.REFUSAL),
        reasons=_union(lexicon.REASONS),
        promise=_alternatives(lexicon.PROMISE),
        dates=_union(lexicon.DATES),
        conditions=_union(lexicon.CONDITIONS),
        vague=_alternatives(lexicon.VAGUE_TIME),
        jargon=_alternatives(lexicon.JARGON),
        greetings=_union(lexicon.GREETINGS),
        closings=_union(lexicon.CLOSINGS),
        known_capitals=frozenset(lexicon_en.KNOWN_CAPITALS),
    )


def _span(match: re.Match) -> tuple[int, int]:
    """The words a finding covers: the rule's `x` group, else its match."""
    name = match.lastgroup
    if name and name.startswith("a"):
        words = "x" + name[1:]
        if words in match.re.groupindex and match.group(words) is not None:
            return match.span(words)
        return match.span(name)
    return match.span()


def _sentences(folded: str) -> list[tuple[int, int]]:
    spans = []
    for match in _SENTENCE.finditer(folded):
        start, end = match.span()
        text = match.group()
        # Trim the spaces either side: a sentence starts at its first word.
        start += len(text) - len(text.lstrip())
        end -= len(text) - len(text.rstrip())
        if end > start:
            spans.append((start, end))
    return spans


def _sentence_of(sentences: list[tuple[int, int]], position: int) -> int:
    for index, (start, end) in enumerate(sentences):
        if start <= position < end:
            return index
    return len(sentences) - 1


class _Collector:
    def __init__(self, folded: Folded, original: str, language: str, bank, allowed):
        self.folded = folded
        self.original = original
        self.language = language
        self.bank = bank
        self.allowed = allowed
        self.found: list[Finding] = []
        self.taken: dict[str, list[tuple[int, int]]] = {}

    def add(self, kind: str, start: int, end: int, *, folded=True, message=None):
        if kind not in self.allowed:
            return
        if folded:
            start, end = self.folded.span(start, end)
        for other_start, other_end in self.taken.get(kind, []):
            if start < other_end and other_start < end or start == other_start:
                return  # one finding per place and kind
        self.taken.setdefault(kind, []).append((start, end))
        span_text = self.original[start:end]
        self.found.append(
            Finding(
                kind=kind,
                start=start,
                end=end,
                message=message or kinds.MESSAGES[kind],
                suggestions=self.bank.suggestions(self.language, kind, span_text),
            )
        )


def check(
    text: str,
    *,
    language: str,
    today: date,
    context: str = "reply",
    bank: PhraseBank | None = None,
) -> list[Finding]:
    """The findings in `text`, written in `language`, for a `context` of
    "reply", "letter" or "memo"; offsets are characters of `text`."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}")
    if context not in CONTEXTS:
        raise ValueError(f"context must be one of {CONTEXTS}")
    ruleset = rules(language)
    folded = fold(text)
    collect = _Collector(
        folded, text, language, bank or PhraseBank(()), CONTEXT_KINDS[context]
    )
    haystack = folded.text
    sentences = _sentences(haystack)

    # The longest of overlapping matches is the one reported.
    negative = sorted(
        (
            _span(match)
            for pattern in ruleset.negative
            for match in pattern.finditer(haystack)
        ),
        key=lambda span: (span[0], span[0] - span[1]),
    )
    for start, end in negative:
        collect.add(kinds.NEGATIVE, start, end)

    vague_sentences = set()
    for pattern in ruleset.vague:
        for match in pattern.finditer(haystack):
            start, end = _span(match)
            collect.add(kinds.VAGUE_TIME, start, end)
            vague_sentences.add(_sentence_of(sentences, start))

    _refusals(ruleset, haystack, sentences, collect)
    _promises(ruleset, haystack, sentences, vague_sentences, collect, today)
    _jargon(ruleset, haystack, text, collect)
    _long_sentences(haystack, sentences, collect)
    if context == "letter":
        _greeting_and_closing(ruleset, haystack, collect)
    return sorted(collect.found, key=lambda finding: (finding.start, finding.end))


def _refusals(ruleset, haystack, sentences, collect) -> None:
    for pattern in ruleset.refusal:
        for match in pattern.finditer(haystack):
            start, end = _span(match)
            index = _sentence_of(sentences, start)
            sentence_start, sentence_end = sentences[index]
            # The reason may come before the refusal, or in the next sentence.
            window_end = (
                sentences[index + 1][1] if index + 1 < len(sentences) else sentence_end
            )
            around = haystack[sentence_start:start] + " " + haystack[end:window_end]
            if not ruleset.reasons.search(around):
                collect.add(kinds.REFUSAL, start, end)


def _promises(ruleset, haystack, sentences, vague_sentences, collect, today) -> None:
    for pattern in ruleset.promise:
        for match in pattern.finditer(haystack):
            start, end = _span(match)
            index = _sentence_of(sentences, start)
            if index in vague_sentences:
                continue  # the vague time is the finding there
            sentence = haystack[slice(*sentences[index])]
            if ruleset.dates.search(sentence):
                if names_past_date(sentence, today):
                    collect.add(kinds.PROMISE, start, end, message=kinds.PAST_PROMISE)
                continue
            if ruleset.conditions.search(sentence):
                continue  # kept when something else happens: a clear moment
            collect.add(kinds.PROMISE, start, end)


def _jargon(ruleset, haystack, original, collect) -> None:
    for pattern in ruleset.jargon:
        for match in pattern.finditer(haystack):
            collect.add(kinds.JARGON, *_span(match))
    # A shouted sentence is not a run of codes.
    letters = sum(char.isalpha() for char in original if char.isascii())
    capitals = sum(len(run) for run in _UPPER_WORDS.findall(original))
    if letters > 20 and capitals / letters > 0.5:
        return
    for match in _CODE.finditer(original):
        code = match.group()
        if code in ruleset.known_capitals or _REFERENCE.match(code):
            continue
        if _REFERENCE_BEFORE.search(
            original[max(0, match.start() - 20) : match.start()]
        ):
            continue
        collect.add(kinds.JARGON, match.start(), match.end(), folded=False)


def _long_sentences(haystack, sentences, collect) -> None:
    for start, end in sentences:
        if len(_WORD.findall(haystack, start, end)) > LONG_SENTENCE_WORDS:
            collect.add(kinds.LONG_SENTENCE, start, end)


def _greeting_and_closing(ruleset, haystack, collect) -> None:
    body = haystack.strip()
    if not body:
        return
    lead = len(haystack) - len(haystack.lstrip())
    if not ruleset.greetings.search(haystack, lead, lead + GREETING_WITHIN):
        collect.add(kinds.GREETING, lead, lead)
    tail = len(haystack.rstrip())
    if not ruleset.closings.search(haystack, max(0, tail - CLOSING_WITHIN), tail):
        collect.add(kinds.CLOSING, tail, tail)
