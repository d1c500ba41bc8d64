"""Writing, approving and dispatching letters: the verbs, called directly."""

import subprocess
import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.utils import timezone

from helpdesk.channels import Channel
from letters import services
from letters.models import Letter, LetterTemplate, Method
from registers.models import RegisterEntry
from registers.services import register_incoming
from sla.models import SLAClock
from tickets import emails
from tickets.models import Message, Notification, TicketEvent
from tickets.permissions import AGENTS, SUPERVISORS

from ..factories import CustomerFactory, make_staff, make_ticket
from ..markers import requires_postgres

pytestmark = pytest.mark.django_db

RIYADH = ZoneInfo("Asia/Riyadh")
# A Monday morning in Riyadh.
MONDAY = datetime(2026, 12, 7, 9, 0, tzinfo=RIYADH)

REASONS = "The fees were paid more than ninety days ago."
APPEAL = "a letter to the Appeals Committee within thirty days"


def template(kind: str, language: str = "en") -> LetterTemplate:
    return LetterTemplate.objects.get(kind=kind, language=language, is_active=True)


def filled(letter: Letter, *, by) -> Letter:
    """Replace the placeholders a rejection leaves for the writer."""
    body = letter.body.replace("{{ reasons }}", REASONS).replace(
        "{{ appeal_route }}", APPEAL
    )
    return services.save_letter(
        letter,
        subject=letter.subject,
        body=body,
        addressee_name=letter.addressee_name,
        by=by,
    )


@pytest.fixture
def customer(db):
    return CustomerFactory(
        name="Alice Smith",
        email="alice@example.com",
        organisation="Acme",
        postal_address="PO Box 1, Riyadh",
        preferred_language="en",
    )


@pytest.fixture
def ticket(customer, queue):
    """A postal letter from the customer, in the incoming register."""
    with time_machine.travel(MONDAY, tick=False):
        ticket = make_ticket(
            customer, queue, subject="Refund of fees", channel=Channel.LETTER
        )
    register_incoming(
        ticket,
        ticket.messages.get(),
        received_on=MONDAY.date(),
        channel="letter",
        sender_name="Alice Smith",
        reference="AC/77",
    )
    return ticket


@pytest.fixture
def rejection(ticket, agent):
    with time_machine.travel(MONDAY + timedelta(hours=1), tick=False):
        return filled(
            services.start_letter(ticket, template("rejection"), by=agent), by=agent
        )


def approved(letter: Letter, *, agent, supervisor) -> Letter:
    services.submit_for_approval(letter, by=agent)
    return services.approve(letter, by=supervisor)


def test_a_letter_starts_from_its_template_filled_from_the_ticket(ticket, agent):
    letter = services.start_letter(ticket, template("rejection"), by=agent)
    acknowledgement = services.start_letter(
        ticket, template("acknowledgement"), by=agent
    )

    assert letter.status == Letter.Status.DRAFT
    assert letter.needs_approval
    assert letter.addressee_name == "Alice Smith"
    assert letter.addressee_organisation == "Acme"
    assert letter.addressee_address == "PO Box 1, Riyadh"
    assert ticket.number in letter.body
    assert "7 December 2026" in letter.body
    # Left for the writer, and for the dispatch.
    assert services.unfilled(letter.body) == ["reasons", "appeal_route"]
    assert "IN-2026-000001" in acknowledgement.body
    event = ticket.events.filter(action=TicketEvent.Action.LETTER).first()
    assert event.details == {
        "event": "written",
        "number": "",
        "kind": "rejection",
        "subject": letter.subject,
    }


def test_an_arabic_letter_is_filled_in_arabic_with_hijri_dates(ticket, agent):
    letter = services.start_letter(ticket, template("rejection", "ar"), by=agent)

    assert letter.language == "ar"
    assert "7 ديسمبر 2026م" in letter.body
    assert "1448هـ" in letter.body


@pytest.mark.parametrize("site_shows_hijri", [True, False])
def test_the_letter_page_follows_the_sites_hijri_setting(
    ticket, agent, settings, site_shows_hijri
):
    settings.HIJRI_DATES = site_shows_hijri
    letter = services.start_letter(ticket, template("follow_up", "ar"), by=agent)

    assert services.letter_page(letter, draft=True).show_hijri is site_shows_hijri


