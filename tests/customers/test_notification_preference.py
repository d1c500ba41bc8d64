"""Staff choose how notifications reach them: in the helpdesk and by email
(the default), or in the helpdesk only; the email outbox honours it."""

import re

import pytest
from django.utils import timezone

from customers.models import UserPreference
from tickets import notifications, services
from tickets.models import Notification

from ..factories import make_ticket

pytestmark = pytest.mark.django_db


def checked(page: str) -> str:
    """The notifications choice the page shows as chosen."""
    inputs = re.findall(r"<input[^>]*>", page)
    (value,) = [
        re.search(r'value="([^"]*)"', tag).group(1)
        for tag in inputs
        if 'name="notifications"' in tag and "checked" in tag
    ]
    return value


def test_staff_choose_in_app_only_on_my_preferences(agent, agent_client):
    page = agent_client.get("/accounts/preferences/").content.decode()
    assert "In the helpdesk and by email" in page
    assert checked(page) == "email"  # the default

    response = agent_client.post(
        "/accounts/preferences/", {"hijri_dates": "default", "notifications": "in_app"}
    )

    assert response.status_code == 302
    assert UserPreference.objects.get(user=agent).notification_email is False
    page = agent_client.get("/accounts/preferences/").content.decode()
    assert checked(page) == "in_app"


def test_the_choice_must_be_one_offered(agent, agent_client):
    response = agent_client.post(
        "/accounts/preferences/", {"hijri_dates": "default", "notifications": "fax"}
    )

    assert response.status_code == 200
    assert not UserPreference.objects.filter(user=agent).exists()


def test_customers_are_not_asked(bob, bob_client):
    page = bob_client.get("/accounts/preferences/").content.decode()
    assert "In the helpdesk only" not in page

    response = bob_client.post("/accounts/preferences/", {"hijri_dates": "yes"})

    assert response.status_code == 302
    assert UserPreference.objects.get(user=bob.user).notification_email is True


def test_the_outbox_emails_only_those_who_want_email(
    bob, queue, agent, supervisor, mailoutbox
):
    UserPreference.objects.create(user=agent, notification_email=False)
    ticket = make_ticket(bob, queue)
    services.assign_ticket(ticket, agent=agent, by=supervisor)
    services.add_note(ticket, body_text="@supervisor fyi", by=agent)

    sent = notifications.send_pending_emails(timezone.now())
    again = notifications.send_pending_emails(timezone.now())

    # Both are told in the app; only the supervisor by email, and the agent's
    # row is done, not retried at every run.
    assert sorted(Notification.objects.values_list("recipient__username", "kind")) == [
        ("agent", "assigned"),
        ("supervisor", "mention"),
    ]
    assert (sent, again) == (1, 0)
    assert [m.to for m in mailoutbox] == [["supervisor@example.com"]]
    assert Notification.objects.filter(recipient=agent, read_at__isnull=True).exists()
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
