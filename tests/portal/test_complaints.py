"""The customer's word on a resolved complaint: accept it, or appeal it once
with a reason, through the tracking link or signed in to the portal."""

import pytest
from django.urls import reverse

from tickets import services
from tickets.models import RootCause, Ticket, TicketEvent

from ..factories import CustomerFactory, make_ticket

pytestmark = pytest.mark.django_db

REASON = "The refund has still not reached my account."


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()


def resolve(ticket, agent):
    findings = {
        "severity": Ticket.Severity.MODERATE,
        "root_cause_category": RootCause.objects.get(name="Billing error"),
        "root_cause": "Charged twice.",
        "corrective_action": "Duplicate charges are now checked daily.",
        "resolution_summary": "We refunded the second charge.",
    }
    services.update_complaint(ticket, by=agent, **findings)
    services.update_complaint(ticket, by=agent, **findings, stage="resolved")
    ticket.refresh_from_db()
    return ticket


@pytest.fixture
def complaint(queue, agent, supervisor):
    customer = CustomerFactory(name="Huda", email="huda@example.com")
    ticket = make_ticket(customer, queue, subject="Charged twice", kind="complaint")
    return resolve(ticket, agent)


def track(ticket, action=""):
    if not action:
        return reverse("portal:track", args=[ticket.tracking_token])
    return reverse(f"portal:track_{action}", args=[ticket.tracking_token])


def test_the_tracking_page_offers_accept_and_appeal_once_resolved(
    client, complaint, queue
):
    page = client.get(track(complaint))

    assert "We refunded the second charge." in page.text
    assert "Accept the resolution" in page.text
    assert 'data-testid="appeal-form"' in page.text


def test_an_unresolved_complaint_offers_neither(client, queue):
    ticket = make_ticket(CustomerFactory(), queue, kind="complaint")

    page = client.get(track(ticket))

    assert "We have received your complaint" in page.text
    assert "Accept the resolution" not in page.text
    assert client.post(track(ticket, "accept")).status_code == 302
    ticket.refresh_from_db()
    assert ticket.complaint_stage == "acknowledged"


def test_accepting_through_the_link_closes_the_complaint(client, complaint):
    response = client.post(track(complaint, "accept"), follow=True)

    assert "You accepted the resolution" in response.text
    complaint.refresh_from_db()
    assert complaint.complaint_stage == "accepted"
    assert complaint.resolution_accepted is True
    assert complaint.status == "closed"


def test_appealing_through_the_link_reopens_it_for_a_supervisor(
    client, complaint, supervisor
):
    response = client.post(track(complaint, "appeal"), {"reason": REASON})

    assert response.status_code == 302
    page = client.get(response.url)
    assert "Your appeal has been received" in page.text
    assert "A supervisor is reviewing your complaint" in page.text
    assert 'data-testid="appeal-form"' not in page.text
    complaint.refresh_from_db()
    assert complaint.status == "open"
    assert complaint.complaint_stage == "appealed"
    assert complaint.appeal_reason == REASON
    assert complaint.assignee == supervisor
    assert complaint.events.get(action=TicketEvent.Action.APPEALED).actor is None


@pytest.mark.parametrize(
    ("reason", "error"),
    [
        ("", "Please give the reason for your appeal."),
        ("Bad.", "at least 10 characters"),
        ("x" * 2001, "at most 2000 characters"),
    ],
)
def test_a_bad_reason_is_explained_and_nothing_changes(
    client, complaint, reason, error
):
    response = client.post(track(complaint, "appeal"), {"reason": reason})

    assert response.status_code == 400
    assert error in response.text
    complaint.refresh_from_db()
    assert complaint.complaint_stage == "resolved"


def test_appeals_through_the_link_are_rate_limited(client, complaint, settings):
    settings.SUPPORT_RATE_IP = "1/d"
    client.post(track(complaint, "appeal"), {"reason": "Too short"})

    response = client.post(track(complaint, "appeal"), {"reason": REASON})

    assert response.status_code == 429
    assert "Too many attempts" in response.text
    complaint.refresh_from_db()
    assert complaint.complaint_stage == "resolved"


def test_a_second_appeal_is_refused(client, complaint, agent):
    client.post(track(complaint, "appeal"), {"reason": REASON})
    complaint.refresh_from_db()
    resolve(complaint, complaint.assignee)

    page = client.get(track(complaint))
    response = client.post(track(complaint, "appeal"), {"reason": REASON})

    assert 'data-testid="appeal-form"' not in page.text
    assert "Accept the resolution" in page.text
    assert response.status_code == 400
    assert "already been appealed" in response.text


def test_a_wrong_token_finds_nothing(client, complaint):
    url = reverse("portal:track_appeal", args=["not-a-token"])

    assert client.post(url, {"reason": REASON}).status_code == 404
    assert client.get(track(complaint, "accept")).status_code == 405


def test_a_signed_in_customer_appeals_their_own_complaint_only(
    alice_client, alice, bob, queue, agent
):
    mine = resolve(make_ticket(alice, queue, kind="complaint"), agent)
    theirs = resolve(make_ticket(bob, queue, kind="complaint"), agent)

    ok = alice_client.post(
        reverse("portal:appeal", args=[mine.number]), {"reason": REASON}
    )
    refused = alice_client.post(
        reverse("portal:appeal", args=[theirs.number]), {"reason": REASON}
    )
    accepted = alice_client.post(reverse("portal:accept", args=[theirs.number]))

    assert ok.status_code == 302
    assert (refused.status_code, accepted.status_code) == (404, 404)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.complaint_stage == "appealed"
    assert mine.events.get(action="appealed").actor == alice.user
    assert theirs.complaint_stage == "resolved"


def test_the_customer_page_reads_in_arabic(client, complaint):
    page = client.get(track(complaint), HTTP_ACCEPT_LANGUAGE="ar")

    assert "قبول" in page.text