def test_a_letter_needing_approval_cannot_be_dispatched_before_it(
    rejection, agent, supervisor
):
    with pytest.raises(ValidationError, match="approval"):
        services.dispatch(rejection, method=Method.POST, by=supervisor)

    services.submit_for_approval(rejection, by=agent)
    with pytest.raises(ValidationError, match="waiting"):
        services.dispatch(rejection, method=Method.POST, by=agent)

    assert not RegisterEntry.objects.filter(direction="out").exists()
    rejection.refresh_from_db()
    assert rejection.status == Letter.Status.AWAITING_APPROVAL


def test_changing_the_template_later_does_not_lift_a_letters_approval(
    rejection, supervisor
):
    LetterTemplate.objects.filter(kind="rejection").update(needs_approval=False)

    with pytest.raises(ValidationError):
        services.dispatch(rejection, method=Method.POST, by=supervisor)


def test_submitting_tells_the_queues_supervisors(rejection, agent, supervisor):
    services.submit_for_approval(rejection, by=agent)

    notification = Notification.objects.get()
    assert notification.recipient == supervisor
    assert notification.kind == Notification.Kind.APPROVAL
    assert notification.ticket == rejection.ticket


def test_a_letter_with_a_placeholder_left_is_not_sent_for_approval(ticket, agent):
    letter = services.start_letter(ticket, template("rejection"), by=agent)

    with pytest.raises(ValidationError, match="reasons"):
        services.submit_for_approval(letter, by=agent)


def test_an_unknown_placeholder_is_refused_when_saved(rejection, agent):
    with pytest.raises(ValidationError, match="Unknown placeholder"):
        services.save_letter(
            rejection,
            subject="x",
            body="Dear {{ custmer_name }}",
            addressee_name="Alice",
            by=agent,
        )


def test_only_a_supervisor_of_the_queue_or_an_admin_decides(
    rejection, agent, other_queue, admin_user
):
    services.submit_for_approval(rejection, by=agent)
    elsewhere = make_staff("elsewhere", SUPERVISORS)
    other_queue.supervisors.add(elsewhere)
    colleague = make_staff("colleague", AGENTS)
    rejection.ticket.queue.agents.add(colleague)

    for user in (agent, colleague, elsewhere):
        with pytest.raises(PermissionDenied):
            services.approve(rejection, by=user)
    services.approve(rejection, by=admin_user)

    rejection.refresh_from_db()
    assert rejection.status == Letter.Status.APPROVED
    assert rejection.approved_by == admin_user


def test_a_supervisor_does_not_approve_their_own_letter(ticket, supervisor):
    letter = filled(
        services.start_letter(ticket, template("rejection"), by=supervisor),
        by=supervisor,
    )
    services.submit_for_approval(letter, by=supervisor)

    with pytest.raises(PermissionDenied):
        services.approve(letter, by=supervisor)


def test_a_returned_letter_is_edited_and_sent_again(rejection, agent, supervisor):
    services.submit_for_approval(rejection, by=agent)

    with pytest.raises(ValidationError):
        services.return_letter(rejection, comment="  ", by=supervisor)
    services.return_letter(rejection, comment="Quote the fee schedule.", by=supervisor)
    rejection.refresh_from_db()
    assert rejection.status == Letter.Status.RETURNED
    assert rejection.return_comment == "Quote the fee schedule."
    services.save_letter(
        rejection,
        subject=rejection.subject,
        body=rejection.body + "\n\nFee schedule, article 4.",
        addressee_name=rejection.addressee_name,
        by=agent,
    )
    services.submit_for_approval(rejection, by=agent)
    services.approve(rejection, by=supervisor)

    rejection.refresh_from_db()
    assert rejection.status == Letter.Status.APPROVED
    assert rejection.return_comment == ""
    assert "article 4" in rejection.body
    events = [
        e.details["event"]
        for e in rejection.ticket.events.filter(action=TicketEvent.Action.LETTER)
    ]
    assert events == ["written", "submitted", "returned", "submitted", "approved"]


def test_a_letter_awaiting_approval_cannot_be_edited(rejection, agent):
    services.submit_for_approval(rejection, by=agent)

    with pytest.raises(ValidationError, match="no longer be changed"):
        services.save_letter(
            rejection, subject="x", body="y", addressee_name="z", by=agent
        )


