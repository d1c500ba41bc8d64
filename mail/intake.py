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
import hashlib
import logging
import re
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.parser import BytesHeaderParser

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from customers.models import Customer
from helpdesk.channels import Channel
from tickets import emails
from tickets.models import Message, Queue, Ticket
from tickets.services import add_message, add_note
from tickets.services.customers import new_customer_for_request
from tickets.services.lifecycle import open_ticket_with_message
from tickets.uploads import check_uploads

from . import bounces
from .addresses import address_variants, normalise_address
from .automatic import automatic_reason
from .models import InboundEmail, Mailbox, QuarantinedEmail
from .parsing import ParsedAttachment, ParsedEmail, UnreadableEmail, parse_email
from .threading import Thread, find_thread

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


def content_hash(parsed: ParsedEmail) -> str:
    """What makes two copies of a message without a Message-ID the same."""
    digest = hashlib.sha256()
    for part in (parsed.from_address, parsed.subject, parsed.text):
        digest.update(part.encode("utf-8", "replace") + b"\0")
    return digest.hexdigest()


def find_duplicate(parsed: ParsedEmail, digest: str) -> InboundEmail | None:
    """The earlier copy of this message that was taken in, if any."""
    # Nearly every message is new: fetch no more than the key to its ticket,
    # which a duplicate then loads.
    if parsed.message_id:
        key = f"mid:{parsed.message_id}"[:300]
        return InboundEmail.objects.filter(dedupe_key=key).only("ticket").first()
    window = timezone.now() - timedelta(hours=settings.EMAIL_DUPLICATE_WINDOW_HOURS)
    return (
        InboundEmail.objects.filter(
            sender=parsed.from_address[:255],
            content_hash=digest,
            created_at__gte=window,
            outcome__in=[Outcome.CREATED, Outcome.THREADED],
        )
        .only("ticket")
        .first()
    )


# (monotonic time read, addresses): see own_addresses.
_own: tuple[float, frozenset[str]] | None = None


def own_addresses() -> frozenset[str]:
    """Our addresses: mail from them is our own, come back.

    Kept in the process for EMAIL_OWN_ADDRESSES_CACHE_SECONDS, like the SLA
    policies: every message asks, and mailboxes are rarely added."""
    global _own
    ttl = settings.EMAIL_OWN_ADDRESSES_CACHE_SECONDS
    if _own is None or ttl <= 0 or time.monotonic() - _own[0] >= ttl:
        addresses = set(Mailbox.objects.values_list("email_address", flat=True))
        addresses |= {settings.DEFAULT_FROM_EMAIL, settings.SERVER_EMAIL}
        _own = (
            time.monotonic(),
            frozenset(normalise_address(a) for a in addresses if a),
        )
    return _own[1]


def forget_own_addresses() -> None:
    """Drop this process's copy of our addresses (a mailbox was saved here)."""
    global _own
    _own = None


def over_sender_cap(sender: str) -> bool:
    return _taken_from(sender).count() >= settings.EMAIL_SENDER_HOURLY_CAP


def _taken_from(sender: str):
    since = timezone.now() - timedelta(hours=1)
    return InboundEmail.objects.filter(
        sender=sender[:255],
        created_at__gte=since,
        outcome__in=[Outcome.CREATED, Outcome.THREADED],
    )


