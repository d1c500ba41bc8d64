"""Text folded for matching, with every folded character's place in the original.

The rules match on text folded by the project's search normalisation
(`helpdesk.search.normalize`: diacritics and tatweel dropped, alef, hamza,
taa marbuta and alef maqsura variants folded, Arabic digits made ASCII, lower
case), so a rule written once matches "مستحيل" and "مُستَحِيل" alike. A
finding's offsets must still point into the text the agent typed: each folded
character remembers the original character it came from.
"""

from dataclasses import dataclass
from functools import lru_cache

from helpdesk.search import normalize


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    return normalize(char)


@dataclass(frozen=True, slots=True)
class Folded:
    """`text` folded; `origin[i]` is the index in the original of folded
    character i, and `origin[len(text)]` is the original's length."""

    text: str
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of the folded span [start, end)."""
        if end <= start:
            return self.origin[start], self.origin[start]
        # The end takes in the marks after the last letter (its diacritics),
        # up to the next character that folds to something.
        return self.origin[start], max(self.origin[end - 1] + 1, self.origin[end])


def fold(original: str) -> Folded:
    """`original` folded character by character, with the offsets map."""
    parts: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(original):
        folded = _fold_char(char) if ord(char) > 127 or char.isupper() else char
        parts.append(folded)
        origin.extend([index] * len(folded))
    origin.append(len(original))
    return Folded("".join(parts), tuple(origin))