def test_dispatch_numbers_the_letter_and_archives_it_with_its_pdf(
    rejection, agent, supervisor
):
    approved(rejection, agent=agent, supervisor=supervisor)

    with time_machine.travel(MONDAY + timedelta(hours=2), tick=False):
        letter = services.dispatch(rejection, method=Method.POST, by=agent)

    assert letter.status == Letter.Status.DISPATCHED
    assert letter.number == "OUT-2026-000001"
    entry = letter.register_entry
    assert (entry.direction, entry.channel, entry.party_name) == (
        "out",
        "letter",
        "Alice Smith",
    )
    message = letter.message
    assert entry.message == message
    assert message.direction == Message.Direction.OUTBOUND
    assert message.channel == Channel.LETTER
    assert message.body_text == letter.body
    assert REASONS in message.body_text
    pdf = message.attachments.get()
    assert letter.pdf == pdf
    assert pdf.original_name == "OUT-2026-000001.pdf"
    assert pdf.content_type == "application/pdf"
    with pdf.file.open("rb") as content:
        data = content.read()
    assert data.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    assert "OUT-2026-000001" in text
    assert "ninety days" in text
    event = (
        letter.ticket.events.filter(action=TicketEvent.Action.LETTER)
        .order_by("id")
        .last()
    )
    assert event.details["event"] == "dispatched"
    assert event.details["number"] == "OUT-2026-000001"


def test_the_outgoing_number_and_date_are_filled_in_at_dispatch(ticket, agent):
    letter = services.start_letter(ticket, template("acknowledgement"), by=agent)
    services.save_letter(
        letter,
        subject=letter.subject,
        body="Our reference {{ outgoing_number }} of {{ today }}.",
        addressee_name="Alice",
        by=agent,
    )

    with time_machine.travel(MONDAY + timedelta(days=2), tick=False):
        letter = services.dispatch(letter, method=Method.HAND, by=agent)

    assert letter.body == "Our reference OUT-2026-000001 of 9 December 2026."
    assert letter.message.channel == Channel.WALK_IN
    assert letter.register_entry.channel == "hand"


def test_letters_are_numbered_in_turn_and_a_refused_dispatch_uses_no_number(
    ticket, agent, customer
):
    first = services.start_letter(ticket, template("acknowledgement"), by=agent)
    second = services.start_letter(ticket, template("acknowledgement"), by=agent)
    customer.email = ""
    customer.save()
    unfilled_letter = services.start_letter(ticket, template("rejection"), by=agent)

    services.dispatch(first, method=Method.FAX, by=agent)
    with pytest.raises(ValidationError, match="no email"):
        services.dispatch(second, method=Method.EMAIL, by=agent)
    with pytest.raises(ValidationError):
        services.dispatch(unfilled_letter, method=Method.POST, by=agent)
    services.dispatch(second, method=Method.POST, by=agent)

    assert Letter.objects.get(pk=first.pk).number == "OUT-2026-000001"
    assert Letter.objects.get(pk=second.pk).number == "OUT-2026-000002"


def test_a_letter_is_dispatched_once(ticket, agent):
    letter = services.start_letter(ticket, template("acknowledgement"), by=agent)
    services.dispatch(letter, method=Method.POST, by=agent)

    with pytest.raises(ValidationError, match="already dispatched"):
        services.dispatch(letter, method=Method.POST, by=agent)

    assert RegisterEntry.objects.filter(direction="out").count() == 1
    with pytest.raises(ValidationError):
        services.save_letter(
            letter, subject="x", body="y", addressee_name="z", by=agent
        )


def test_a_dispatched_letter_is_the_public_reply_that_stops_the_response_clock(
    policies, ticket, agent
):
    clock = ticket.clocks.get(target=SLAClock.Target.FIRST_RESPONSE)
    assert clock.is_running
    letter = services.start_letter(ticket, template("acknowledgement"), by=agent)

    with time_machine.travel(MONDAY + timedelta(hours=3), tick=False):
        services.dispatch(letter, method=Method.POST, by=agent)

    clock.refresh_from_db()
    ticket.refresh_from_db()
    assert clock.status == SLAClock.Status.MET
    assert clock.stopped_at == MONDAY + timedelta(hours=3)
    assert ticket.first_responded_at == MONDAY + timedelta(hours=3)
    assert ticket.status == "open"


