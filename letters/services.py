"""Writing, approving and dispatching letters on a ticket: the verbs.

A letter starts from a template filled from the ticket, is edited by its
writer, goes to a supervisor of the ticket's queue when its kind needs it,
and is dispatched by post, fax, email or hand. Dispatching gives it the next
outgoing register number, archives it on the ticket as a public reply with its
PDF (which stops the first- and next-response clocks), and, by email, sends
the text with the PDF attached. Every step is a line of the ticket's history.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from helpdesk.channels import Channel
from helpdesk.labels import localized_name
from registers.models import Direction, RegisterChannel
from registers.services import register_outgoing
from sla.models import SLAClock
from tickets import notifications
from tickets.history import record_event
from tickets.models import Message, Notification, Queue, Ticket, TicketEvent
from tickets.services import add_message, add_note

from . import placeholders
from .models import Letter, LetterTemplate, Method
from .pdf import LetterPage, letter_pdf

Status = Letter.Status

# Filled when the letter is dispatched, not when it is written: the number
# does not exist before, and the letter is dated the day it goes out.
AT_DISPATCH = frozenset({"outgoing_number", "today", "today_hijri"})

# Each way out: its line in the outgoing register and its channel on the ticket.
REGISTER_CHANNELS = {
    Method.POST: RegisterChannel.LETTER,
    Method.FAX: RegisterChannel.FAX,
    Method.EMAIL: RegisterChannel.EMAIL,
    Method.HAND: RegisterChannel.HAND,
}
MESSAGE_CHANNELS = {
    Method.POST: Channel.LETTER,
    Method.FAX: Channel.FAX,
    Method.EMAIL: Channel.EMAIL,
    Method.HAND: Channel.WALK_IN,
}


def may_approve(letter: Letter, user) -> bool:
    """Whether `user` may approve or return `letter`: a supervisor of its
    ticket's queue or an administrator, and never the letter's own writer."""
    if user.pk == letter.written_by_id:
        return False
    return Queue.objects.supervised_by(user).filter(pk=letter.ticket.queue_id).exists()


def letter_context(ticket: Ticket, *, by, language: str) -> dict:
    """The placeholder values the ticket, its customer, its registers and
    the writer give; the rest are left for the writer to fill in."""
    with translation.override(language):
        department = localized_name(ticket.queue)
    context = {
        "customer_name": ticket.customer.name,
        "ticket_number": ticket.number,
        "subject": ticket.subject,
        "received_on": timezone.localdate(ticket.received_at),
        "agent_name": by.get_full_name() or by.get_username(),
        "department": department,
    }
    incoming = (
        ticket.register_entries.filter(direction=Direction.INCOMING)
        .order_by("dated", "sequence")
        .first()
    )
    if incoming is not None:
        context["incoming_number"] = incoming.number
    resolution = ticket.clocks.filter(
        target=SLAClock.Target.RESOLUTION, due_at__isnull=False
    ).first()
    if resolution is not None:
        context["due_on"] = timezone.localdate(resolution.due_at)
    if ticket.resolution_summary:
        context["summary"] = ticket.resolution_summary
    return context


def unfilled(body: str) -> list[str]:
    """The placeholders of `body` the writer still has to replace."""
    return [name for name in placeholders.used(body) if name not in AT_DISPATCH]


def _record(letter: Letter, event: str, *, by, message: Message | None = None):
    return record_event(
        letter.ticket,
        TicketEvent.Action.LETTER,
        by=by,
        new=letter.status,
        message=message,
        details={
            "event": event,
            "number": letter.number,
            "kind": letter.kind,
            "subject": letter.subject,
        },
    )


def _locked(letter: Letter) -> Letter:
    """`letter` re-read under a row lock, so two clicks cannot both act."""
    fresh = Letter.objects.select_for_update().get(pk=letter.pk)
    fresh.ticket = letter.ticket
    return fresh


def _refuse_unfilled(body: str, doing: str) -> None:
    missing = unfilled(body)
    if missing:
        raise ValidationError(
            _("Replace %(names)s with the real text before %(doing)s.")
            % {
                "names": ", ".join(f"{{{{ {name} }}}}" for name in missing),
                "doing": doing,
            },
            code="unfilled",
        )


@transaction.atomic
def start_letter(ticket: Ticket, template: LetterTemplate, *, by) -> Letter:
    """A draft letter on `ticket` from `template`, its placeholders filled
    from the ticket and addressed to the customer."""
    context = letter_context(ticket, by=by, language=template.language)
    customer = ticket.customer
    letter = Letter.objects.create(
        ticket=ticket,
        template=template,
        kind=template.kind,
        language=template.language,
        subject=template.title,
        body=template.render(context),
        addressee_name=customer.name,
        addressee_organisation=customer.organisation or customer.department,
        addressee_address=customer.postal_address,
        needs_approval=template.needs_approval,
        written_by=by,
    )
    _record(letter, "written", by=by)
    return letter


@transaction.atomic
def save_letter(
    letter: Letter,
    *,
    subject: str,
    body: str,
    addressee_name: str,
    addressee_organisation: str = "",
    addressee_address: str = "",
    by,
) -> Letter:
    """Keep the writer's changes to a draft or returned letter."""
    letter = _locked(letter)
    if not letter.is_editable:
        raise ValidationError(
            _("This letter can no longer be changed: it is %(status)s.")
            % {"status": letter.get_status_display().lower()},
            code="not_editable",
        )
    placeholders.validate(body)
    letter.subject = subject
    letter.body = body
    letter.addressee_name = addressee_name
    letter.addressee_organisation = addressee_organisation
    letter.addressee_address = addressee_address
    letter.save()
    return letter


