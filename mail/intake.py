"""Every email taken in goes through `ingest`: the IMAP poller, the
`ingest_email` command and the mail servers' endpoint alike.

In order: keep whole what cannot be read or is too large (the quarantine);
store a second delivery of a message once; let automatic mail (auto-replies,
lists, bounces) open nothing and answer nothing; stop a sender's runaway
loop; then thread the message onto its ticket or open a new one, with the
written-channel clocks started when the mail server received it. Nothing is
acknowledged to the caller before it is stored: `ingest` returns after its
transaction committed.
"""

from __future__ import annotations

import email.policy
import email.utils
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from email.parser import BytesHeaderParser

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from helpdesk.channels import Channel
from tickets import emails
from tickets.models import Message, Queue, Ticket
from tickets.services import add_message
from tickets.services.lifecycle import open_ticket_with_message
from tickets.uploads import check_uploads

from . import bounces
from .addresses import normalise_address
from .automatic import automatic_reason
from .models import InboundEmail, Mailbox, QuarantinedEmail
from .new_tickets import customer_for_sender, link_related, ticket_subject
from .parsing import ParsedAttachment, ParsedEmail, UnreadableEmail, parse_email
from .recent import content_hash, look_back, own_addresses
from .threading import find_thread

log = logging.getLogger(__name__)
Outcome = InboundEmail.Outcome
# How much of an unparsed message is read for its sender and subject.
GLANCE_BYTES = 64 * 1024


@dataclass(frozen=True)
class Result:
    """What became of one message."""

    outcome: str
    ticket: Ticket | None = None
    reason: str = ""

    def as_json(self) -> dict:
        return {
            "outcome": self.outcome,
            "ticket": self.ticket.number if self.ticket else None,
            "reason": self.reason,
        }

    def describe(self) -> str:
        number = self.ticket.number if self.ticket else ""
        text = {
            Outcome.CREATED: f"new ticket {number}",
            Outcome.THREADED: f"threaded onto {number}",
            Outcome.AUTOMATIC: "ignored as automatic",
            Outcome.BOUNCE: "bounce of our own email",
            Outcome.DUPLICATE: "duplicate, already stored"
            + (f" on {number}" if number else ""),
            Outcome.QUARANTINED: "quarantined",
        }[self.outcome]
        return f"{text}: {self.reason}" if self.reason else text


def ingest(raw: bytes, *, mailbox: Mailbox | None = None, source: str) -> Result:
    """Take in one raw RFC 5322 message. Never raises for what the message
    holds: what cannot be taken in is quarantined whole, with the reason."""
    if len(raw) > settings.EMAIL_MAX_BYTES:
        return quarantine(
            raw,
            mailbox=mailbox,
            source=source,
            reason=f"larger than the limit of {settings.EMAIL_MAX_BYTES} bytes",
        )
    try:
        parsed = parse_email(raw)
    except UnreadableEmail as error:
        return quarantine(raw, mailbox=mailbox, source=source, reason=str(error))
    except Exception as error:  # noqa: BLE001 - nothing a sender writes is lost
        log.exception("Could not parse an email")
        return quarantine(
            raw, mailbox=mailbox, source=source, reason=f"could not be read: {error!r}"
        )
    if not parsed.from_address or "@" not in parsed.from_address:
        return quarantine(
            raw,
            mailbox=mailbox,
            source=source,
            reason="no sender address",
            parsed=parsed,
        )
    return _take_in(raw, parsed, mailbox=mailbox, source=source)


def _take_in(raw: bytes, parsed: ParsedEmail, *, mailbox, source) -> Result:
    record = InboundEmail(
        mailbox=mailbox,
        source=source,
        email_message_id=parsed.message_id[:255],
        sender=parsed.from_address[:255],
        subject=parsed.subject[:255],
        content_hash=content_hash(parsed),
    )
    duplicate, taken = look_back(parsed, record.content_hash)
    if duplicate is not None:
        return _record(record, Outcome.DUPLICATE, ticket=duplicate.ticket)
    automatic = automatic_reason(parsed, own_addresses=own_addresses())
    if automatic is not None:
        if automatic.is_bounce:
            returned = bounces.record_bounce(
                automatic.bounced_message_ids,
                automatic.bounce_reason or automatic.reason,
            )
            ticket = returned[0].ticket if returned else None
            return _record(
                record, Outcome.BOUNCE, reason=automatic.reason, ticket=ticket
            )
        return _record(record, Outcome.AUTOMATIC, reason=automatic.reason)
    if taken >= settings.EMAIL_SENDER_HOURLY_CAP:
        return quarantine(
            raw,
            mailbox=mailbox,
            source=source,
            parsed=parsed,
            reason=(
                f"more than {settings.EMAIL_SENDER_HOURLY_CAP} messages from "
                "this sender in an hour (a mail loop?)"
            ),
        )
    if parsed.message_id:
        record.dedupe_key = f"mid:{parsed.message_id}"[:300]
    accepted, refused = _check_attachments(parsed.attachments)
    try:
        with transaction.atomic():
            result = _store(parsed, record, mailbox=mailbox, attachments=accepted)
    except IntegrityError:
        # The same Message-ID stored a moment ago by another delivery.
        original = InboundEmail.objects.filter(dedupe_key=record.dedupe_key).first()
        if original is None:
            raise
        record.pk, record.dedupe_key = None, None
        return _record(record, Outcome.DUPLICATE, ticket=original.ticket)
    except ValidationError as error:
        return quarantine(
            raw,
            mailbox=mailbox,
            source=source,
            parsed=parsed,
            reason=" ".join(error.messages),
        )
    if parsed.truncated:
        refused.append("parts nested too deeply or too many parts were not read")
    if refused:
        reason = "; ".join(refused)
        quarantine(
            raw,
            mailbox=mailbox,
            source=source,
            parsed=parsed,
            reason=f"not all taken in: {reason}",
            ticket=result.ticket,
            record=False,
        )
        result = Result(result.outcome, result.ticket, f"not all taken in: {reason}")
    return result


