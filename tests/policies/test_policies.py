"""Service policies: versions, the acknowledgement asked on the next page
(and what it costs), who has not acknowledged, texts flagged for review, and
who may do what."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from customers.auth import EmailOrUsernameBackend
from letters.models import LetterTemplate
from policies import services
from policies.models import Policy, PolicyAcknowledgement
from tickets.models import CannedResponse

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
QUEUE_PAGE = "/agent/"
ACKNOWLEDGE = "/policies/acknowledge/"


def publish(policy_or_slug, by, *, body="Answer within 48 working hours.", **fields):
    """A new published version of the policy (made if it is a slug)."""
    wording = {
        "title": fields.get("title", "Response times"),
        "title_ar": fields.get("title_ar", "مواعيد الرد"),
        "body": body,
        "body_ar": "نرد خلال 48 ساعة عمل.",
        "change_summary": fields.get("change_summary", ""),
        "by": by,
    }
    if isinstance(policy_or_slug, str):
        draft = services.create_policy(slug=policy_or_slug, **wording)
    else:
        draft = services.write_version(policy_or_slug, **wording)
    services.publish_version(draft, now=NOW)
    return draft


def test_versions_are_numbered_and_the_latest_published_is_in_force(supervisor):
    first = publish("response-times", supervisor)
    policy = first.policy

    draft = services.write_version(
        policy,
        title="Response times",
        title_ar="مواعيد الرد",
        body="VIP customers within 4 hours.",
        body_ar="كبار العملاء خلال 4 ساعات.",
        change_summary="VIP first.",
        by=supervisor,
    )
    policy.refresh_from_db()
    in_force_before = policy.current_version
    services.publish_version(draft, now=NOW)
    policy.refresh_from_db()

    assert (first.number, draft.number) == (1, 2)
    assert in_force_before == first
    assert policy.current_version == draft
    assert draft.published_at == NOW
    assert draft.author == supervisor


def test_a_draft_is_rewritten_not_multiplied_and_published_once(supervisor):
    publish("complaints", supervisor)
    policy = Policy.objects.get(slug="complaints")
    wording = {"title": "C", "title_ar": "ش", "body": "b", "body_ar": "ب"}
    wording["change_summary"] = ""

    one = services.write_version(policy, **wording, by=supervisor)
    two = services.write_version(policy, **(wording | {"body": "c"}), by=supervisor)
    services.publish_version(two, now=NOW)

    assert one.pk == two.pk
    assert policy.versions.count() == 2
    with pytest.raises(ValidationError):
        services.publish_version(two, now=NOW)


def test_staff_are_sent_to_acknowledge_a_new_version_on_their_next_page(
    agent, agent_client, supervisor
):
    assert agent_client.get(QUEUE_PAGE).status_code == 200
    publish("response-times", supervisor)

    response = agent_client.get(QUEUE_PAGE + "?view=open")

    assert response.status_code == 302
    assert response["Location"] == ACKNOWLEDGE + "?next=%2Fagent%2F%3Fview%3Dopen"
    page = agent_client.get(response["Location"])
    assert "Response times" in page.text
    assert "I have read and understood" in page.text


def test_acknowledging_returns_to_the_page_until_the_next_version(
    agent, agent_client, supervisor
):
    version = publish("response-times", supervisor)

    response = agent_client.post(
        ACKNOWLEDGE,
        {"versions": [version.pk], "understood": "on", "next": "/agent/?view=open"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/agent/?view=open"
    assert agent_client.get(QUEUE_PAGE).status_code == 200
    acknowledgement = PolicyAcknowledgement.objects.get(user=agent)
    assert acknowledgement.version == version
    publish(version.policy, supervisor, body="Changed.")
    assert agent_client.get(QUEUE_PAGE).status_code == 302


def test_acknowledging_needs_the_box_ticked(agent, agent_client, supervisor):
    version = publish("response-times", supervisor)

    response = agent_client.post(ACKNOWLEDGE, {"versions": [version.pk]})

    assert response.status_code == 400
    assert "Tick the box" in response.text
    assert not PolicyAcknowledgement.objects.exists()


def test_acknowledging_goes_back_only_within_the_site(agent, agent_client, supervisor):
    version = publish("response-times", supervisor)

    response = agent_client.post(
        ACKNOWLEDGE,
        {"versions": [version.pk], "understood": "on", "next": "https://evil.test/"},
    )

    assert response["Location"] == "/"


def test_the_api_files_logout_forms_and_fragments_are_never_held_back(
    agent, agent_client, supervisor
):
    publish("response-times", supervisor)

    assert agent_client.get(ACKNOWLEDGE).status_code == 200
    assert agent_client.get("/api/v1/tickets/").status_code == 200
    assert agent_client.get("/healthz/").status_code == 200
    assert agent_client.get(QUEUE_PAGE, HTTP_HX_REQUEST="true").status_code == 200
    assert agent_client.post("/accounts/logout/").status_code == 302
    assert agent_client.get(QUEUE_PAGE).status_code == 302  # signed out: login


def test_customers_are_never_asked(alice_client, supervisor):
    publish("response-times", supervisor)

    assert alice_client.get("/support/").status_code == 200


def test_the_check_costs_no_query_of_its_own(
    agent, agent_client, supervisor, django_assert_num_queries
):
    counts = reverse("tickets:counts")
    # Session, user (with groups and whether a policy waits), the aggregate:
    # the same three as before policies existed.
    with django_assert_num_queries(3):
        assert agent_client.get(counts).status_code == 200
    version = publish("response-times", supervisor)
    services.acknowledge(agent, [version], now=NOW)
    cache.clear()  # the counts are kept a while

    with django_assert_num_queries(3):
        assert agent_client.get(counts).status_code == 200
    publish(version.policy, supervisor, body="Changed.")
    with django_assert_num_queries(2):  # session and user, then the redirect
        assert agent_client.get(counts).status_code == 302


def test_supervisors_see_who_has_not_acknowledged(
    agent, other_agent, supervisor, supervisor_client
):
    version = publish("response-times", supervisor)
    services.acknowledge(supervisor, [version], now=NOW)
    services.acknowledge(agent, [version], now=NOW)

    detail = supervisor_client.get(reverse("policies:detail", args=["response-times"]))
    listing = supervisor_client.get(reverse("policies:list"))

    assert [person.username for person in detail.context["missing"]] == ["other-agent"]
    assert listing.context["policies"][0].acknowledged == 2
    assert listing.context["staff_count"] == 3


@pytest.fixture
def linked(supervisor):
    """A policy in force, followed by a canned response and a letter template."""
    version = publish("letter-tone", supervisor, title="Tone of letters")
    policy = version.policy
    canned = CannedResponse.objects.create(title="Thanks", body="Thank you.")
    template = LetterTemplate.objects.filter(is_active=True).first()
    for text in (canned, template):
        text.policy = policy
        text.save()
    services.acknowledge(supervisor, [version], now=NOW)
    return policy, canned, template


def test_a_new_version_flags_the_texts_that_follow_it_until_reviewed(
    linked, supervisor, supervisor_client
):
    policy, canned, template = linked
    detail = reverse("policies:detail", args=[policy.slug])

    flagged = publish(policy, supervisor, body="Greet the customer by name.")
    services.acknowledge(supervisor, [flagged], now=NOW)
    page = supervisor_client.get(detail)
    supervisor_client.post(
        reverse("policies:review", args=[policy.slug]),
        {"kind": "canned", "pk": canned.pk},
    )

    assert page.text.count('data-testid="needs-review"') == 2
    canned.refresh_from_db()
    template.refresh_from_db()
    assert not canned.policy_review_needed
    assert template.policy_review_needed
    listing = supervisor_client.get(reverse("policies:list"))
    assert listing.context["policies"][0].to_review == 1


def test_the_canned_response_list_shows_what_needs_review(
    linked, supervisor, admin_user, client
):
    policy, canned, _template = linked
    publish(policy, supervisor, body="Greet the customer by name.")
    client.force_login(admin_user)
    services.acknowledge(admin_user, [policy.versions.first()], now=NOW)

    response = client.get(
        reverse("admin:tickets_cannedresponse_changelist"),
        {"policy_review_needed__exact": "1"},
    )

    assert response.status_code == 200
    assert "Thanks" in response.text


def test_a_text_of_another_policy_cannot_be_marked_here(
    linked, supervisor, supervisor_client
):
    policy, canned, _template = linked
    publish("complaints", supervisor)
    services.acknowledge(
        supervisor, [Policy.objects.get(slug="complaints").current_version], now=NOW
    )
    CannedResponse.objects.filter(pk=canned.pk).update(policy_review_needed=True)

    response = supervisor_client.post(
        reverse("policies:review", args=["complaints"]),
        {"kind": "canned", "pk": canned.pk},
    )

    assert response.status_code == 404
    canned.refresh_from_db()
    assert canned.policy_review_needed


def test_only_supervisors_write_and_publish(agent, agent_client, supervisor):
    version = publish("response-times", supervisor)
    services.acknowledge(agent, [version], now=NOW)
    services.write_version(
        version.policy,
        title="Draft",
        title_ar="مسودة",
        body="b",
        body_ar="ب",
        change_summary="",
        by=supervisor,
    )

    assert agent_client.get(reverse("policies:list")).status_code == 200
    assert agent_client.get(version.policy.get_absolute_url()).status_code == 200
    assert agent_client.get(reverse("policies:new")).status_code == 403
    assert (
        agent_client.get(
            reverse("policies:edit", args=[version.policy.slug])
        ).status_code
        == 403
    )
    publish_url = reverse("policies:publish", args=[version.policy.slug])
    assert agent_client.post(publish_url).status_code == 403
    version.policy.refresh_from_db()
    assert version.policy.current_version == version


def test_a_policy_never_published_is_hidden_from_agents(
    agent, agent_client, supervisor, supervisor_client
):
    services.create_policy(
        slug="vip-service", title="VIP", title_ar="كبار", body="b", body_ar="ب",
        by=supervisor,
    )  # fmt: skip
    url = reverse("policies:detail", args=["vip-service"])

    assert agent_client.get(url).status_code == 404
    assert supervisor_client.get(url).status_code == 200


def test_customers_cannot_open_policies(alice_client):
    assert alice_client.get(reverse("policies:list")).status_code == 403


def test_a_supervisor_writes_and_publishes_through_the_pages(
    supervisor, supervisor_client, agent, agent_client
):
    supervisor_client.post(
        reverse("policies:new"),
        {
            "slug": "vip-service",
            "title": "VIP service",
            "title_ar": "خدمة كبار العملاء",
            "body": "Answer VIP customers first.",
            "body_ar": "بادر بالرد على كبار العملاء.",
            "change_summary": "",
        },
    )
    with time_machine.travel(NOW, tick=False):
        response = supervisor_client.post(
            reverse("policies:publish", args=["vip-service"]), follow=True
        )

    assert "Version 1 published" in response.text
    assert Policy.objects.get(slug="vip-service").current_version.published_at == NOW
    assert agent_client.get(QUEUE_PAGE).status_code == 302


def test_a_page_name_is_refused_as_a_short_name(supervisor_client):
    response = supervisor_client.post(
        reverse("policies:new"),
        {"slug": "new", "title": "T", "title_ar": "ع", "body": "b", "body_ar": "ب"},
    )

    assert response.status_code == 200
    assert "taken by a page" in response.text
    assert not Policy.objects.exists()


def test_the_policy_pages_cost_the_same_whatever_the_number_of_policies(
    supervisor, supervisor_client, agent, django_assert_num_queries
):
    def pages():
        supervisor_client.get(reverse("policies:list"))
        supervisor_client.get(reverse("policies:detail", args=["p0"]))

    def acknowledged(slug):
        version = publish(slug, supervisor)
        services.acknowledge(supervisor, [version], now=NOW)
        CannedResponse.objects.create(title=slug, body="x", policy=version.policy)

    acknowledged("p0")
    pages()
    with CaptureQueriesContext(connection) as few:
        pages()
    for number in range(1, 6):
        acknowledged(f"p{number}")

    with django_assert_num_queries(len(few)):
        pages()


def test_the_sign_in_query_and_the_acknowledgement_page_agree(
    agent, other_agent, supervisor
):
    # The middleware reads the written-out rule (customers.auth), the page
    # the queryset's: were they to differ, a person would be sent back and
    # forth between the two.
    backend = EmailOrUsernameBackend()

    def agree():
        for user in (agent, other_agent, supervisor):
            waits = Policy.objects.awaiting_acknowledgement(user).exists()
            assert backend.get_user(user.pk).policies_to_acknowledge is waits
        return True

    assert agree()
    services.create_policy(
        slug="draft-only", title="D", title_ar="م", body="b", body_ar="ب",
        by=supervisor,
    )  # fmt: skip
    assert agree()
    version = publish("response-times", supervisor)
    services.acknowledge(agent, [version], now=NOW)
    assert agree()
    publish(version.policy, supervisor, body="Changed.")
    services.acknowledge(other_agent, [version], now=NOW)
    assert agree()