@transaction.atomic
def submit_for_approval(letter: Letter, *, by) -> Letter:
    """Send a draft or returned letter to the supervisors of its ticket's
    queue, and tell them."""
    letter = _locked(letter)
    if not letter.is_editable:
        raise ValidationError(
            _("Only a draft or a returned letter can be sent for approval."),
            code="not_editable",
        )
    _refuse_unfilled(letter.body, _("sending it for approval"))
    letter.status = Status.AWAITING_APPROVAL
    letter.return_comment = ""
    letter.save(update_fields=["status", "return_comment", "updated_at"])
    event = _record(letter, "submitted", by=by)
    notifications.notify_supervisors(
        letter.ticket, event=event, kind=Notification.Kind.APPROVAL
    )
    return letter


def _decide(letter: Letter, by) -> Letter:
    if not may_approve(letter, by):
        raise PermissionDenied(
            _("Only a supervisor of this queue who did not write it may decide.")
        )
    letter = _locked(letter)
    if letter.status != Status.AWAITING_APPROVAL:
        raise ValidationError(
            _("This letter is not awaiting approval."), code="not_awaiting"
        )
    return letter


@transaction.atomic
def approve(letter: Letter, *, by) -> Letter:
    """A supervisor's approval: the letter may now be dispatched as it is."""
    letter = _decide(letter, by)
    letter.status = Status.APPROVED
    letter.approved_by = by
    letter.approved_at = timezone.now()
    letter.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    _record(letter, "approved", by=by)
    return letter


@transaction.atomic
def return_letter(letter: Letter, *, comment: str, by) -> Letter:
    """Send the letter back to its writer with what to change."""
    if not comment.strip():
        raise ValidationError(
            _("Say what should change before returning the letter."), code="comment"
        )
    letter = _decide(letter, by)
    letter.status = Status.RETURNED
    letter.return_comment = comment.strip()
    letter.save(update_fields=["status", "return_comment", "updated_at"])
    _record(letter, "returned", by=by)
    return letter


def letter_page(letter: Letter, *, draft: bool) -> LetterPage:
    """What the A4 page shows: the letter as it stands, its date the day it
    went out (today for a draft)."""
    dated = (
        timezone.localdate(letter.dispatched_at)
        if letter.dispatched_at
        else timezone.localdate()
    )
    body = letter.body
    if draft:
        body = placeholders.render(body, {"today": dated}, letter.language)
    incoming = next(
        (
            entry
            for entry in letter.ticket.register_entries.all()
            if entry.direction == Direction.INCOMING
        ),
        None,
    )
    writer = letter.written_by
    with translation.override(letter.language):
        title = localized_name(letter.ticket.queue)
    return LetterPage(
        language=letter.language,
        subject=letter.subject,
        body=body,
        dated=dated,
        addressee_name=letter.addressee_name,
        addressee_organisation=letter.addressee_organisation,
        addressee_address=letter.addressee_address,
        outgoing_number=letter.number,
        ticket_number=letter.ticket.number,
        their_reference=incoming.their_reference if incoming else "",
        signatory_name=writer.get_full_name() or writer.get_username(),
        signatory_title=title,
        draft=draft,
        # A letter is the department's, not its reader's: the site's choice.
        show_hijri=settings.HIJRI_DATES,
    )


