"""Every message of the corpus through the whole intake: what becomes of it,
and that nothing automatic is answered and nothing unreadable is lost."""

import pytest
import time_machine

from mail.intake import ingest
from mail.models import InboundEmail, Mailbox, QuarantinedEmail
from tickets.models import Attachment, CustomerEmail, Ticket

from .corpus_messages import AN_HOUR_LATER, CORPUS, RECEIVED, raw

pytestmark = pytest.mark.django_db
Outcome = InboundEmail.Outcome
FILES = sorted(path.name for path in CORPUS.glob("*.eml"))


def expected(name: str) -> str:
    if name.startswith("auto-") or name == "bounce-dsn-delayed.eml":
        return Outcome.AUTOMATIC
    if name.startswith("bounce-"):
        return Outcome.BOUNCE
    if name == "unreadable-binary.eml":
        return Outcome.QUARANTINED
    return Outcome.CREATED


@pytest.fixture
def mailbox(queue):
    return Mailbox.objects.create(
        name="Support", email_address="support@helpdesk.example", queue=queue
    )


@pytest.mark.parametrize("name", FILES)
def test_each_corpus_message_comes_to_what_it_should(name, mailbox):
    with time_machine.travel(AN_HOUR_LATER, tick=False):
        result = ingest(raw(name), mailbox=mailbox, source="command")

    assert result.outcome == expected(name), result.describe()
    if result.outcome == Outcome.CREATED:
        ticket = result.ticket
        assert ticket.received_at == RECEIVED
        assert ticket.subject.strip()
        assert CustomerEmail.objects.filter(ticket=ticket).count() == 1
    else:
        assert not Ticket.objects.exists()
        assert not CustomerEmail.objects.exists()
    if result.outcome == Outcome.QUARANTINED:
        assert QuarantinedEmail.objects.get().raw.read() == raw(name)


def test_a_deeply_nested_message_opens_its_ticket_and_is_kept_whole(mailbox):
    with time_machine.travel(AN_HOUR_LATER, tick=False):
        result = ingest(raw("nested-deep.eml"), mailbox=mailbox, source="command")

    assert result.outcome == Outcome.CREATED
    kept = QuarantinedEmail.objects.get()
    assert kept.ticket == result.ticket
    assert kept.raw.read() == raw("nested-deep.eml")


def test_attachments_are_stored_under_safe_names_and_checked_like_uploads(mailbox):
    with time_machine.travel(AN_HOUR_LATER, tick=False):
        ingest(raw("attachment-dangerous-names.eml"), mailbox=mailbox, source="command")

    names = list(Attachment.objects.values_list("original_name", flat=True))
    assert names
    for name in names:
        assert "/" not in name and "\\" not in name
        assert not name.startswith(".")
        assert not any(c in name for c in "\u202e\u200b\u200d\ufeff")


def test_an_arabic_reply_is_stored_with_its_history_folded(mailbox):
    with time_machine.travel(AN_HOUR_LATER, tick=False):
        result = ingest(
            raw("reply-ar-gmail-utf8.eml"), mailbox=mailbox, source="command"
        )

    message = result.ticket.messages.get()
    assert message.details["quoted"]
    assert message.details["quoted"] not in message.body_text


def test_a_mislabelled_charset_is_flagged_on_the_message(mailbox, agent_client, agent):
    mailbox.queue.agents.add(agent)
    with time_machine.travel(AN_HOUR_LATER, tick=False):
        result = ingest(
            raw("plain-ar-mislabelled-latin1.eml"), mailbox=mailbox, source="command"
        )
        page = agent_client.get(result.ticket.get_absolute_url()).content.decode()

    assert result.ticket.messages.get().details["encoding_uncertain"] is True
    assert 'data-testid="encoding-uncertain"' in page
