import pytest
from django.urls import reverse

from portal import intake
from portal.models import WebSubmission
from tickets import services

from .factories import make_ticket

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "customers_customer",
    "customers_customerchange",
    "customers_servicetier",
    "customers_tag",
    "tickets_queue",
    "tickets_category",
    "tickets_ticket",
    "tickets_message",
    "tickets_attachment",
    "tickets_ticketevent",
    "sla_businesscalendar",
    "sla_slapolicy",
    "sla_holiday",
    "tickets_notification",
    "letters_lettertemplate",
    "portal_websubmission",
]


@pytest.fixture
def ticket(alice, queue, agent):
    ticket = make_ticket(alice, queue)
    services.reply_to_ticket(ticket, body_text="Answered", by=agent)
    return ticket


@pytest.mark.parametrize("model", CHANGELISTS)
def test_administrator_can_browse_every_list(client, admin_user, ticket, model):
    client.force_login(admin_user)

    response = client.get(reverse(f"admin:{model}_changelist"), {"q": "a"})

    assert response.status_code == 200


def test_ticket_admin_shows_correspondence_and_history_but_no_add_button(
    client, admin_user, ticket
):
    client.force_login(admin_user)

    page = client.get(reverse("admin:tickets_ticket_change", args=[ticket.pk]))

    assert page.status_code == 200
    assert "Answered" in page.text
    assert client.get(reverse("admin:tickets_ticket_add")).status_code == 403


def test_history_cannot_be_edited_or_deleted_in_admin(client, admin_user, ticket):
    client.force_login(admin_user)
    event = ticket.events.first()

    delete = client.post(reverse("admin:tickets_ticketevent_delete", args=[event.pk]))

    assert delete.status_code == 403
    assert ticket.events.filter(pk=event.pk).exists()


def test_supervisor_manages_customers_in_admin(supervisor_client, alice):
    response = supervisor_client.get(
        reverse("admin:customers_customer_change", args=[alice.pk])
    )

    assert response.status_code == 200


def test_agents_have_no_admin(agent_client):
    response = agent_client.get(reverse("admin:index"))

    assert response.status_code == 302


def test_a_web_request_that_waits_shows_why_in_admin(client, admin_user, queue):
    submission = intake.accept_web_request(
        name="Sam",
        email="sam@example.com",
        subject="Stuck",
        body_text="Waiting for a queue.",
        language="en",
    )
    WebSubmission.objects.filter(pk=submission.pk).update(
        attempts=2, last_error="No queue is set up to receive requests."
    )
    client.force_login(admin_user)

    waiting = client.get(
        reverse("admin:portal_websubmission_changelist"), {"waiting": "yes"}
    )
    detail = client.get(
        reverse("admin:portal_websubmission_change", args=[submission.pk])
    )

    assert "Stuck" in waiting.text
    assert "No queue is set up" in detail.text
