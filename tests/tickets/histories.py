"""A ticket with a long history of every kind, for the page's cost tests."""

from django.core.files.uploadedfile import SimpleUploadedFile

from letters import services as letter_services
from letters.models import LetterTemplate
from mail.models import TicketAddress
from memos import services as memo_services
from tickets import services


def give_long_history(ticket, agent, memo_to) -> None:
    """24 more messages (replies, and notes with a file each) and their
    events, a memo to `memo_to`, a letter and an address allowed to write."""
    for n in range(12):
        services.reply_to_ticket(ticket, body_text=f"Reply {n}", by=agent)
        services.add_note(
            ticket,
            body_text=f"Note {n}",
            by=agent,
            attachments=[SimpleUploadedFile(f"n{n}.txt", b"x")],
        )
    memo_services.send_memo(
        ticket, to_queue=memo_to, body_text="Please refund", by=agent
    )
    template = LetterTemplate.objects.filter(is_active=True).first()
    letter_services.start_letter(ticket, template, by=agent)
    TicketAddress.objects.create(ticket=ticket, email="cc@example.com", added_by=agent)
