"""Queues, categories and customers, for filling in a ticket."""

import pytest
from django.urls import reverse

from tickets.services import create_customer

from ..factories import CategoryFactory

pytestmark = pytest.mark.django_db


def test_an_agent_lists_only_the_queues_they_work(agent_api, queue, other_queue):
    response = agent_api.get(reverse("api:queue-list"))

    assert [q["slug"] for q in response.json()] == ["service"]


def test_categories_are_the_active_ones(agent_api):
    CategoryFactory(slug="billing", name="Billing")
    CategoryFactory(slug="old", name="Old", is_active=False)

    response = agent_api.get(reverse("api:category-list"))

    assert [c["slug"] for c in response.json()] == ["billing"]


def test_a_phone_system_finds_the_caller_by_number_name_or_email(agent_api):
    # Through the verb, as the web makes them: findable straight away.
    caller = create_customer(name="سارة علي", phone="0501234567", email="sara@x.org")
    create_customer(name="Someone else", phone="0509999999")

    by_phone = agent_api.get(reverse("api:customer-list"), {"q": "0501234567"})
    by_name = agent_api.get(reverse("api:customer-list"), {"q": "ساره"})
    by_email = agent_api.get(reverse("api:customer-list"), {"q": "SARA@x"})

    expected = [caller.pk]
    assert [c["id"] for c in by_phone.json()] == expected
    assert [c["id"] for c in by_name.json()] == expected
    assert [c["id"] for c in by_email.json()] == expected


def test_a_lookup_needs_two_characters(agent_api):
    response = agent_api.get(reverse("api:customer-list"), {"q": "a"})

    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "q"
