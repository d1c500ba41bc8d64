"""The public web form, its confirmation page and the tracking link."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from customers.models import Customer
from helpdesk import reference
from portal import intake
from portal.models import WebSubmission
from sla.config import forget_sla_config
from sla.models import SLAClock
from tickets import services
from tickets.models import CustomerEmail, Message, Ticket

from ..factories import CustomerFactory, make_ticket

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01"
    b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def form_data(**fields):
    return {
        "name": "Layla Hassan",
        "email": "layla@example.com",
        "phone": "+966 50 000 0000",
        "language": "ar",
        "kind": "complaint",
        "category": "",
        "subject": "الفاتورة مكررة",
        "message": "تم خصم المبلغ مرتين من بطاقتي هذا الشهر.",
        "website": "",
    } | fields


@pytest.fixture
def web_queue(queue):
    return queue


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()


def submit(client, **fields):
    return client.post(reverse("portal:new"), form_data(**fields))


def test_the_form_offers_nothing_that_sets_priority_queue_or_due_times(
    client, web_queue
):
    response = client.get(reverse("portal:new"))

    assert response.status_code == 200
    fields = set(response.context["form"].fields)
    assert fields == {
        "name", "email", "phone", "language", "kind", "category",
        "subject", "message", "attachments", "website", "form_token",
    }  # fmt: skip


def test_a_submission_opens_a_web_ticket_and_shows_the_confirmation(
    client, web_queue, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, priority="4", queue="999", received_at="2020-01-01")

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "portal:received", args=[ticket.tracking_token]
    )
    assert ticket.channel == "web"
    assert ticket.queue == web_queue
    assert ticket.priority == Ticket.Priority.NORMAL
    assert ticket.kind == "complaint"
    assert ticket.customer.email == "layla@example.com"
    assert ticket.customer.preferred_language == "ar"
    clock = ticket.clocks.get(target=SLAClock.Target.FIRST_RESPONSE)
    assert clock.is_running

    page = client.get(response["Location"])

    assert ticket.number in page.text
    assert page.context["answer_by"] in page.text
    assert page.context["answer_by"]
    assert f"/support/t/{ticket.tracking_token}/" in page.text
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["layla@example.com"]
    assert ticket.number in mailoutbox[0].subject


def test_an_existing_customer_is_matched_by_email_whatever_the_case(client, web_queue):
    known = CustomerFactory(name="Layla", email="Layla@Example.com", phone="1")

    submit(client, email="LAYLA@example.COM", name="Someone else", phone="2")

    ticket = Ticket.objects.get()
    assert ticket.customer == known
    known.refresh_from_db()
    assert (known.name, known.phone) == ("Layla", "1")
    assert Customer.objects.count() == 1


def test_missing_fields_are_explained_and_what_was_typed_is_kept(client, web_queue):
    response = submit(client, email="not-an-address", subject="")

    assert response.status_code == 400
    assert Ticket.objects.count() == 0
    form = response.context["form"]
    assert set(form.errors) == {"email", "subject"}
    assert "تم خصم المبلغ مرتين من بطاقتي هذا الشهر." in response.text
    assert 'value="Layla Hassan"' in response.text


def test_a_filled_honeypot_opens_no_ticket(client, web_queue):
    response = submit(client, website="http://spam.example")

    assert response.status_code == 400
    assert Ticket.objects.count() == 0


def test_attachments_are_judged_by_content_not_by_name(client, web_queue):
    response = client.post(
        reverse("portal:new"),
        form_data(
            attachments=[
                SimpleUploadedFile("photo.txt", PNG, content_type="text/plain"),
                SimpleUploadedFile("letter.pdf", PDF, content_type="text/html"),
            ]
        ),
    )

    assert response.status_code == 302
    attachments = Message.objects.get().attachments.order_by("id")
    assert [(a.original_name, a.content_type) for a in attachments] == [
        ("photo.txt", "image/png"),
        ("letter.pdf", "application/pdf"),
    ]


def test_a_program_named_like_a_pdf_is_refused_and_the_form_kept(client, web_queue):
    response = client.post(
        reverse("portal:new"),
        form_data(attachments=[SimpleUploadedFile("invoice.pdf", EXE)]),
    )

    assert response.status_code == 400
    assert Ticket.objects.count() == 0
    errors = response.context["form"].errors["attachments"]
    # Not "PDFs are refused (PDF, …)": the file only pretends to be one.
    assert errors[0].startswith("“invoice.pdf” is named like a \u2068PDF\u2069 file")
    assert "its content is not \u2068PDF\u2069" in errors[0]
    assert "الفاتورة مكررة" in response.text


def test_a_file_over_the_limit_is_refused_with_the_limit_named(
    client, web_queue, settings
):
    settings.ATTACHMENT_MAX_BYTES = 2000
    big = SimpleUploadedFile("scan.pdf", PDF + b"0" * 5000)

    response = client.post(reverse("portal:new"), form_data(attachments=[big]))

    assert response.status_code == 400
    assert Ticket.objects.count() == 0
    (error,) = response.context["form"].errors["attachments"]
    assert "“scan.pdf” is too large" in error
    assert "the limit is 2\xa0KB" in error
    assert response.context["form"]["subject"].value() == "الفاتورة مكررة"


def test_too_many_files_are_refused(client, web_queue, settings):
    settings.ATTACHMENT_MAX_COUNT = 2
    files = [SimpleUploadedFile(f"p{n}.png", PNG) for n in range(3)]

    response = client.post(reverse("portal:new"), form_data(attachments=files))

    assert response.status_code == 400
    assert "Attach at most 2 files." in response.context["form"].errors["attachments"]


def test_quick_submissions_from_one_email_are_throttled_kindly(
    client, web_queue, settings
):
    settings.SUPPORT_RATE_EMAIL = "3/d"
    answers = [submit(client, subject=f"Try {n}").status_code for n in range(5)]

    assert answers == [302, 302, 302, 429, 429]
    response = submit(client, subject="Still here")
    assert "Please wait a few minutes" in response.text
    assert "Still here" in response.text
    assert Ticket.objects.count() == 3


def test_quick_submissions_from_one_address_are_throttled(client, web_queue, settings):
    settings.SUPPORT_RATE_IP = "4/d"
    answers = [
        submit(client, email=f"person{n}@example.com").status_code for n in range(6)
    ]

    assert answers == [302] * 4 + [429] * 2


def test_an_existing_customer_gets_the_acknowledgement_in_the_chosen_language(
    client, web_queue, mailoutbox
):
    CustomerFactory(email="layla@example.com", preferred_language="en")

    submit(client, language="ar")

    assert CustomerEmail.objects.get().language == "ar"


def test_the_confirmation_page_needs_the_token(client, web_queue):
    submit(client)

    assert client.get(reverse("portal:received", args=["nope"])).status_code == 404


# The tracking page


@pytest.fixture
def ticket(alice, queue):
    return make_ticket(alice, queue, channel="web", subject="Card charged twice")


def track_url(ticket, action=""):
    name = f"portal:track_{action}" if action else "portal:track"
    return reverse(name, args=[ticket.tracking_token])


def test_the_tracking_page_shows_the_public_timeline_only(client, ticket, agent):
    services.add_note(ticket, body_text="Internal: check the card processor", by=agent)
    services.reply_to_ticket(ticket, body_text="We are refunding you.", by=agent)

    response = client.get(track_url(ticket))

    assert response.status_code == 200
    assert "It has not arrived yet." in response.text
    assert "We are refunding you." in response.text
    assert "check the card processor" not in response.text
    assert response["Cache-Control"] == "private, no-store"


def test_the_tracking_page_says_when_we_will_answer(client, ticket):
    response = client.get(track_url(ticket))

    assert response.context["answer_by"]
    assert f"We will answer by {response.context['answer_by']}" in response.text


def test_the_tracking_page_makes_few_queries(
    client, ticket, agent, django_assert_num_queries
):
    for n in range(5):
        services.reply_to_ticket(ticket, body_text=f"Reply {n}", by=agent)
        services.add_message(ticket, direction="inbound", body_text=f"Thanks {n}")

    with django_assert_num_queries(4):
        response = client.get(track_url(ticket))

    assert response.status_code == 200


def test_a_customer_replies_with_an_attachment(client, ticket):
    response = client.post(
        track_url(ticket, "reply"),
        {
            "message": "Here is the receipt.",
            "attachments": [SimpleUploadedFile("r.png", PNG)],
        },
    )

    assert response.status_code == 302
    message = ticket.messages.order_by("id").last()
    assert (message.direction, message.channel) == ("inbound", "web")
    assert message.attachments.get().content_type == "image/png"


def test_an_empty_reply_is_explained(client, ticket):
    response = client.post(track_url(ticket, "reply"), {"message": "   "})

    assert response.status_code == 400
    assert "Please write your reply." in response.text


def test_a_customer_closes_the_request(client, ticket):
    client.post(track_url(ticket, "close"))

    ticket.refresh_from_db()
    assert ticket.status == "closed"
    response = client.get(track_url(ticket))
    assert "Send reply" not in response.text


def test_nothing_changes_on_get(client, ticket):
    for action in ("close", "rate", "reply"):
        assert client.get(track_url(ticket, action)).status_code == 405

    ticket.refresh_from_db()
    assert ticket.status == "new"


def test_actions_need_the_csrf_token(ticket):
    client = Client(enforce_csrf_checks=True)

    for action in ("close", "rate", "reply"):
        assert (
            client.post(track_url(ticket, action), {"message": "x"}).status_code == 403
        )

    ticket.refresh_from_db()
    assert ticket.status == "new"


def test_a_resolved_request_is_rated_once_and_agents_see_the_rating(
    client, ticket, agent, agent_client
):
    assert client.post(track_url(ticket, "rate"), {"score": "5"}).status_code == 400
    services.change_status(ticket, status="resolved", by=agent)

    response = client.post(
        track_url(ticket, "rate"), {"score": "4", "comment": "Quick"}
    )
    again = client.post(track_url(ticket, "rate"), {"score": "1"})

    assert response.status_code == 302
    assert again.status_code == 400
    ticket.refresh_from_db()
    assert (ticket.rating, ticket.rating_comment) == (4, "Quick")
    agent_page = agent_client.get(reverse("tickets:detail", args=[ticket.number]))
    assert "4/5" in agent_page.text
    assert "Quick" in agent_page.text


def test_a_renewed_token_stops_the_old_link(
    client, ticket, agent, mailoutbox, django_capture_on_commit_callbacks
):
    old = ticket.tracking_token

    with django_capture_on_commit_callbacks(execute=True):
        services.renew_tracking_token(ticket, by=agent)

    assert client.get(reverse("portal:track", args=[old])).status_code == 404
    assert client.get(track_url(ticket)).status_code == 200
    assert ticket.tracking_token in mailoutbox[-1].body
    assert old not in mailoutbox[-1].body


def test_a_revoked_token_sends_nothing(
    ticket, agent, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.renew_tracking_token(ticket, by=agent, notify=False)

    assert mailoutbox == []
    assert not CustomerEmail.objects.exists()


def test_attachments_download_through_the_tracking_link_only(client, ticket, agent):
    note = services.add_note(
        ticket, body_text="Internal", by=agent,
        attachments=[SimpleUploadedFile("internal.png", PNG)],
    )  # fmt: skip
    client.post(
        track_url(ticket, "reply"),
        {"message": "Receipt", "attachments": [SimpleUploadedFile("r.png", PNG)]},
    )
    mine = ticket.messages.order_by("id").last().attachments.get()
    hidden = note.attachments.get()

    page = client.get(track_url(ticket))
    url = reverse("portal:track_attachment", args=[ticket.tracking_token, mine.pk])
    response = client.get(url)

    assert url in page.text
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Disposition"].startswith("attachment")
    for token, pk in (("wrong", mine.pk), (ticket.tracking_token, hidden.pk)):
        url = reverse("portal:track_attachment", args=[token, pk])
        assert client.get(url).status_code == 404


def test_replies_through_the_link_are_rate_limited(client, ticket, settings):
    settings.SUPPORT_RATE_IP = "2/d"

    answers = [
        client.post(track_url(ticket, "reply"), {"message": f"Reply {n}"})
        for n in range(3)
    ]

    assert [a.status_code for a in answers] == [302, 302, 429]
    assert "Reply 2" in answers[-1].text
    assert ticket.messages.count() == 3


def test_accepting_a_request_is_one_insert_and_the_worker_opens_it(
    client, web_queue, monkeypatch, django_assert_num_queries
):
    """What the customer waits for is the form kept as sent; the ticket is
    opened by a worker, with the tracking link the customer already has."""
    woken = []
    monkeypatch.setattr(intake, "wake_worker", lambda: woken.append(1))

    with django_assert_num_queries(1):
        response = submit(client, email="first@example.com")

    submission = WebSubmission.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("portal:received", args=[submission.tracking_token])
    assert woken == [1]
    assert not Ticket.objects.exists()

    assert intake.open_waiting() == 1

    ticket = Ticket.objects.get()
    assert ticket.tracking_token == submission.tracking_token
    assert ticket.received_at == submission.created_at
    assert ticket.customer.email == "first@example.com"
    assert ticket.messages.get().body_text == form_data()["message"]
    # The ticket holds the customer's words now; the row keeps no copy.
    submission.refresh_from_db()
    assert (submission.ticket, submission.email, submission.body_text) == (
        ticket,
        "",
        "",
    )


@pytest.mark.parametrize("waiting", [1, 4])
def test_the_worker_opens_a_batch_of_requests_in_a_constant_number_of_queries(
    client, web_queue, settings, monkeypatch, django_assert_num_queries, waiting
):
    """The default queue and the standard tier come from the reference
    cache, the SLA policies from the process; a batch of requests from new
    customers is written set-based, one statement per table."""
    monkeypatch.setattr(intake, "wake_worker", lambda: None)
    settings.REFERENCE_CACHE_SECONDS = settings.SLA_CONFIG_CACHE_SECONDS = 30
    reference.forget("default-queue", "standard-tier")
    forget_sla_config()
    submit(client, email="first@example.com")
    intake.open_waiting()
    for n in range(waiting):
        submit(client, email=f"customer{n}@example.com", kind="inquiry")

    # Each round: savepoint, the rows locked, release (the second finds
    # none); the batch in a savepoint: the customers looked up, the new ones
    # inserted in a savepoint of their own, ticket numbers, tickets,
    # messages, clocks, milestones, history, acknowledgements, the rows'
    # tickets.
    with django_assert_num_queries(2 * 3 + 14):
        assert intake.open_waiting() == waiting

    opened = Ticket.objects.filter(customer__email__startswith="customer")
    assert opened.count() == waiting
    assert {t.queue for t in opened} == {web_queue}
    assert all(t.clocks.count() == 2 for t in opened)
    assert CustomerEmail.objects.filter(ticket__in=opened).count() == waiting
    reference.forget("default-queue", "standard-tier")
    forget_sla_config()
