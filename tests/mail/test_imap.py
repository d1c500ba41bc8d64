"""Reading a mailbox from a real Dovecot: order, acknowledgement, restarts,
renumbered folders, secured connections, and mail that becomes tickets."""

import imaplib

import pytest
from django.utils import translation

from mail import imap, secrets
from mail.models import InboundEmail, Mailbox, QuarantinedEmail
from tickets.models import Ticket

from ..imap_server import Intake, free_port, make_mailbox
from .builders import raw_email

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    # Errors come in the active language; another test may leave Arabic on.
    with translation.override("en"):
        yield


def messages(*subjects: str) -> list[bytes]:
    return [
        raw_email(subject=subject, message_id=f"<{subject}@mail.example.com>")
        for subject in subjects
    ]


def folder_state(server, user, folder="INBOX") -> dict[str, list[int]]:
    connection = server.connect(user)
    try:
        connection.select(imap.folder_name(folder))
        found = {}
        for criterion in ("ALL", "SEEN", "UNSEEN"):
            _status, data = connection.uid("SEARCH", criterion)
            found[criterion] = [int(uid) for uid in data[0].split()]
        return found
    finally:
        connection.logout()


@pytest.fixture
def mailbox(mail_key, queue, dovecot, imap_user):
    return make_mailbox(queue, dovecot, imap_user)


def test_new_mail_goes_to_intake_in_order_and_is_marked_read(
    mailbox,
    dovecot,
    imap_user,
):
    dovecot.deliver(imap_user, *messages("first", "second", "third"))
    intake = Intake()

    result = imap.read_mailbox(mailbox, ingest=intake, batch_size=2)

    assert intake.subjects == ["first", "second", "third"]
    assert result == imap.ReadResult(taken=3, finished=True)
    assert folder_state(dovecot, imap_user)["UNSEEN"] == []
    mailbox.refresh_from_db()
    assert mailbox.last_uid == 3
    assert mailbox.uidvalidity


def test_a_second_poll_reads_only_what_arrived_since(
    mailbox,
    dovecot,
    imap_user,
):
    dovecot.deliver(imap_user, *messages("first", "second"))
    imap.read_mailbox(mailbox, ingest=Intake())
    intake = Intake()

    imap.read_mailbox(mailbox, ingest=intake)
    dovecot.deliver(imap_user, *messages("third"))
    imap.read_mailbox(mailbox, ingest=intake)

    assert intake.subjects == ["third"]


def test_a_message_someone_read_in_webmail_after_a_renumbering_is_not_taken_again(
    mailbox,
    dovecot,
    imap_user,
):
    dovecot.deliver(imap_user, *messages("first", "second"))
    imap.read_mailbox(mailbox, ingest=Intake())
    old_validity = Mailbox.objects.get(pk=mailbox.pk).uidvalidity

    dovecot.renumber(imap_user)
    dovecot.deliver(imap_user, *messages("after the move"))
    intake = Intake()
    imap.read_mailbox(mailbox, ingest=intake)

    imap.read_mailbox(Mailbox.objects.get(pk=mailbox.pk), ingest=intake)

    # Numbering started again from 1: only the unread message is taken.
    assert intake.subjects == ["after the move"]
    assert Mailbox.objects.get(pk=mailbox.pk).uidvalidity != old_validity


def test_after_a_crash_mid_batch_a_new_poller_reads_nothing_already_taken(
    mailbox,
    dovecot,
    imap_user,
):
    class WorkerKilled(BaseException):
        pass

    dovecot.deliver(imap_user, *messages("one", "two", "three", "four", "five"))
    crashing = Intake(fail_on={"three"}, error=WorkerKilled)
    with pytest.raises(WorkerKilled):
        imap.read_mailbox(mailbox, ingest=crashing, batch_size=4)

    intake = Intake()
    imap.read_mailbox(Mailbox.objects.get(pk=mailbox.pk), ingest=intake)

    assert crashing.subjects == ["one", "two"]
    assert intake.subjects == ["three", "four", "five"]


def test_taken_mail_is_moved_to_the_processed_folder(
    mail_key,
    queue,
    dovecot,
    imap_user,
):
    dovecot.deliver(imap_user, *messages("one", "two"))
    dovecot.deliver(imap_user, folder="Taken")
    mailbox = make_mailbox(queue, dovecot, imap_user, processed_folder="Taken")
    intake = Intake()

    imap.read_mailbox(mailbox, ingest=intake)
    imap.read_mailbox(mailbox, ingest=intake)

    assert intake.subjects == ["one", "two"]
    assert folder_state(dovecot, imap_user)["ALL"] == []
    assert len(folder_state(dovecot, imap_user, "Taken")["ALL"]) == 2


def test_without_the_move_command_mail_is_copied_then_expunged(
    mail_key,
    queue,
    dovecot,
    imap_user,
    monkeypatch,
):
    monkeypatch.setattr(imap, "_has_capability", lambda connection, name: False)
    dovecot.deliver(imap_user, *messages("one", "two"))
    dovecot.deliver(imap_user, folder="Taken")
    mailbox = make_mailbox(queue, dovecot, imap_user, processed_folder="Taken")

    imap.read_mailbox(mailbox, ingest=Intake())

    assert folder_state(dovecot, imap_user)["ALL"] == []
    assert len(folder_state(dovecot, imap_user, "Taken")["ALL"]) == 2