def test_a_letter_sent_by_email_carries_its_text_and_pdf(
    ticket, agent, mailoutbox, django_capture_on_commit_callbacks
):
    letter = services.start_letter(ticket, template("acknowledgement"), by=agent)

    letter = services.dispatch(letter, method=Method.EMAIL, by=agent)
    emails.send_pending()

    email = mailoutbox[-1]
    assert email.to == ["alice@example.com"]
    assert ticket.number in email.subject
    assert letter.body.splitlines()[0] in email.body
    html = email.alternatives[0][0]
    assert "Alice Smith" in html
    name, content, mimetype = email.attachments[0]
    assert name == f"{letter.number}.pdf"
    assert mimetype == "application/pdf"
    assert content.startswith(b"%PDF")
    assert letter.message.channel == Channel.EMAIL


def test_delivery_is_recorded_with_its_proof_and_scan(ticket, agent):
    with time_machine.travel(MONDAY, tick=False):
        letter = services.start_letter(ticket, template("acknowledgement"), by=agent)
        letter = services.dispatch(letter, method=Method.POST, by=agent)
    scan = SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 receipt", "application/pdf")

    with time_machine.travel(MONDAY + timedelta(days=3), tick=False):
        with pytest.raises(ValidationError, match="before"):
            services.record_delivery(
                letter, delivered_at=MONDAY - timedelta(days=1), proof="x", by=agent
            )
        with pytest.raises(ValidationError, match="future"):
            services.record_delivery(
                letter, delivered_at=MONDAY + timedelta(days=4), proof="x", by=agent
            )
        services.record_delivery(
            letter,
            delivered_at=MONDAY + timedelta(days=2),
            proof="Saudi Post RR123456789SA, signed by A. Smith",
            scan=scan,
            by=agent,
        )

    letter.refresh_from_db()
    assert letter.delivered_at == MONDAY + timedelta(days=2)
    assert letter.delivery_proof == "Saudi Post RR123456789SA, signed by A. Smith"
    # The receipt is the department's record, not shown to the customer.
    assert letter.delivery_scan.message.direction == Message.Direction.INTERNAL
    assert letter.delivery_scan.original_name == "receipt.pdf"
    event = ticket.events.filter(action=TicketEvent.Action.LETTER).order_by("id").last()
    assert event.details["event"] == "delivered"


def test_a_draft_cannot_be_delivered(ticket, agent):
    letter = services.start_letter(ticket, template("acknowledgement"), by=agent)

    with pytest.raises(ValidationError):
        services.record_delivery(
            letter, delivered_at=timezone.now(), proof="x", by=agent
        )


def test_a_closed_ticket_takes_no_letter_and_keeps_its_numbers(ticket, agent):
    from tickets.services import change_status

    letter = services.start_letter(ticket, template("acknowledgement"), by=agent)
    change_status(ticket, status="resolved", by=agent)
    change_status(ticket, status="closed", by=agent)

    with pytest.raises(ValidationError):
        services.dispatch(letter, method=Method.POST, by=agent)

    assert not RegisterEntry.objects.filter(direction="out").exists()
    letter.refresh_from_db()
    assert letter.status == Letter.Status.DRAFT


@requires_postgres("concurrent connections queueing on the letter's row lock")
@pytest.mark.django_db(transaction=True)
def test_two_clicks_on_dispatch_send_the_letter_once(queue, agent):
    customer = CustomerFactory(name="Alice", email="alice@example.com")
    ticket = make_ticket(customer, queue)
    letter = services.start_letter(ticket, template("follow_up"), by=agent)
    services.save_letter(
        letter, subject="Update", body="Still on it.", addressee_name="Alice", by=agent
    )
    outcomes = []
    together = threading.Barrier(2)

    def click():
        try:
            together.wait()
            services.dispatch(Letter.objects.get(pk=letter.pk), method="post", by=agent)
            outcomes.append("sent")
        except ValidationError as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["dispatched", "sent"]
    assert RegisterEntry.objects.filter(direction="out").count() == 1
    assert ticket.messages.filter(direction="outbound").count() == 1
