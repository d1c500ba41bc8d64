"""Search terms: Arabic and English text normalised and stemmed the way people type.

Pure: the same functions build the stored search column (at write time) and the
query, so both sides always agree. PostgreSQL indexes the column with the
'simple' text search configuration (the stemming is already done here);
SQLite falls back to `icontains` on the same column.
"""

import functools
import re
import unicodedata

import snowballstemmer
from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorField
from django.db import connection
from django.db.models import Func

# Arabic letters people type interchangeably, folded to one form.
_LETTERS = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ؤ": "و",
    "ئ": "ي",
    "ـ": None,  # tatweel (kashida), only stretches a word
    # Arabic-Indic and Eastern Arabic-Indic digits.
    **{chr(0x0660 + n): str(n) for n in range(10)},
    **{chr(0x06F0 + n): str(n) for n in range(10)},
}
# Word endings written either way; the stemmer only recognises the first
# form of each, so words are stemmed before these are folded.
_ENDINGS = {"ى": "ي", "ة": "ه"}
_PREFOLD = str.maketrans(_LETTERS)
_FOLD = str.maketrans({**_LETTERS, **_ENDINGS})
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
    return _prefold(text).translate(_FOLD)


def _prefold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return _DIACRITICS.sub("", text).translate(_PREFOLD).casefold()


# Words repeat endlessly across tickets: stemming each once is most of the
# cost of indexing saved.
@functools.lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    if word.isdigit():
        return word
    if not _ARABIC.search(word):
        return _STEMMERS["english"].stemWord(word)
    # A final haa or yaa is often a taa marbuta or alef maqsura typed loosely:
    # give the stemmer the form whose suffixes it knows.
    if word.endswith("ه"):
        word = word[:-1] + "ة"
    elif word.endswith("ي"):
        word = word[:-1] + "ى"
    return normalize(_STEMMERS["arabic"].stemWord(word)) or normalize(word)


def terms(text: str) -> list[str]:
    """The distinct stemmed words of `text`, in order of first appearance."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(_prefold(text)):
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


def customer_search_text(name: str, email: str, organisation: str, phone: str) -> str:
    """The search column for a customer: name, email, organisation and phone."""
    number = digits(phone)
    # Local numbers are typed without the country code or the trunk 0.
    national = number[-9:] if len(number) > 9 else ""
    return search_text(name, email, organisation, number, national)


def merge_search_text(existing: str, *parts: str) -> str:
    """`existing` search column with the terms of `parts` added."""
    return search_text(existing, *parts)


def digits(text: str) -> str:
    """Only the digits of a phone number (Arabic-Indic ones made ASCII)."""
    return "".join(ch for ch in normalize(text) if ch.isdigit())


def tsquery(words: list[str]) -> str:
    """A PostgreSQL `to_tsquery` string matching each of `words` as a prefix."""
    return " & ".join(f"{word}:*" for word in words)


def lookup_terms(text: str) -> list[str]:
    """Terms for finding a person: a phone number typed with its trunk 0 or
    international 00 matches the stored national number."""
    return [
        word.lstrip("0") or word if word.isdigit() else word for word in terms(text)
    ]


class WordsVector(Func):
    """A stored column of `search_text`'s words as PostgreSQL indexes them
    (`to_tsvector` with the 'simple' configuration): a list filtered by
    words then checks each row against words already split, instead of
    splitting its whole text again. Elsewhere (SQLite) nothing is stored:
    searches compare the text itself."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection, **extra_context):
        return "NULL", []

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="to_tsvector('simple'::regconfig, COALESCE(%(expressions)s, ''))",
            **extra_context,
        )


def filter_words(queryset, words: list[str]):
    """Rows of `queryset` whose `search_text` holds every one of `words`.

    PostgreSQL uses the GIN index of the model's `search_vector` (a
    `WordsVector`) when it has one, else of the same expression
    (customer_search_idx); other databases compare text.
    """
    if not words:
        return queryset.none()
    if connection.vendor == "postgresql":
        query = SearchQuery(tsquery(words), config="simple", search_type="raw")
        if any(f.name == "search_vector" for f in queryset.model._meta.fields):
            return queryset.filter(search_vector=query)
        vector = SearchVector("search_text", config="simple")
        return queryset.alias(search_vector=vector).filter(search_vector=query)
    for word in words:
        queryset = queryset.filter(search_text__icontains=word)
    return queryset
