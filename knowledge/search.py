"""Finding articles: the project's Arabic/English terms (helpdesk/search.py),
ranked. A search box needs every word (AND); a suggestion from what a
customer is typing needs any of its telling words (OR), so common words are
dropped first.

PostgreSQL filters on the GIN index of `search_text` (article_search_idx) and
ranks the rows found with ts_rank, the title weighing more than the text;
other databases compare text and rank by the number of words matched.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q

from helpdesk import search

# Words too common to say what a question is about, in their stemmed, folded
# form as `search.terms` gives them.
COMMON_WORDS = frozenset(
    search.search_text(
        "a an and are as at be but by can could do does for from have how i if in is "
        "it me my no not of on or our please so than that the their there this to "
        "was we what when where which who why will with would you your hello hi "
        "thanks thank dear need want help",
        "في من الى إلى على عن مع هل ما ماذا لماذا كيف متى أين انا أنا نحن هو هي هذا "
        "هذه ذلك تلك التي الذي او أو و ثم لا لم لن قد كان يكون عند عندي لدي لي "
        "شكرا شكراً مرحبا السلام عليكم اريد أريد ارجو أرجو نرجو ولم حتى الان الآن "
        "امس أمس اليوم بعد قبل",
    ).split()
)
# A customer's message can be long: its first telling words are enough.
MAX_SUGGESTION_TERMS = 16


def telling_terms(text: str) -> list[str]:
    """The stemmed words of `text` that say what it is about, at most
    MAX_SUGGESTION_TERMS, short and common words left out."""
    words = [
        word
        for word in search.terms(text)
        if word not in COMMON_WORDS and (len(word) > 1 or word.isdigit())
    ]
    return words[:MAX_SUGGESTION_TERMS]


def _ranked(queryset, words: list[str], joiner: str):
    raw = f" {joiner} ".join(f"{word}:*" for word in words)
    query = SearchQuery(raw, config="simple", search_type="raw")
    matched = queryset.alias(
        search_vector=SearchVector("search_text", config="simple")
    ).filter(search_vector=query)
    weighted = SearchVector("title_terms", config="simple", weight="A") + SearchVector(
        "search_text", config="simple", weight="B"
    )
    return matched.annotate(rank=SearchRank(weighted, query)).order_by("-rank", "pk")


def _ranked_by_count(queryset, words: list[str], every: bool):
    condition = Q()
    for word in words:
        condition = (
            (condition & Q(search_text__icontains=word))
            if every
            else (condition | Q(search_text__icontains=word))
        )
    rows = list(queryset.filter(condition))

    def score(article):
        title = article.title_terms
        return sum(
            (2 if word in title else 0) + (1 if word in article.search_text else 0)
            for word in words
        )

    for article in rows:
        article.rank = score(article)
    return sorted(rows, key=lambda a: (-a.rank, a.pk))


def find(queryset, text: str):
    """Articles of `queryset` holding every word of `text`, best first."""
    words = search.terms(text)
    if not words:
        return queryset.none()
    if connection.vendor == "postgresql":
        return _ranked(queryset, words, "&")
    return _ranked_by_count(queryset, words, every=True)


def suggest(queryset, text: str, limit: int):
    """At most `limit` articles of `queryset` about what `text` says, best first."""
    words = telling_terms(text)
    if not words:
        return []
    if connection.vendor == "postgresql":
        return list(_ranked(queryset, words, "|")[:limit])
    return _ranked_by_count(queryset, words, every=False)[:limit]