def test_a_missing_processed_folder_stops_before_anything_is_taken(
    mail_key,
    queue,
    dovecot,
    imap_user,
):
    dovecot.deliver(imap_user, *messages("one"))
    mailbox = make_mailbox(queue, dovecot, imap_user, processed_folder="Nowhere")
    intake = Intake()

    with pytest.raises(imap.MailboxError, match="Nowhere"):
        imap.read_mailbox(mailbox, ingest=intake)

    assert intake.subjects == []
    assert folder_state(dovecot, imap_user)["UNSEEN"] == [1]


def test_an_arabic_folder_name_is_read(
    mail_key,
    queue,
    dovecot,
    imap_user,
):
    dovecot.deliver(
        imap_user, *messages("in the folder"), folder=imap.folder_name("الدعم & co")
    )
    mailbox = make_mailbox(queue, dovecot, imap_user, imap_folder="الدعم & co")
    intake = Intake()

    imap.read_mailbox(mailbox, ingest=intake)

    assert intake.subjects == ["in the folder"]


def test_a_message_intake_fails_on_is_retried_then_quarantined_whole(
    mailbox,
    dovecot,
    imap_user,
):
    dovecot.deliver(imap_user, *messages("good", "poison", "after"))
    intake = Intake(fail_on={"poison"})

    for _attempt in range(imap.INGEST_ATTEMPTS - 1):
        with pytest.raises(imap.IngestFailed, match="UID 2"):
            imap.read_mailbox(mailbox, ingest=intake)
    assert folder_state(dovecot, imap_user)["UNSEEN"] == [2, 3]
    imap.read_mailbox(mailbox, ingest=intake)

    assert intake.subjects == ["good", "after"]
    kept = QuarantinedEmail.objects.get()
    assert kept.mailbox == mailbox
    assert "intake failed 3 times" in kept.reason
    assert b"Subject: poison" in kept.raw.read()
    assert folder_state(dovecot, imap_user)["UNSEEN"] == []


@pytest.mark.parametrize(
    "security", [Mailbox.Security.STARTTLS, Mailbox.Security.SSL], ids=str
)
def test_a_secured_connection_checks_the_servers_certificate(
    mail_key,
    queue,
    dovecot,
    imap_user,
    monkeypatch,
    security,
):
    dovecot.deliver(imap_user, *messages("secret plans"))
    port = dovecot.ssl_port if security == Mailbox.Security.SSL else dovecot.port
    mailbox = make_mailbox(
        queue, dovecot, imap_user, imap_security=security, imap_port=port
    )
    mailbox.imap_host = "localhost"

    with pytest.raises(imap.MailboxError, match="CERTIFICATE_VERIFY_FAILED"):
        imap.read_mailbox(mailbox, ingest=Intake())
    monkeypatch.setenv("SSL_CERT_FILE", str(dovecot.cert_path))
    intake = Intake()
    imap.read_mailbox(mailbox, ingest=intake)

    assert intake.subjects == ["secret plans"]


def test_a_wrong_password_is_reported_without_the_password(
    mail_key,
    queue,
    dovecot,
    imap_user,
):
    mailbox = make_mailbox(queue, dovecot, imap_user)
    secrets.set_password(mailbox, "hunter2-wrong")

    with pytest.raises(imap.MailboxError) as raised:
        imap.read_mailbox(mailbox, ingest=Intake())

    assert "refused the user name or password" in str(raised.value)
    assert "hunter2" not in str(raised.value)


def test_a_server_that_does_not_answer_is_a_mailbox_error(mail_key, queue):
    mailbox = Mailbox.objects.create(
        name="Nowhere",
        email_address="nowhere@example.org",
        queue=queue,
        imap_host="127.0.0.1",
        imap_port=free_port(),
        imap_security=Mailbox.Security.NONE,
        imap_user="nobody",
        imap_secret_env="HOME",
    )

    with pytest.raises(imap.MailboxError, match="Could not connect to 127.0.0.1"):
        imap.read_mailbox(mailbox, ingest=Intake(), timeout=2)


def test_an_email_in_the_mailbox_becomes_a_ticket_in_its_queue(
    mailbox,
    queue,
    dovecot,
    imap_user,
):
    dovecot.deliver(
        imap_user,
        raw_email(
            sender="Layla <layla@example.com>",
            subject="لم يصل الطرد",
            body="طلبت الطرد قبل أسبوعين.",
        ),
    )

    imap.read_mailbox(mailbox)
    imap.read_mailbox(mailbox)

    ticket = Ticket.objects.get()
    assert ticket.subject == "لم يصل الطرد"
    assert ticket.queue == queue
    assert ticket.customer.email == "layla@example.com"
    record = InboundEmail.objects.get()
    assert (record.source, record.mailbox) == (InboundEmail.Source.IMAP, mailbox)


def test_a_message_read_twice_after_a_crash_is_stored_once(
    mailbox,
    dovecot,
    imap_user,
    monkeypatch,
):
    dovecot.deliver(imap_user, raw_email(subject="Once only"))

    def crash(connection, mailbox, uid):
        raise imaplib.IMAP4.abort("connection lost before the flag was set")

    with monkeypatch.context() as patch:
        patch.setattr(imap, "acknowledge", crash)
        with pytest.raises(imap.MailboxError, match="connection lost"):
            imap.read_mailbox(mailbox)
    imap.read_mailbox(Mailbox.objects.get(pk=mailbox.pk))

    assert Ticket.objects.count() == 1
    assert list(
        InboundEmail.objects.order_by("pk").values_list("outcome", flat=True)
    ) == [InboundEmail.Outcome.CREATED, InboundEmail.Outcome.DUPLICATE]
    assert folder_state(dovecot, imap_user)["UNSEEN"] == []
