"""The letter screens over HTTP: who may do what, form errors, and what the
agent, the supervisor and the customer see."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from letters import services
from letters.models import Letter, LetterTemplate
from tickets.models import Notification
from tickets.permissions import SUPERVISORS

from ..factories import CustomerFactory, make_staff, make_ticket

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Asia/Riyadh"))
TEXT = "Dear Layla,\n\nWe cannot refund the fees: they were paid long ago.\n"


@pytest.fixture(autouse=True)
def _monday():
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def customer(db):
    return CustomerFactory(
        name="Layla", email="layla@example.com", preferred_language="ar"
    )


@pytest.fixture
def ticket(customer, queue):
    return make_ticket(customer, queue, subject="Refund of fees")


def start(ticket, agent, kind="rejection", language="en") -> Letter:
    template = LetterTemplate.objects.get(kind=kind, language=language, is_active=True)
    return services.start_letter(ticket, template, by=agent)


def ready(ticket, agent, kind="follow_up") -> Letter:
    """A letter with its text written, nothing left to fill in."""
    letter = start(ticket, agent, kind=kind)
    return services.save_letter(
        letter, subject="S", body=TEXT, addressee_name="Layla", by=agent
    )


def url(name: str, letter: Letter) -> str:
    return reverse(f"letters:{name}", args=[letter.ticket.number, letter.pk])


def save_data(letter: Letter, **changes) -> dict:
    return {
        "subject": letter.subject,
        "body": TEXT,
        "addressee_name": letter.addressee_name,
        "addressee_organisation": "",
        "addressee_address": "",
        "action": "save",
    } | changes


def test_the_ticket_page_offers_a_letter_in_the_customers_language(
    agent_client, ticket
):
    response = agent_client.get(ticket.get_absolute_url())

    assert response.status_code == 200
    assert 'data-testid="letter-tab"' in response.text
    assert '<option value="ar" selected>' in response.text
    assert 'name="letter-kind"' in response.text
    assert reverse("letters:new", args=[ticket.number]) in response.text


def test_starting_a_letter_opens_its_editor(agent_client, ticket):
    response = agent_client.post(
        reverse("letters:new", args=[ticket.number]),
        {"letter-kind": "rejection", "letter-language": "ar"},
    )

    letter = Letter.objects.get()
    assert response.status_code == 302
    assert response.url == url("edit", letter)
    assert letter.language == "ar"
    assert letter.written_by.username == "agent"
    page = agent_client.get(response.url)
    assert page.status_code == 200
    assert ticket.number in page.text
    assert "{{ reasons }}" in page.text
    assert url("preview", letter) in page.text


def test_a_kind_without_an_active_template_is_refused(agent_client, ticket):
    LetterTemplate.objects.filter(kind="apology", language="en").update(is_active=False)

    response = agent_client.post(
        reverse("letters:new", args=[ticket.number]),
        {"letter-kind": "apology", "letter-language": "en"},
        follow=True,
    )

    assert not Letter.objects.exists()
    assert "There is no active template of this kind in this language." in (
        response.text
    )


def test_saving_an_unknown_placeholder_shows_the_error(agent_client, ticket, agent):
    letter = start(ticket, agent)

    response = agent_client.post(
        url("edit", letter), save_data(letter, body="Dear {{ nme }}")
    )

    assert response.status_code == 400
    assert "Unknown placeholder" in response.text
    letter.refresh_from_db()
    assert "{{ nme }}" not in letter.body


def test_the_writer_saves_and_sends_for_approval(
    agent_client, ticket, agent, supervisor
):
    letter = start(ticket, agent)

    response = agent_client.post(
        url("edit", letter), save_data(letter, action="submit")
    )

    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.body.replace("\r\n", "\n") == TEXT.strip()
    assert letter.status == Letter.Status.AWAITING_APPROVAL
    assert Notification.objects.get().recipient == supervisor


def test_an_agent_cannot_approve_and_a_supervisor_can(
    agent_client, supervisor_client, ticket, agent
):
    letter = start(ticket, agent)
    services.save_letter(letter, subject="S", body=TEXT, addressee_name="L", by=agent)
    services.submit_for_approval(letter, by=agent)

    refused = agent_client.post(url("approve", letter))
    listing = supervisor_client.get(reverse("letters:approvals"))
    approved = supervisor_client.post(url("approve", letter), {"next": "approvals"})

    assert refused.status_code == 403
    assert listing.status_code == 200
    assert url("edit", letter) in listing.text
    assert approved.status_code == 302
    assert approved.url == reverse("letters:approvals")
    letter.refresh_from_db()
    assert letter.status == Letter.Status.APPROVED


def test_a_supervisor_of_another_queue_sees_no_such_letter(other_queue, ticket, agent):
    elsewhere = make_staff("elsewhere", SUPERVISORS)
    other_queue.supervisors.add(elsewhere)
    client = Client()
    client.force_login(elsewhere)
    letter = start(ticket, agent)
    services.save_letter(letter, subject="S", body=TEXT, addressee_name="L", by=agent)
    services.submit_for_approval(letter, by=agent)

    assert client.get(url("edit", letter)).status_code == 404
    assert client.post(url("approve", letter)).status_code == 404
    assert url("edit", letter) not in client.get(reverse("letters:approvals")).text


def test_returning_needs_a_comment_which_the_writer_then_reads(
    agent_client, supervisor_client, ticket, agent
):
    letter = start(ticket, agent)
    services.save_letter(letter, subject="S", body=TEXT, addressee_name="L", by=agent)
    services.submit_for_approval(letter, by=agent)

    empty = supervisor_client.post(url("return", letter), {"comment": ""})
    supervisor_client.post(url("return", letter), {"comment": "Cite article 4."})
    page = agent_client.get(url("edit", letter))

    assert empty.status_code == 400
    assert "This field is required." in empty.text
    assert 'data-testid="return-comment"' in page.text
    assert "Cite article 4." in page.text
    assert 'data-testid="letter-form"' in page.text


def test_dispatching_before_approval_is_refused_with_a_reason(
    agent_client, ticket, agent
):
    letter = start(ticket, agent)
    services.save_letter(letter, subject="S", body=TEXT, addressee_name="L", by=agent)

    response = agent_client.post(url("dispatch", letter), {"method": "post"})

    assert response.status_code == 400
    assert "needs a supervisor&#x27;s approval" in response.text
    letter.refresh_from_db()
    assert letter.status == Letter.Status.DRAFT


def test_a_dispatched_letter_shows_its_number_and_pdf_and_is_read_only(
    agent_client, ticket, agent
):
    letter = ready(ticket, agent)
    bad_method = agent_client.post(url("dispatch", letter), {"method": "pigeon"})

    response = agent_client.post(url("dispatch", letter), {"method": "post"})
    editor = agent_client.get(url("edit", letter))
    ticket_page = agent_client.get(ticket.get_absolute_url())
    save = agent_client.post(url("edit", letter), save_data(letter, body="Changed"))
    pdf = agent_client.get(url("pdf", letter))

    assert bad_method.status_code == 400
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.number == "OUT-2026-000001"
    assert 'data-testid="letter-form"' not in editor.text
    assert "OUT-2026-000001" in editor.text
    assert "OUT-2026-000001" in ticket_page.text
    assert url("pdf", letter) in ticket_page.text
    # Our own number is not shown as the customer's reference.
    assert 'data-testid="paper-details"' not in ticket_page.text
    assert save.status_code == 400
    assert "can no longer be changed" in save.text
    assert pdf.status_code == 302
    assert pdf.url == letter.pdf.get_absolute_url()
    download = agent_client.get(pdf.url)
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_drafts_pdf_and_preview_are_rendered_on_demand(agent_client, ticket, agent):
    letter = start(ticket, agent, language="ar")

    pdf = agent_client.get(url("pdf", letter))
    preview = agent_client.get(url("preview", letter))

    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert preview.status_code == 200
    assert 'dir="rtl"' in preview.text
    # The editor shows it in a frame on the same site.
    assert preview["X-Frame-Options"] == "SAMEORIGIN"


def test_delivery_form_refuses_a_future_date_and_records_the_proof(
    agent_client, ticket, agent
):
    letter = ready(ticket, agent)
    services.dispatch(letter, method="post", by=agent)

    future = agent_client.post(
        url("delivery", letter),
        {"delivered_at": "2027-01-01T10:00", "proof": "RR1"},
    )
    done = agent_client.post(
        url("delivery", letter),
        {"delivered_at": "2026-12-07T09:00", "proof": "RR123456789SA"},
    )

    assert future.status_code == 400
    assert "The delivery cannot be in the future." in future.text
    assert done.status_code == 302
    page = agent_client.get(url("edit", letter))
    assert 'data-testid="delivered"' in page.text
    assert "RR123456789SA" in page.text


@pytest.mark.parametrize("role", ["anonymous", "customer", "other_agent"])
def test_others_cannot_reach_a_letter(role, ticket, agent, alice, other_agent):
    letter = start(ticket, agent)
    client = Client()
    if role == "customer":
        client.force_login(alice.user)
    elif role == "other_agent":
        client.force_login(other_agent)
    expected = {"anonymous": 302, "customer": 403, "other_agent": 404}[role]

    for name in ("edit", "preview", "pdf"):
        assert client.get(url(name, letter)).status_code == expected
    for name in ("dispatch", "delivery"):
        assert client.post(url(name, letter), {"method": "post"}).status_code == (
            expected
        )
    letter.refresh_from_db()
    assert letter.status == Letter.Status.DRAFT


def test_customers_and_agents_have_no_approval_list(agent_client, alice_client, client):
    assert agent_client.get(reverse("letters:approvals")).status_code == 403
    assert alice_client.get(reverse("letters:approvals")).status_code == 403
    assert client.get(reverse("letters:approvals")).status_code == 302


def test_the_customer_sees_the_dispatched_letter_with_its_pdf(
    ticket, agent, supervisor
):
    letter = start(ticket, agent)
    services.save_letter(letter, subject="S", body=TEXT, addressee_name="L", by=agent)
    services.submit_for_approval(letter, by=agent)
    services.approve(letter, by=supervisor)
    letter = services.dispatch(letter, method="post", by=agent)
    client = Client()

    page = client.get(reverse("portal:track", args=[ticket.tracking_token]))

    assert "We cannot refund the fees" in page.text
    attachment = reverse(
        "portal:track_attachment", args=[ticket.tracking_token, letter.pdf.pk]
    )
    assert attachment in page.text
    download = client.get(attachment)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_the_history_tells_the_letters_story_in_arabic(
    agent_client, ticket, agent, supervisor
):
    letter = start(ticket, agent)
    services.save_letter(
        letter, subject="الرد على طلبكم", body=TEXT, addressee_name="L", by=agent
    )
    services.submit_for_approval(letter, by=agent)
    services.approve(letter, by=supervisor)
    services.dispatch(letter, method="post", by=agent)

    english = agent_client.get(ticket.get_absolute_url())
    arabic = agent_client.get(ticket.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ar")

    assert "Letter “الرد على طلبكم” approved" in english.text
    assert "dispatched as OUT-2026-000001" in english.text
    assert "اعتُمد الخطاب «الرد على طلبكم»" in arabic.text
    assert "OUT-2026-000001" in arabic.text


def test_the_editor_page_needs_a_fixed_number_of_queries(
    agent_client, ticket, agent, django_assert_num_queries
):
    letter = start(ticket, agent)
    agent_client.get(url("edit", letter))
    with django_assert_num_queries(3) as few:
        agent_client.get(url("edit", letter))
    for _ in range(5):
        start(ticket, agent)
        services.dispatch(ready(ticket, agent), method="post", by=agent)

    with django_assert_num_queries(len(few)):
        response = agent_client.get(url("edit", letter))

    assert response.status_code == 200


def test_the_preview_shows_unsaved_text_without_saving_it(agent_client, ticket, agent):
    letter = ready(ticket, agent)

    response = agent_client.post(
        url("preview", letter), save_data(letter, body="Dear Layla, <b>new</b> text")
    )

    assert response.status_code == 200
    assert "Dear Layla, &lt;b&gt;new&lt;/b&gt; text" in response.text
    letter.refresh_from_db()
    assert letter.body == TEXT
