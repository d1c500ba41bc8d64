"""Finding articles in Arabic and English, on the GIN index where there is one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from knowledge import search
from knowledge.models import Article

pytestmark = pytest.mark.django_db

REFUND_AR = "استرداد المبلغ بعد إلغاء الطلب"
REFUND_BODY_AR = "يُعاد المبلغ إلى بطاقتك خلال خمسة أيام عمل من تاريخ الإلغاء."


@pytest.fixture
def articles(publish):
    return {
        "refund": publish(REFUND_AR, REFUND_BODY_AR, language="ar"),
        "invoice": publish(
            "فاتورة ضريبية", "اطلب الفاتورة الضريبية من صفحة الطلب.", language="ar"
        ),
        "track": publish(
            "Track your order", "Open the tracking link in your email.", language="en"
        ),
    }


@pytest.mark.parametrize(
    "typed",
    [
        "إسترداد",  # hamza on the alef
        "استرداد",
        "الاسترداد",  # with the article
        "وبالمبلغ",  # with the conjunction, the preposition and the article
        "المبلَغ",  # with a diacritic
        "الغاء",  # alef without hamza
        "بطاقتكِ",
        "فاتوره",  # ta marbuta typed as haa
    ],
)
def test_arabic_spelled_any_common_way_finds_the_article(articles, typed):
    found = list(search.find(Article.objects.public(), typed))

    assert found and found[0] in (articles["refund"], articles["invoice"])


def test_every_word_must_match_in_the_search_box(articles):
    assert list(search.find(Article.objects.public(), "tracking email")) == [
        articles["track"]
    ]
    assert list(search.find(Article.objects.public(), "tracking فاتورة")) == []


def test_a_word_in_the_title_ranks_above_the_same_word_in_the_text(publish):
    in_text = publish("Delivery times", "Ask about your invoice when it arrives.")
    in_title = publish("Your invoice", "Explained line by line.")

    found = list(search.find(Article.objects.public(), "invoice"))

    assert found == [in_title, in_text]


def test_suggestions_match_any_telling_word_of_a_long_message(articles):
    typed = (
        "مرحبا، ألغيت طلبي أمس ولم يصلني استرداد المبلغ حتى الآن، "
        "متى سيعود المال إلى البطاقة؟"
    )

    found = search.suggest(Article.objects.public(), typed, 3)

    assert found[0] == articles["refund"]


def test_common_words_alone_suggest_nothing(articles):
    assert (
        search.suggest(Article.objects.public(), "hello, I need help please", 3) == []
    )
    assert search.suggest(Article.objects.public(), "السلام عليكم أريد", 3) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's index")
def test_the_search_uses_the_full_text_expression_of_the_index(articles):
    with CaptureQueriesContext(connection) as queries:
        list(search.find(Article.objects.public(), "استرداد"))

    sql = queries.captured_queries[-1]["sql"]
    assert "to_tsvector('simple'::regconfig, COALESCE(" in sql
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'article_search_idx'"
        )
        assert "gin" in cursor.fetchone()[0]
