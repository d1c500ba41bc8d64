"""The composers' check endpoint and the supervisors' phrase bank, over HTTP."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tone.models import Phrase

CHECK = "/agent/tone/check/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_the_check_is_for_staff_only(client, agent_client, alice_client):
    data = {"text": "This is not our problem."}

    assert reverse("tone:check") == CHECK
    assert client.post(CHECK, data).status_code == 302  # to the sign-in page
    assert alice_client.post(CHECK, data).status_code == 403
    assert agent_client.post(CHECK, data).status_code == 200
    assert agent_client.get(CHECK).status_code == 405


def test_the_check_needs_the_csrf_token(agent):
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)

    assert client.post(CHECK, {"text": "hi"}).status_code == 403


def test_an_agent_sees_what_is_flagged_why_and_the_banks_wordings(agent_client):
    response = agent_client.post(
        CHECK, {"text": "لم تقم بإرسال النموذج.", "context": "reply"}
    )

    page = response.content.decode()
    assert 'data-start="0" data-end="13"' in page
    assert "نحتاج منك" in page  # from the seeded phrase bank
    assert '<mark class="tone-mark" data-finding="0">لم تقم بإرسال</mark>' in page


def test_the_check_answers_json_when_asked(agent_client):
    response = agent_client.post(
        CHECK,
        {"text": "We will send it soon.", "language": "en"},
        HTTP_ACCEPT="application/json",
    )

    assert response.json() == {
        "findings": [
            {
                "kind": "vague_time",
                "start": 16,
                "end": 20,
                "message": response.json()["findings"][0]["message"],
                "suggestions": [
                    "before [time] today",
                    "by [date]",
                    "within [number] working days",
                ],
            }
        ]
    }


def test_bad_input_is_a_400_with_reasons_not_a_500(agent_client):
    response = agent_client.post(CHECK, {"text": "x", "context": "tweet"})

    assert response.status_code == 400
    assert "context" in response.json()["errors"]


def test_checks_are_rate_limited_per_agent(agent_client, settings):
    settings.TONE_CHECK_RATE = "2/m"

    codes = [agent_client.post(CHECK, {"text": "hi"}).status_code for _ in range(3)]

    assert codes == [200, 200, 429]


def test_only_supervisors_keep_the_phrase_bank(agent_client, supervisor_client):
    url = reverse("tone:phrases")

    assert agent_client.get(url).status_code == 403
    page = supervisor_client.get(url)
    assert page.status_code == 200
    assert "let me find out who can help with this" in page.content.decode()


def test_a_supervisors_new_phrase_is_offered_at_once(
    supervisor, supervisor_client, agent_client, settings
):
    settings.REFERENCE_CACHE_SECONDS = 60  # cached as in production
    agent_client.post(CHECK, {"text": "Impossible."})

    response = supervisor_client.post(
        reverse("tone:phrases"),
        {
            "language": "en",
            "kind": "negative",
            "trigger": "impossible",
            "text": "let us look at the options",
        },
    )

    assert response.status_code == 302
    assert (
        Phrase.objects.get(text="let us look at the options").updated_by == supervisor
    )
    page = agent_client.post(CHECK, {"text": "Impossible."}).content.decode()
    assert "Let us look at the options" in page


def test_a_supervisor_edits_and_removes_a_phrase(supervisor_client):
    phrase = Phrase.objects.get(language="en", kind="vague_time", text="by [date]")

    supervisor_client.post(
        reverse("tone:phrase_edit", args=[phrase.pk]),
        {
            "language": "en",
            "kind": "vague_time",
            "trigger": "",
            "text": "on [day, date]",
        },
    )
    phrase.refresh_from_db()
    assert phrase.text == "on [day, date]"

    supervisor_client.post(reverse("tone:phrase_delete", args=[phrase.pk]))
    assert not Phrase.objects.filter(pk=phrase.pk).exists()


def test_the_phrase_bank_page_costs_a_fixed_number_of_queries(
    supervisor_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        supervisor_client.get(reverse("tone:phrases"))


def test_why_is_said_in_the_agents_language_whatever_the_texts(agent_client, settings):
    agent_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"

    response = agent_client.post(
        CHECK, {"text": "We will send it soon."}, HTTP_ACCEPT="application/json"
    )

    (finding,) = response.json()["findings"]
    assert finding["message"].startswith("وقت غير محدد")
    assert finding["suggestions"][0] == "before [time] today"  # the text's language
