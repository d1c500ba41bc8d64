"""Taking in an email: a new ticket, a reply on its ticket, and everything
that must not become a ticket or reach someone else's."""

import pytest
from django.core.management import call_command

from mail.addresses import reply_address
from mail.intake import ingest
from mail.models import InboundEmail, Mailbox, QuarantinedEmail, TicketAddress
from tickets import services
from tickets.models import CustomerEmail, Message, Ticket

from ..factories import CustomerFactory, make_ticket
from .builders import raw_email

pytestmark = pytest.mark.django_db
Outcome = InboundEmail.Outcome
COMMAND = InboundEmail.Source.COMMAND


@pytest.fixture
def mailbox(queue):
    return Mailbox.objects.create(
        name="Support", email_address="support@example.org", queue=queue
    )


@pytest.fixture
def layla(db):
    return CustomerFactory(name="Layla", email="Layla@Example.com")


def take(raw, mailbox=None):
    return ingest(raw, mailbox=mailbox, source=COMMAND)


def test_a_new_email_opens_a_ticket_in_the_mailboxs_queue_and_is_acknowledged(
    mailbox, queue, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        result = take(raw_email(sender="Sami Nour <sami@example.net>"), mailbox)

    assert result.outcome == Outcome.CREATED
    ticket = result.ticket
    assert ticket.queue == queue
    assert ticket.channel == "email"
    assert ticket.subject == "Where is my parcel?"
    assert ticket.customer.name == "Sami Nour"
    assert ticket.customer.email == "sami@example.net"
    message = ticket.messages.get()
    assert message.body_text.strip() == "My parcel has not arrived."
    assert message.email_message_id == "<m1@mail.example.com>"
    assert [m.to for m in mailoutbox] == [["sami@example.net"]]
    assert result.describe() == f"new ticket {ticket.number}"


def test_the_sender_is_found_by_address_whatever_its_case(layla, mailbox):
    result = take(raw_email(sender="LAYLA@example.COM"), mailbox)

    assert result.ticket.customer == layla


def test_a_reply_by_its_headers_joins_the_ticket_and_reopens_it(layla, queue, agent):
    ticket = make_ticket(layla, queue)
    reply = services.reply_to_ticket(ticket, body_text="Which order?", by=agent)
    services.change_status(ticket, status=Ticket.Status.PENDING, by=agent)

    result = take(
        raw_email(
            sender="layla@example.com",
            subject="Re: something else entirely",
            message_id="<r1@mail.example.com>",
            headers={"In-Reply-To": reply.email_message_id},
        )
    )

    assert result.outcome == Outcome.THREADED
    assert result.ticket == ticket
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    assert ticket.messages.filter(direction="inbound").count() == 2


def test_a_reply_to_the_acknowledgement_joins_its_ticket(
    layla, mailbox, django_capture_on_commit_callbacks
):
    ticket = take(raw_email(sender="layla@example.com"), mailbox).ticket
    acknowledgement = CustomerEmail.objects.get(ticket=ticket)

    result = take(
        raw_email(
            sender="layla@example.com",
            message_id="<r2@mail.example.com>",
            headers={"References": acknowledgement.email_message_id},
        ),
        mailbox,
    )

    assert (result.outcome, result.ticket) == (Outcome.THREADED, ticket)


def test_a_reply_by_the_signed_reply_address_joins_the_ticket(layla, queue, mailbox):
    ticket = make_ticket(layla, queue)

    result = take(
        raw_email(
            sender="layla@example.com",
            to=reply_address(mailbox.email_address, ticket.pk),
            subject="no number here",
        ),
        mailbox,
    )

    assert result.ticket == ticket


def test_a_made_up_reply_address_names_no_ticket(layla, queue, mailbox):
    ticket = make_ticket(layla, queue)
    forged = (
        reply_address(mailbox.email_address, ticket.pk)[:-12] + "aaaaaaaaaa@example.org"
    )

    result = take(raw_email(sender="layla@example.com", to=forged), mailbox)

    assert result.outcome == Outcome.CREATED
    assert result.ticket != ticket


def test_a_reply_by_the_number_in_the_subject_joins_the_ticket(layla, queue):
    ticket = make_ticket(layla, queue)

    result = take(raw_email(subject=f"Re: [{ticket.number.lower()}] my parcel"))

    assert result.ticket == ticket


@pytest.mark.parametrize("route", ["subject", "header", "address"])
def test_a_stranger_who_names_a_ticket_gets_one_of_their_own(
    layla, queue, mailbox, route, django_capture_on_commit_callbacks, mailoutbox
):
    ticket = make_ticket(layla, queue, subject="Layla's private matter")
    first = ticket.messages.get()
    first.email_message_id = "<root@mail.example.com>"
    first.save()
    stranger = {
        "subject": {"subject": f"Re: {ticket.number}"},
        "header": {"headers": {"In-Reply-To": "<root@mail.example.com>"}},
        "address": {"to": reply_address(mailbox.email_address, ticket.pk)},
    }[route]

    with django_capture_on_commit_callbacks(execute=True):
        result = take(
            raw_email(sender="mallory@example.net", message_id="<x@evil>", **stranger),
            mailbox,
        )

    assert result.outcome == Outcome.CREATED
    assert result.ticket != ticket
    assert result.ticket.customer.email == "mallory@example.net"
    assert ticket.messages.count() == 1
    note = result.ticket.messages.get(direction=Message.Direction.INTERNAL)
    assert ticket.number in note.body_text
    # The acknowledgement speaks of the stranger's own ticket only.
    (acknowledgement,) = mailoutbox
    assert ticket.number not in acknowledgement.subject + acknowledgement.body
    assert "Layla" not in acknowledgement.body


def test_an_address_an_agent_allowed_may_write_to_the_ticket(layla, queue, agent):
    ticket = make_ticket(layla, queue)
    TicketAddress.objects.create(
        ticket=ticket, email="lawyer@example.net", added_by=agent
    )

    result = take(
        raw_email(sender="Lawyer@Example.net", subject=f"Re: {ticket.number}")
    )

    assert result.ticket == ticket


def test_cc_addresses_are_not_allowed_on_their_own(layla, queue, mailbox):
    take(
        raw_email(sender="layla@example.com", headers={"Cc": "friend@example.net"}),
        mailbox,
    )
    ticket = Ticket.objects.get()

    result = take(
        raw_email(
            sender="friend@example.net",
            subject=f"Re: {ticket.number}",
            message_id="<f@x>",
        ),
        mailbox,
    )

    assert result.ticket != ticket
    assert not TicketAddress.objects.exists()


def test_a_reply_to_a_closed_ticket_opens_a_new_one_linked_to_it(layla, queue, agent):
    old = make_ticket(layla, queue)
    services.change_status(old, status=Ticket.Status.CLOSED, by=agent)

    result = take(raw_email(sender="layla@example.com", subject=f"Re: {old.number}"))

    assert result.outcome == Outcome.CREATED
    assert old.number in result.ticket.messages.get(direction="internal").body_text
    assert result.ticket.number in old.messages.get(direction="internal").body_text
    old.refresh_from_db()
    assert old.status == Ticket.Status.CLOSED


def test_the_same_message_delivered_twice_is_stored_once(mailbox):
    first = take(raw_email(), mailbox)
    second = take(raw_email(), mailbox)

    assert second.outcome == Outcome.DUPLICATE
    assert second.ticket == first.ticket
    assert Ticket.objects.count() == 1
    assert Message.objects.count() == 1


def test_copies_without_a_message_id_are_stored_once(mailbox):
    take(raw_email(message_id=None), mailbox)
    second = take(raw_email(message_id=None), mailbox)

    assert second.outcome == Outcome.DUPLICATE
    assert Ticket.objects.count() == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
    ],
)
def test_automatic_mail_opens_nothing_and_is_not_answered(
    mailbox, headers, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        result = take(raw_email(headers=headers), mailbox)

    assert result.outcome == Outcome.AUTOMATIC
    assert not Ticket.objects.exists()
    assert mailoutbox == []


def test_mail_from_our_own_address_is_ignored(mailbox):
    result = take(raw_email(sender="Support <SUPPORT@example.org>"), mailbox)

    assert result.outcome == Outcome.AUTOMATIC
    assert not Ticket.objects.exists()


def test_a_runaway_sender_is_stopped_and_kept_in_quarantine(mailbox, settings):
    settings.EMAIL_SENDER_HOURLY_CAP = 3
    for n in range(3):
        take(raw_email(message_id=f"<loop{n}@x>", subject=f"Loop {n}"), mailbox)

    result = take(raw_email(message_id="<loop9@x>", subject="Loop 9"), mailbox)

    assert result.outcome == Outcome.QUARANTINED
    assert Ticket.objects.count() == 3
    kept = QuarantinedEmail.objects.get()
    assert b"Loop 9" in kept.raw.read()


def test_a_message_over_the_size_limit_is_kept_whole_in_quarantine(mailbox, settings):
    settings.EMAIL_MAX_BYTES = 1000
    raw = raw_email(body="x" * 2000)

    result = take(raw, mailbox)

    assert result.outcome == Outcome.QUARANTINED
    assert not Ticket.objects.exists()
    kept = QuarantinedEmail.objects.get()
    assert kept.raw.read() == raw
    assert kept.size == len(raw)
    assert "limit" in kept.reason


def test_bytes_that_are_no_email_are_quarantined(mailbox):
    result = take(b"\x00\x01\x02 not an email", mailbox)

    assert result.outcome == Outcome.QUARANTINED
    assert QuarantinedEmail.objects.waiting().count() == 1


def test_a_refused_attachment_keeps_the_text_and_the_whole_message(mailbox):
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"] = "layla@example.com"
    message["To"] = "support@example.org"
    message["Subject"] = "Program"
    message["Message-ID"] = "<att@x>"
    message.set_content("See the program.")
    message.add_attachment(
        b"MZ\x90\x00" + b"\x00" * 100,
        maintype="application",
        subtype="octet-stream",
        filename="setup.exe",
    )

    result = take(message.as_bytes(), mailbox)

    assert result.outcome == Outcome.CREATED
    assert "setup.exe" in result.reason
    assert result.ticket.messages.get().attachments.count() == 0
    assert QuarantinedEmail.objects.get().ticket == result.ticket


def test_the_command_prints_what_became_of_the_message(tmp_path, mailbox, capsys):
    path = tmp_path / "message.eml"
    path.write_bytes(raw_email())

    call_command("ingest_email", str(path), "--mailbox", "support@example.org")
    call_command("ingest_email", str(path))

    out = capsys.readouterr().out.splitlines()
    number = Ticket.objects.get().number
    assert out == [f"new ticket {number}", f"duplicate, already stored on {number}"]


def test_a_customer_is_found_whichever_way_their_idn_domain_is_spelled(mailbox):
    known = CustomerFactory(name="Ali", email="ali@مثال.example")

    result = take(raw_email(sender="Ali <ALI@XN--MGBH0FB.example>"), mailbox)

    assert result.ticket.customer == known
