"""The phrase bank as the checks use it: suggestions by language and kind.

Pure: built from plain rows (tone/phrases.py reads the supervisors' bank from
the database). A phrase with a trigger is offered first for findings whose
text contains the trigger; phrases without one are offered for every finding
of their kind.
"""

from __future__ import annotations

from collections.abc import Iterable

from .folding import fold

MAX_SUGGESTIONS = 3


class PhraseBank:
    def __init__(self, rows: Iterable[tuple[str, str, str, str]]):
        """`rows` are (language, kind, trigger, text); "{}" in a text stands for
        the flagged words, so "by [date], {}" turns "we will send" into "by
        [date], we will send"."""
        self._entries: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for language, kind, trigger, text in rows:
            self._entries.setdefault((language, kind), []).append(
                (fold(trigger.strip()).text, text)
            )

    def suggestions(self, language: str, kind: str, span: str) -> tuple[str, ...]:
        """Up to three replacements for `span`, a finding of `kind`."""
        entries = self._entries.get((language, kind), ())
        folded = fold(span).text
        matched = [text for trigger, text in entries if trigger and trigger in folded]
        general = [text for trigger, text in entries if not trigger]
        chosen = list(dict.fromkeys(matched + general))[:MAX_SUGGESTIONS]
        return tuple(_same_case(span, _fill(text, span)) for text in chosen)


def _fill(text: str, span: str) -> str:
    """`text` with "{}" standing for the flagged words ("by [date], {}")."""
    if "{}" not in text:
        return text
    if not text.startswith("{}") and span[:1].isupper() and not span.startswith("I "):
        span = span[0].lower() + span[1:]
    return text.replace("{}", span)


def _same_case(span: str, text: str) -> str:
    """`text` starting with a capital where `span` does (English)."""
    if span[:1].isupper() and text[:1].islower():
        return text[0].upper() + text[1:]
    if span[:1].islower() and text[:1].isupper() and not text.startswith("I "):
        return text[0].lower() + text[1:]
    return text
