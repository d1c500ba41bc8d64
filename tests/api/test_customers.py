"""Customers through the API: recorded and corrected by any agent through
the customer verbs; who they are (email, tier) changed by supervisors only."""

import pytest
from django.urls import reverse

from customers.models import Customer, CustomerChange

pytestmark = pytest.mark.django_db

LIST = reverse("api:customer-list")
ONLY_SUPERVISORS = "Only a supervisor can change a customer's email address or tier."


def _detail(customer):
    return reverse("api:customer-detail", args=[customer.pk])


def test_an_agent_records_a_new_customer_who_is_then_found(agent_api):
    response = agent_api.post(
        LIST,
        {
            "name": "سارة علي",
            "email": "sara@example.org",
            "phone": "0501234567",
            "preferred_language": "ar",
        },
        content_type="application/json",
    )

    assert response.status_code == 201
    body = response.json()
    assert body["tier"] == "standard"
    assert response["Location"] == _detail(Customer.objects.get(pk=body["id"]))
    found = agent_api.get(LIST, {"q": "0501234567"}).json()
    assert [c["id"] for c in found] == [body["id"]]


def test_only_a_supervisor_places_a_new_customer_in_a_tier(agent_api, supervisor_api):
    by_agent = agent_api.post(
        LIST, {"name": "Carol", "tier": "vip"}, content_type="application/json"
    )
    by_supervisor = supervisor_api.post(
        LIST, {"name": "Carol", "tier": "vip"}, content_type="application/json"
    )

    assert by_agent.status_code == 403
    assert by_agent.json()["errors"][0]["detail"] == ONLY_SUPERVISORS
    assert by_supervisor.status_code == 201
    assert Customer.objects.get().tier.code == "vip"


def test_an_agent_corrects_contact_details_but_not_the_email(agent_api, alice):
    corrected = agent_api.patch(
        _detail(alice),
        {"phone": "0509999999", "postal_address": "P.O. Box 1"},
        content_type="application/json",
    )
    refused = agent_api.patch(
        _detail(alice),
        {"phone": "0500000000", "email": "new@example.com"},
        content_type="application/json",
    )

    alice.refresh_from_db()
    assert corrected.status_code == 200
    assert refused.status_code == 403
    assert refused.json() == {
        "type": "client_error",
        "errors": [
            {"code": "permission_denied", "detail": ONLY_SUPERVISORS, "attr": None}
        ],
    }
    # Refused whole: the phone sent with the email stays as it was.
    assert (alice.phone, alice.email) == ("0509999999", "alice@example.com")


def test_the_same_email_sent_back_by_an_agent_is_no_change(agent_api, alice):
    response = agent_api.patch(
        _detail(alice),
        {"email": "alice@example.com", "tier": "vip", "name": "Alice A."},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["name"] == "Alice A."


def test_a_supervisor_changes_email_and_tier_and_the_history_says_so(
    supervisor_api, supervisor, alice
):
    response = supervisor_api.patch(
        _detail(alice),
        {"email": "alice.new@example.com", "tier": "standard"},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["email"] == "alice.new@example.com"
    assert response.json()["tier"] == "standard"
    changes = CustomerChange.objects.filter(customer=alice, actor=supervisor)
    assert sorted(changes.values_list("field", flat=True)) == ["email", "tier"]


@pytest.mark.parametrize(
    ("body", "attr"),
    [
        ({"name": ""}, "name"),
        ({"kind": "alien"}, "kind"),
        ({"email": "not an address"}, "email"),
        ({"tier": "platinum"}, "tier"),
        ({"preferred_channel": "pigeon"}, "preferred_channel"),
        ({"notes": "x" * 6000}, "notes"),
    ],
)
def test_bad_customer_input_is_a_400_naming_the_field(agent_api, body, attr):
    response = agent_api.post(
        LIST, {"name": "Carol", **body}, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == attr


def test_a_second_customer_with_the_same_email_is_refused(agent_api, alice):
    response = agent_api.post(
        LIST,
        {"name": "Another Alice", "email": "ALICE@example.com"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "already exists" in response.json()["errors"][0]["detail"]


def test_an_unknown_customer_is_a_404_in_json(agent_api):
    for path in ("/api/v1/customers/424242/", "/api/v1/customers/abc/"):
        response = agent_api.get(path)

        assert response.status_code == 404
        assert response.json()["errors"][0]["code"] == "not_found"