def look_back(parsed: ParsedEmail, digest: str) -> tuple[InboundEmail | None, int]:
    """`find_duplicate` and how many messages the sender had taken in this
    last hour (counted up to the cap), in one round trip: every message
    asks both, and nearly every message is new."""
    cap = settings.EMAIL_SENDER_HOURLY_CAP
    taken = _taken_from(parsed.from_address).values("pk")[: max(cap, 1)]
    taken_sql, taken_params = taken.query.sql_with_params()
    if parsed.message_id:
        earlier = InboundEmail.objects.filter(
            dedupe_key=f"mid:{parsed.message_id}"[:300]
        )
    else:
        window = timezone.now() - timedelta(hours=settings.EMAIL_DUPLICATE_WINDOW_HOURS)
        earlier = InboundEmail.objects.filter(
            sender=parsed.from_address[:255],
            content_hash=digest,
            created_at__gte=window,
            outcome__in=[Outcome.CREATED, Outcome.THREADED],
        )
    earlier_sql, earlier_params = earlier.values("pk")[:1].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT ({earlier_sql}), (SELECT count(*) FROM ({taken_sql}) AS taken)",
            (*earlier_params, *taken_params),
        )
        earlier_pk, count = cursor.fetchone()
    if earlier_pk is None:
        return None, count
    return InboundEmail.objects.only("ticket").get(pk=earlier_pk), count


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


def customer_for_sender(parsed: ParsedEmail) -> Customer:
    """The customer with the sender's address (in any of its spellings), or a
    new one named as their mail program names them."""
    variants = sorted(address_variants(parsed.from_address))
    # All spellings in one index lookup, with the tier the SLA policy needs.
    found = {
        customer.email.lower(): customer
        for customer in Customer.objects.alias(email_lower=Lower("email"))
        .filter(email_lower__in=variants)
        .exclude(email="")
        .select_related("tier")
    }
    for variant in variants:
        if variant in found:
            return found[variant]
    if found:  # a spelling PostgreSQL lower-cases as Python does not
        return next(iter(found.values()))
    name = " ".join(parsed.from_name.split()) or parsed.from_address.split("@")[0]
    return new_customer_for_request(
        name=name[:200],
        email=parsed.from_address,
        phone="",
        language=guess_language(f"{parsed.subject} {parsed.text[:2000]}"),
        channel=Channel.EMAIL,
    )


def guess_language(text: str) -> str:
    """Arabic when Arabic letters outnumber Latin ones."""
    arabic = sum(1 for c in text if "\u0600" <= c <= "\u06ff")
    latin = sum(1 for c in text if c.isascii() and c.isalpha())
    return (
        Customer.Language.ARABIC
        if arabic >= latin and arabic
        else Customer.Language.ENGLISH
    )


# Reply and forward prefixes, English and Arabic, as mail programs add them.
REPLY_PREFIX = re.compile(
    r"^\s*((re|fw|fwd|aw|tr|رد|الرد|إعادة توجيه|اعادة توجيه|توجيه)"
    r"\s*(\[\d+\])?\s*[:：]\s*)+",
    re.IGNORECASE,
)


def ticket_subject(parsed: ParsedEmail, related: Ticket | None = None) -> str:
    """The new ticket's subject: the email's, without reply prefixes and
    without the number of a ticket it may not join."""
    subject = parsed.subject
    if related is not None:
        subject = re.sub(
            rf"\[?{re.escape(related.number)}\]?", "", subject, flags=re.IGNORECASE
        )
    subject = REPLY_PREFIX.sub("", " ".join(subject.split())).strip()
    if not subject:
        first_line = next(
            (line for line in parsed.text.splitlines() if line.strip()), ""
        )
        subject = first_line.strip()[:80] or _("(no subject)")
    return subject[:250]


def link_related(ticket: Ticket, thread: Thread) -> None:
    """Show the agent the ticket a new ticket's email referred to, and why it
    was not added there; a closed ticket also learns of its follow-up."""
    related = thread.related
    if related is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        if thread.refused == "closed":
            add_note(
                ticket,
                body_text=_("Follow-up of %(number)s, which is closed.")
                % {"number": related.number},
                by=None,
            )
            add_note(
                related,
                body_text=_("The customer wrote again after closure: %(number)s.")
                % {"number": ticket.number},
                by=None,
            )
        else:
            add_note(
                ticket,
                body_text=_(
                    "This email referred to %(number)s, a ticket of another "
                    "customer; it was not added there."
                )
                % {"number": related.number},
                by=None,
            )


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
