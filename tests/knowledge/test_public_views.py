"""The knowledge base for customers: what they may read, the web form's
suggestions and "this answered my question", feedback and files."""

import json
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from knowledge import services
from knowledge.models import Article, ArticleFeedback, Deflection
from knowledge.views import public

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def refund(publish):
    return publish(
        "استرداد المبلغ بعد إلغاء الطلب",
        "يعاد المبلغ إلى بطاقتك خلال خمسة أيام عمل.",
        language="ar",
        summary="متى يعود المبلغ إلى بطاقتك",
    )


@pytest.fixture
def internal(publish):
    return publish(
        "رموز التصعيد الداخلية للاسترداد",
        "للاستخدام الداخلي فقط: رمز ESC-7.",
        language="ar",
        visibility=Article.Visibility.INTERNAL,
    )


def test_anyone_reads_public_articles_by_category_and_never_internal_ones(
    client, refund, internal, category
):
    listing = client.get(reverse("articles:list"))
    shelf = client.get(reverse("articles:list"), {"category": category.slug})

    for page in (listing, shelf):
        assert refund.title in page.content.decode()
        assert internal.title not in page.content.decode()
    assert client.get(internal.get_absolute_url()).status_code == 404
    assert client.get(refund.get_absolute_url()).status_code == 200


def test_a_signed_in_customer_does_not_see_internal_articles_either(
    bob_client, internal
):
    assert bob_client.get(internal.get_absolute_url()).status_code == 404
    found = bob_client.get(reverse("articles:list"), {"q": "التصعيد"})
    assert internal.title not in found.content.decode()


def test_staff_see_internal_articles_marked_as_such(agent_client, internal):
    page = agent_client.get(internal.get_absolute_url())

    assert page.status_code == 200
    assert "Internal: staff only" in page.content.decode()


def test_drafts_and_archived_articles_are_not_readable(
    client, publish, supervisor, agent_client
):
    draft = publish("Draft", published=False)
    archived = publish("Gone")
    services.archive_article(archived, by=supervisor)

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(archived.get_absolute_url()).status_code == 404
    assert agent_client.get(draft.get_absolute_url()).status_code == 404


def test_search_finds_arabic_typed_loosely(client, refund):
    page = client.get(reverse("articles:list"), {"q": "إسترداد"})

    assert refund.title in page.content.decode()


def test_an_unknown_category_is_404_and_an_overlong_search_400(client, refund):
    assert client.get(reverse("articles:list"), {"category": "nope"}).status_code == 404
    assert client.get(reverse("articles:list"), {"q": "x" * 500}).status_code == 400


def test_reading_counts_a_view(client, refund):
    client.get(refund.get_absolute_url())
    client.get(refund.get_absolute_url())

    refund.refresh_from_db()
    assert refund.view_count == 2


def test_feedback_is_recorded_with_its_comment(client, refund):
    response = client.post(
        reverse("articles:feedback", args=[refund.slug]),
        {"helpful": "no", "comment": "لم يذكر البطاقات الائتمانية"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert "Thank you for your feedback." in response.content.decode()
    feedback = ArticleFeedback.objects.get()
    assert (feedback.helpful, feedback.comment) == (
        False,
        "لم يذكر البطاقات الائتمانية",
    )


def test_feedback_without_a_verdict_is_refused(client, refund):
    response = client.post(reverse("articles:feedback", args=[refund.slug]), {})

    assert response.status_code == 400
    assert not ArticleFeedback.objects.exists()


def test_feedback_on_an_internal_article_from_a_customer_is_404(client, internal):
    response = client.post(
        reverse("articles:feedback", args=[internal.slug]), {"helpful": "yes"}
    )

    assert response.status_code == 404


def _suggest(client, **params):
    return client.get(reverse("articles:suggest"), params)


def test_the_web_form_suggests_public_articles_about_what_is_typed(
    client, refund, internal
):
    response = _suggest(
        client, subject="أين المبلغ؟", message="ألغيت الطلب ولم يصلني الاسترداد"
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert refund.title in body
    assert internal.title not in body
    assert reverse("articles:answered", args=[refund.slug]) in body


def test_staff_on_the_web_form_get_public_suggestions_only(agent_client, internal):
    response = _suggest(agent_client, subject="رموز التصعيد", message="")

    assert internal.title not in response.content.decode()


def test_suggestions_for_nothing_telling_are_empty(client, refund):
    response = _suggest(client, subject="hello", message="")

    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_an_overlong_message_is_a_400_with_json(client):
    response = _suggest(client, subject="x", message="y" * 3000)

    assert response.status_code == 400
    assert "message" in json.loads(response.content)["errors"]


def test_suggestions_are_rate_limited_per_address(client, refund):
    limit = int(public.SUGGEST_RATE.split("/")[0])
    # Within one window of the limit, whatever the time the test starts.
    with time_machine.travel(datetime(2026, 12, 7, 9, 0, 10, tzinfo=UTC), tick=False):
        for _ in range(limit):
            assert _suggest(client, subject="استرداد").status_code == 200

        refused = _suggest(client, subject="استرداد")

    assert refused.status_code == 429
    assert "detail" in json.loads(refused.content)


def test_this_answered_my_question_counts_a_deflection(client, refund):
    response = client.post(
        reverse("articles:answered", args=[refund.slug]),
        headers={"X-Requested-With": "fetch"},
    )

    assert response.status_code == 200
    assert "You do not need to send this request" in response.content.decode()
    assert Deflection.objects.get().article == refund


def test_no_deflection_for_an_internal_or_unknown_article(client, internal):
    for slug in (internal.slug, "no-such-article"):
        response = client.post(
            reverse("articles:answered", args=[slug]),
            headers={"X-Requested-With": "fetch"},
        )
        assert response.status_code == 404
        assert "detail" in json.loads(response.content)
    assert not Deflection.objects.exists()


def test_deflections_need_csrf(refund):
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(reverse("articles:answered", args=[refund.slug]))

    assert response.status_code == 403
    assert not Deflection.objects.exists()


def test_files_of_public_articles_download_and_of_internal_ones_only_for_staff(
    client, agent_client, refund, internal, agent
):
    public_file = services.add_files(
        refund, [SimpleUploadedFile("form.pdf", PDF, "application/pdf")], by=agent
    )[0]
    staff_file = services.add_files(
        internal, [SimpleUploadedFile("codes.pdf", PDF, "application/pdf")], by=agent
    )[0]
    internal_url = reverse("articles:file", args=[internal.slug, staff_file.pk])

    response = client.get(reverse("articles:file", args=[refund.slug, public_file.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert client.get(internal_url).status_code == 404
    assert agent_client.get(internal_url).status_code == 200


def test_public_list_and_search_cost_a_fixed_number_of_queries(
    client, publish, django_assert_num_queries
):
    for n in range(6):
        publish(f"Order question {n}", "About orders.")

    # The categories, the articles.
    with django_assert_num_queries(2):
        client.get(reverse("articles:list"))
    with django_assert_num_queries(2):
        client.get(reverse("articles:list"), {"q": "order"})


def test_the_article_page_costs_a_fixed_number_of_queries(
    client, refund, django_assert_num_queries
):
    # The article, its view (counted since publication and in the month),
    # its files, its translations.
    with django_assert_num_queries(5):
        client.get(refund.get_absolute_url())
