"""Search terms: Arabic and English text normalised and stemmed the way people type.

Pure: the same functions build the stored search column (at write time) and the
query, so both sides always agree. PostgreSQL indexes the column with the
'simple' text search configuration (the stemming is already done here);
SQLite falls back to `icontains` on the same column.
"""

import re
import unicodedata

import snowballstemmer

# Arabic letters people type interchangeably, folded to one form.
_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ئ": "ي",
        "ى": "ي",
        "ة": "ه",
        "ـ": None,  # tatweel (kashida), only stretches a word
        # Arabic-Indic and Eastern Arabic-Indic digits.
        **{chr(0x0660 + n): str(n) for n in range(10)},
        **{chr(0x06F0 + n): str(n) for n in range(10)},
    }
)
# Harakat, tanween, shadda, sukun, superscript alef and Quranic marks.
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_WORD = re.compile(r"\w+")
_ARABIC = re.compile("[\u0600-\u06ff]")
_STEMMERS = {
    "arabic": snowballstemmer.stemmer("arabic"),
    "english": snowballstemmer.stemmer("english"),
}
# Long enough for any real word; longer "words" are noise (hashes, base64).
MAX_WORD = 40


def normalize(text: str) -> str:
    """Fold letter forms, drop diacritics and tatweel, ASCII digits, lower case."""
    text = unicodedata.normalize("NFKC", text)
    text = _DIACRITICS.sub("", text)
    return text.translate(_FOLD).casefold()


def _stem(word: str) -> str:
    if word.isdigit():
        return word
    language = "arabic" if _ARABIC.search(word) else "english"
    # The Arabic stemmer expects its own letter forms; normalise after it too.
    return normalize(_STEMMERS[language].stemWord(word)) or word


def terms(text: str) -> list[str]:
    """The distinct stemmed words of `text`, in order of first appearance."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(normalize(text)):
        if len(word) > MAX_WORD or word == "_":
            continue
        seen.setdefault(_stem(word), None)
    return list(seen)


def search_text(*parts: str) -> str:
    """The stored search column for `parts`: their terms, space separated."""
    found: dict[str, None] = {}
    for part in parts:
        for term in terms(part or ""):
            found.setdefault(term, None)
    return " ".join(found)


def merge_search_text(existing: str, *parts: str) -> str:
    """`existing` search column with the terms of `parts` added."""
    return search_text(existing, *parts)


def digits(text: str) -> str:
    """Only the digits of a phone number (Arabic-Indic ones made ASCII)."""
    return "".join(ch for ch in normalize(text) if ch.isdigit())


def tsquery(text: str) -> str:
    """A PostgreSQL `to_tsquery` string matching every term as a prefix."""
    return " & ".join(f"{term}:*" for term in terms(text))
