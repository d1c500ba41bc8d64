"""Text folded for matching, with every folded character's place in the original.

The rules match on text folded by the project's search normalisation
(`helpdesk.search.normalize`: diacritics and tatweel dropped, alef, hamza,
taa marbuta and alef maqsura variants folded, Arabic digits made ASCII, lower
case), so a rule written once matches "مستحيل" and "مُستَحِيل" alike. A
finding's offsets must still point into the text the agent typed: each folded
character knows the original character it came from.

Folding runs on every key an agent types, so the common case stays in C:
characters that fold to one character or to nothing go through one
`str.translate`, and the places of the dropped ones (diacritics) are kept to
map offsets back with a binary search. Only a text with a character that
folds to several (a ligature such as "ﻻ") takes the slow road.
"""

import re
from bisect import bisect_right
from dataclasses import dataclass

from helpdesk.search import normalize

# character -> what it folds to; grows with the characters seen.
_FOLDS: dict[str, str] = {}


def _fold_of(char: str) -> str:
    folded = _FOLDS.get(char)
    if folded is None:
        folded = _FOLDS[char] = normalize(char)
    return folded


@dataclass(frozen=True, slots=True)
class Folded:
    """`text` folded. Either `origin[i]` is the original index of folded
    character i (with the original's length at the end), or, when `origin`
    is empty, `shifts` lists for each dropped character the folded index it
    was dropped before."""

    text: str
    length: int
    shifts: tuple[int, ...] = ()
    origin: tuple[int, ...] = ()

    def index(self, folded: int) -> int:
        """The original index of folded character `folded`."""
        if self.origin:
            return self.origin[folded]
        return folded + bisect_right(self.shifts, folded)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of the folded span [start, end)."""
        if end <= start:
            return self.index(start), self.index(start)
        # The end takes in the marks after the last letter (its diacritics),
        # up to the next character that folds to something.
        return self.index(start), max(self.index(end - 1) + 1, self.index(end))


def fold(original: str) -> Folded:
    """`original` folded, with the offsets map."""
    table: dict[int, str] = {}
    dropped: list[str] = []
    several = False
    for char in set(original):
        folded = _fold_of(char)
        if folded != char:
            table[ord(char)] = folded
        if not folded:
            dropped.append(char)
        elif len(folded) > 1:
            several = True
    if several:
        return _fold_slowly(original)
    text = original.translate(table)
    if not dropped:
        return Folded(text, len(original))
    places = re.finditer("[" + re.escape("".join(dropped)) + "]", original)
    shifts = tuple(match.start() - number for number, match in enumerate(places))
    return Folded(text, len(original), shifts=shifts)


def _fold_slowly(original: str) -> Folded:
    parts: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(original):
        folded = _fold_of(char)
        parts.append(folded)
        origin.extend([index] * len(folded))
    origin.append(len(original))
    return Folded("".join(parts), len(original), origin=tuple(origin))
