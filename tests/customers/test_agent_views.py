"""Customers in the agent workspace: the page, the panel edited in place, lookup."""

import pytest
from django.urls import reverse

from customers.models import ServiceTier
from portal import services as portal_services
from tickets import services

from ..factories import make_ticket

pytestmark = pytest.mark.django_db


def test_customer_page_shows_open_and_past_tickets_and_complaints(
    agent_client, agent, alice, queue
):
    make_ticket(alice, queue, subject="Still open")
    done = make_ticket(alice, queue, subject="All done")
    services.change_status(done, status="resolved", by=agent)
    make_ticket(alice, queue, subject="Rude driver", kind="complaint")

    response = agent_client.get(alice.get_absolute_url())

    assert response.status_code == 200
    page = response.text
    complaints = page.index('data-testid="complaints"')
    past = page.index('data-testid="past-tickets"')
    assert page.index("Still open") < complaints
    assert complaints < page.index("Rude driver", complaints) < past
    assert page.index("All done") > past


def test_the_panel_is_edited_in_place(agent_client, alice):
    form = agent_client.get(
        reverse("tickets:customer_edit", args=[alice.pk]), HTTP_HX_REQUEST="true"
    )
    data = {
        **{k: v for k, v in form.context["form"].initial.items() if v is not None},
        "tier": alice.tier_id,
        "phone": "+966 50 123 4567",
        "needs": "Large print letters",
    }

    response = agent_client.post(
        reverse("tickets:customer_edit", args=[alice.pk]), data, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert 'data-testid="customer-panel"' in response.text
    assert "Large print letters" in response.text
    alice.refresh_from_db()
    assert alice.needs == "Large print letters"
    assert "501234567" in alice.search_text


def test_bad_customer_input_keeps_what_was_typed(supervisor_client, alice):
    # A supervisor: only they may change the email address.
    response = supervisor_client.post(
        reverse("tickets:customer_edit", args=[alice.pk]),
        {"name": "Alice Cooper", "email": "not-an-email", "tier": alice.tier_id},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert 'data-testid="customer-form"' in response.text
    assert "Enter a valid email address." in response.text
    assert 'value="Alice Cooper"' in response.text
    alice.refresh_from_db()
    assert alice.name == "Alice"


def test_a_new_tier_rechooses_the_sla_of_open_tickets(supervisor, alice, queue):
    ticket = make_ticket(alice, queue)
    standard = ServiceTier.objects.get(code="standard")

    services.update_customer(alice, by=supervisor, tier=standard, notes="Downgraded")

    alice.refresh_from_db()
    assert alice.tier == standard
    assert alice.notes == "Downgraded"
    assert ticket.events.filter(action="sla_policy").count() >= 1


def test_lookup_finds_customers_by_phone_email_and_arabic_name(agent_client):
    services.create_customer(
        name="فاطمة الزهراء", email="fatima@example.com", phone="+966 55 765 4321"
    )

    def found(text):
        response = agent_client.get(reverse("tickets:customer_lookup"), {"q": text})
        return "fatima@example.com" in response.text

    assert found("0557654321")
    assert found("FATIMA@ex")
    assert found("فاطمه")  # taa marbuta typed as haa
    assert not found("Omar")


def test_customers_cannot_use_the_lookup(alice_client):
    response = alice_client.get(reverse("tickets:customer_lookup"), {"q": "Al"})

    assert response.status_code == 403


def test_a_customer_who_wrote_through_the_web_form_is_found_by_phone(
    agent_client, queue
):
    portal_services.submit_web_request(
        name="سلمان العتيبي",
        email="salman@example.com",
        phone="0551112233",
        subject="Invoice",
        body_text="Please resend the invoice.",
        language="ar",
    )

    response = agent_client.get(reverse("tickets:customer_lookup"), {"q": "551112233"})

    assert "salman@example.com" in response.text