def _store(
    parsed: ParsedEmail, record: InboundEmail, *, mailbox, attachments
) -> Result:
    record.save()  # first: a concurrent copy of the message stops here
    now = timezone.now()
    received_at = min(parsed.received_at or now, now)
    details = email_details(parsed, received_at)
    thread = find_thread(parsed)
    if thread.ticket is not None:
        message = add_message(
            thread.ticket,
            direction=Message.Direction.INBOUND,
            channel=Channel.EMAIL,
            body_text=parsed.text,
            body_html=parsed.html,
            details=details,
            attachments=attachments,
            email_message_id=parsed.message_id[:255],
            received_at=received_at,
        )
        return _finish(record, Outcome.THREADED, thread.ticket, message.pk)
    customer = customer_for_sender(parsed)
    with translation.override(customer.preferred_language):
        subject = ticket_subject(parsed, thread.related)
    ticket, first = open_ticket_with_message(
        customer=customer,
        subject=subject,
        body_text=parsed.text,
        body_html=parsed.html,
        channel=Channel.EMAIL,
        queue=_queue_for(mailbox),
        received_at=received_at,
        details=details,
        attachments=attachments,
        email_message_id=parsed.message_id[:255],
    )
    link_related(ticket, thread)
    emails.queue_acknowledgement(ticket, language=customer.preferred_language)
    return _finish(record, Outcome.CREATED, ticket, first.pk)


def _finish(record, outcome, ticket, message_id: int) -> Result:
    record.outcome, record.ticket, record.message_id = outcome, ticket, message_id
    record.save(update_fields=["outcome", "ticket", "message"])
    return Result(outcome, ticket)


def _record(record: InboundEmail, outcome: str, *, reason="", ticket=None) -> Result:
    record.outcome, record.reason, record.ticket = outcome, reason[:255], ticket
    record.dedupe_key = None
    record.save()
    return Result(outcome, ticket, reason)


def _queue_for(mailbox: Mailbox | None) -> Queue:
    queue = mailbox.queue if mailbox is not None else Queue.objects.default()
    if queue is None:
        raise ValidationError(_("No queue is set up to receive requests."))
    return queue


def _check_attachments(
    attachments: list[ParsedAttachment],
) -> tuple[list[SimpleUploadedFile], list[str]]:
    """The files the web form would accept, and why each other one was not."""
    accepted, refused = [], []
    for attachment in attachments:
        upload = SimpleUploadedFile(
            attachment.filename, attachment.data, attachment.content_type
        )
        if len(accepted) >= settings.ATTACHMENT_MAX_COUNT:
            refused.append(
                f"{attachment.filename}: more than the allowed number of files"
            )
            continue
        try:
            check_uploads([upload])
        except ValidationError as error:
            refused.append("; ".join(error.messages))
            continue
        accepted.append(upload)
    return accepted, refused


def email_details(parsed: ParsedEmail, received_at: datetime) -> dict:
    """The email's own details, kept on its message."""
    details = {
        "from": parsed.from_address,
        "from_name": parsed.from_name,
        "to": parsed.to,
        "cc": parsed.cc,
        "subject": parsed.subject,
        "message_id": parsed.message_id,
        "in_reply_to": parsed.in_reply_to,
        "references": parsed.references[-20:],
        "received_at": received_at.isoformat(),
    }
    if parsed.quoted:
        details["quoted"] = parsed.quoted
    if parsed.encoding_uncertain:
        details["encoding_uncertain"] = True
    return details


def _glance(raw: bytes) -> tuple[str, str]:
    """Sender and subject from the headers alone, for a message not parsed."""
    try:
        headers = BytesHeaderParser(policy=email.policy.default).parsebytes(
            raw[:GLANCE_BYTES]
        )
        sender = normalise_address(email.utils.parseaddr(str(headers["From"] or ""))[1])
        return sender, str(headers["Subject"] or "")
    except Exception:  # noqa: BLE001 - only a label for the administrator
        return "", ""


def quarantine(
    raw: bytes,
    *,
    mailbox: Mailbox | None,
    source: str,
    reason: str,
    parsed: ParsedEmail | None = None,
    ticket: Ticket | None = None,
    record: bool = True,
) -> Result:
    """Keep the raw message whole, with the reason, for an administrator."""
    sender, subject = (parsed.from_address, parsed.subject) if parsed else _glance(raw)
    with transaction.atomic():
        QuarantinedEmail.objects.create(
            mailbox=mailbox,
            source=source,
            reason=reason,
            raw=ContentFile(raw, name=f"{uuid.uuid4().hex}.eml"),
            size=len(raw),
            sender=sender[:255],
            subject=subject[:255],
            ticket=ticket,
        )
        if record:
            InboundEmail.objects.create(
                mailbox=mailbox,
                source=source,
                outcome=Outcome.QUARANTINED,
                reason=reason[:255],
                email_message_id=(parsed.message_id if parsed else "")[:255],
                sender=sender[:255],
                subject=subject[:255],
            )
    log.warning("Quarantined an email from %r: %s", sender, reason)
    return Result(Outcome.QUARANTINED, ticket, reason)