@transaction.atomic
def dispatch(letter: Letter, *, method: str, by) -> Letter:
    """Send the letter out: the next outgoing register number, filled into
    its text; its PDF; and an outbound message on the ticket carrying both,
    which counts as a public reply (and by email is sent to the customer with
    the PDF attached)."""
    letter = _locked(letter)
    if letter.status == Status.DISPATCHED:
        raise ValidationError(
            _("This letter was already dispatched as %(number)s.")
            % {"number": letter.number},
            code="dispatched",
        )
    if not letter.may_be_dispatched:
        if letter.status == Status.AWAITING_APPROVAL:
            raise ValidationError(
                _("This letter is waiting for a supervisor's approval."),
                code="awaiting_approval",
            )
        raise ValidationError(
            _("This letter needs a supervisor's approval before it is dispatched."),
            code="needs_approval",
        )
    if method not in Method.values:
        raise ValidationError(_("Choose how the letter is sent."), code="method")
    ticket = letter.ticket
    if method == Method.EMAIL and not ticket.customer.email:
        raise ValidationError(
            _("The customer has no email address: send the letter another way."),
            code="no_email",
        )
    _refuse_unfilled(letter.body, _("dispatching it"))
    now = timezone.now()
    today = timezone.localdate(now)
    entry = register_outgoing(
        ticket,
        None,
        dispatched_on=today,
        channel=REGISTER_CHANNELS[method],
        addressee_name=letter.addressee_name,
        addressee_organisation=letter.addressee_organisation,
        subject=letter.subject,
        by=by,
    )
    letter.register_entry = entry
    letter.body = placeholders.render(
        letter.body, {"outgoing_number": entry.number, "today": today}, letter.language
    )
    letter.method = method
    letter.status = Status.DISPATCHED
    letter.dispatched_at = now
    letter.dispatched_by = by
    pdf = SimpleUploadedFile(
        f"{entry.number}.pdf",
        letter_pdf(letter_page(letter, draft=False)),
        content_type="application/pdf",
    )
    message = add_message(
        ticket,
        direction=Message.Direction.OUTBOUND,
        channel=MESSAGE_CHANNELS[method],
        body_text=letter.body,
        details={
            "reference": entry.number,
            "dispatched_on": today.isoformat(),
            "letter": letter.pk,
        },
        attachments=[pdf],
        by=by,
    )
    entry.message = message
    entry.save(update_fields=["message"])
    letter.message = message
    letter.pdf = message.attachments.get()
    letter.save()
    _record(letter, "dispatched", by=by, message=message)
    return letter


@transaction.atomic
def record_delivery(
    letter: Letter,
    *,
    delivered_at: dt.datetime,
    proof: str,
    by,
    scan: UploadedFile | None = None,
) -> Letter:
    """Note that a dispatched letter reached the customer: when, the proof
    (a tracking number, a fax report, who signed) and a scan of the receipt,
    kept in an internal note."""
    letter = _locked(letter)
    if letter.status != Status.DISPATCHED:
        raise ValidationError(
            _("Only a dispatched letter can be delivered."), code="not_dispatched"
        )
    if delivered_at < letter.dispatched_at:
        raise ValidationError(
            _("A letter cannot be delivered before it was dispatched."),
            code="before_dispatch",
        )
    if delivered_at > timezone.now():
        raise ValidationError(_("The delivery cannot be in the future."), code="future")
    letter.delivered_at = delivered_at
    letter.delivery_proof = proof.strip()
    if scan is not None:
        # An internal note: the receipt is the department's record, not a
        # reply the customer needs to see.
        note = add_note(
            letter.ticket,
            body_text=_("Proof of delivery of %(number)s: %(proof)s")
            % {"number": letter.number, "proof": letter.delivery_proof},
            attachments=[scan],
            by=by,
        )
        letter.delivery_scan = note.attachments.get()
    letter.save()
    _record(letter, "delivered", by=by)
    return letter
