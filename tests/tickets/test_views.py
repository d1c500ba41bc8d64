from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal import services as portal_services
from tickets import services

from ..factories import make_ticket

pytestmark = pytest.mark.django_db


def test_ticket_page_shows_the_whole_correspondence(agent_client, agent, alice, queue):
    ticket = make_ticket(alice, queue, body_text="The invoice is wrong")
    services.reply_to_ticket(ticket, body_text="Corrected invoice attached", by=agent)
    services.add_note(ticket, body_text="Refund approved by finance", by=agent)

    response = agent_client.get(ticket.get_absolute_url())

    assert response.status_code == 200
    for text in (
        "The invoice is wrong",
        "Corrected invoice attached",
        "Refund approved by finance",
        "Alice",
    ):
        assert text in response.text
    for kind in ("inbound", "outbound", "internal"):
        assert f"timeline-entry {kind}" in response.text


def test_ticket_of_another_queue_is_not_found(agent_client, bob, other_queue):
    ticket = make_ticket(bob, other_queue)

    response = agent_client.get(ticket.get_absolute_url())

    assert response.status_code == 404


def test_customers_cannot_open_the_agent_workspace(alice_client, alice, queue):
    ticket = make_ticket(alice, queue)

    assert alice_client.get(reverse("tickets:list")).status_code == 403
    assert alice_client.get(ticket.get_absolute_url()).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("tickets:list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_customer_page_lists_the_customers_tickets(agent_client, alice, queue):
    ticket = make_ticket(alice, queue, subject="Lost parcel")

    response = agent_client.get(alice.get_absolute_url())

    assert response.status_code == 200
    assert "Lost parcel" in response.text
    assert ticket.number in response.text


def test_portal_shows_a_customer_only_their_own_requests(
    alice_client, alice, bob, queue
):
    own = make_ticket(alice, queue, subject="My own request")
    other = make_ticket(bob, queue, subject="Someone else's request")

    listing = alice_client.get(reverse("portal:list"))

    assert "My own request" in listing.text
    assert "Someone else" not in listing.text
    assert (
        alice_client.get(reverse("portal:detail", args=[other.number])).status_code
        == 404
    )
    assert (
        alice_client.get(reverse("portal:detail", args=[own.number])).status_code == 200
    )


def test_portal_never_shows_internal_notes(alice_client, alice, queue, agent):
    ticket = make_ticket(alice, queue)
    services.reply_to_ticket(ticket, body_text="Public answer", by=agent)
    services.add_note(ticket, body_text="Secret internal remark", by=agent)

    response = alice_client.get(reverse("portal:detail", args=[ticket.number]))

    assert "Public answer" in response.text
    assert "Secret internal remark" not in response.text


@pytest.fixture
def files(alice, queue, agent):
    ticket = make_ticket(
        alice,
        queue,
        attachments=[
            SimpleUploadedFile(
                "evil.html", b"<script>alert(1)</script>", content_type="text/html"
            )
        ],
    )
    note = services.add_note(
        ticket,
        body_text="internal",
        by=agent,
        attachments=[SimpleUploadedFile("internal.pdf", b"%PDF secret")],
    )
    return {
        "public": ticket.messages.first().attachments.get(),
        "internal": note.attachments.get(),
    }


def test_attachment_downloads_only_as_a_file_never_rendered(alice_client, files):
    response = alice_client.get(files["public"].get_absolute_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="evil.html"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"<script>alert(1)</script>"


def test_customer_cannot_download_internal_attachments(alice_client, files):
    assert alice_client.get(files["internal"].get_absolute_url()).status_code == 404


def test_agent_downloads_internal_attachments_of_their_queue(agent_client, files):
    assert agent_client.get(files["internal"].get_absolute_url()).status_code == 200


def test_other_customers_and_other_queues_cannot_download(
    bob_client, other_agent, client, files
):
    client.force_login(other_agent)

    assert bob_client.get(files["public"].get_absolute_url()).status_code == 404
    assert client.get(files["public"].get_absolute_url()).status_code == 404


def test_anonymous_download_asks_to_sign_in(client, files):
    response = client.get(files["public"].get_absolute_url())

    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_attachments_have_no_public_media_url(client, files):
    from django.conf import settings

    path = settings.MEDIA_URL + files["public"].file.name

    assert client.get(path).status_code == 404


def rate(customer, queue, agent, score, comment, moment):
    """A ticket of `customer` resolved by `agent` and rated at `moment`."""
    ticket = make_ticket(customer, queue)
    services.assign_ticket(ticket, agent=agent, by=agent)
    services.change_status(ticket, status="resolved", by=agent)
    with time_machine.travel(moment, tick=False):
        return portal_services.rate_ticket(ticket, score=score, comment=comment)


def test_customer_page_shows_the_five_latest_ratings_with_comments(
    agent_client, agent, alice, bob, queue, other_queue
):
    start = timezone.now() - timedelta(days=10)
    for n in range(6):
        rate(alice, queue, agent, n % 5 + 1, f"comment {n}", start + timedelta(days=n))
    hidden = make_ticket(alice, other_queue)  # a queue this agent does not work
    services.change_status(hidden, status="resolved", by=agent)
    portal_services.rate_ticket(hidden, score=1, comment="Not for this agent")
    rate(bob, queue, agent, 1, "Bob's opinion", start)

    response = agent_client.get(alice.get_absolute_url())

    shown = [t.rating_comment for t in response.context["recent_ratings"]]
    assert shown == [f"comment {n}" for n in (5, 4, 3, 2, 1)]
    ratings = response.text[response.text.index('data-testid="recent-ratings"') :]
    assert "comment 5" in ratings
    assert "1/5" in ratings  # the latest rating: 5 % 5 + 1 = 1 star
    assert "comment 0" not in ratings
    assert "Not for this agent" not in response.text
    assert "Bob&#x27;s opinion" not in response.text


def test_ticket_page_shows_the_customers_recent_ratings_in_one_query(
    agent_client, agent, alice, queue, django_assert_num_queries
):
    ticket = make_ticket(alice, queue)
    rate(alice, queue, agent, 4, "first", timezone.now() - timedelta(days=2))
    with CaptureQueriesContext(connection) as one:
        agent_client.get(ticket.get_absolute_url())
    for n in range(5):
        rate(alice, queue, agent, 2, f"more {n}", timezone.now() - timedelta(days=1))

    with django_assert_num_queries(len(one.captured_queries)):
        response = agent_client.get(ticket.get_absolute_url())

    assert len(response.context["recent_ratings"]) == 5
    assert "more 4" in response.text
    rating_queries = [q for q in one.captured_queries if '"rated_at" DESC' in q["sql"]]
    assert len(rating_queries) == 1


def test_customer_without_ratings_shows_no_ratings_section(agent_client, alice):
    response = agent_client.get(alice.get_absolute_url())

    assert 'data-testid="recent-ratings"' not in response.text
