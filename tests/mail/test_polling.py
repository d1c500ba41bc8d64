"""A poll records how reading went on the mailbox, and tells the queue's
supervisors once when it starts failing and once when it recovers."""

import pytest
from django.core.management import call_command

from mail import polling, secrets, tasks
from mail.models import Mailbox
from tickets.models import Ticket

from ..imap_server import PASSWORD, Intake, make_mailbox
from .builders import raw_email

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailbox(mail_key, queue, dovecot, imap_user):
    return make_mailbox(queue, dovecot, imap_user)


def test_a_wrong_password_is_recorded_and_supervisors_hear_once_then_once_again(
    mailbox,
    supervisor,
    mailoutbox,
    dovecot,
    imap_user,
):
    secrets.set_password(mailbox, "hunter2-wrong")
    mailbox.save()

    polls = [polling.poll_mailbox(mailbox) for _ in range(5)]

    assert all(poll.error for poll in polls)
    mailbox.refresh_from_db()
    assert mailbox.failures == 5
    assert "refused the user name or password" in mailbox.last_error
    assert "hunter2" not in mailbox.last_error
    assert mailbox.last_error_at is not None
    assert mailbox.last_polled_at is None
    [failing] = mailoutbox
    assert failing.to == [supervisor.email]
    assert mailbox.email_address in failing.subject
    assert "could not read the mailbox" in failing.body
    assert "could not read the mailbox" in failing.alternatives[0][0]
    assert "hunter2" not in failing.body

    secrets.set_password(mailbox, PASSWORD)
    mailbox.save()
    dovecot.deliver(imap_user, raw_email(subject="Waited"))
    polling.poll_mailbox(mailbox, ingest=Intake())
    polling.poll_mailbox(mailbox, ingest=Intake())

    mailbox.refresh_from_db()
    assert (mailbox.failures, mailbox.last_error) == (0, "")
    assert mailbox.last_error_at is None
    assert mailbox.last_polled_at is not None
    assert len(mailoutbox) == 2
    recovered = mailoutbox[1]
    assert recovered.to == [supervisor.email]
    assert "reads the mailbox" in recovered.body
    assert "reads the mailbox" in recovered.alternatives[0][0]


def test_one_failed_poll_alarms_nobody(mailbox, supervisor, mailoutbox):
    secrets.set_password(mailbox, "wrong")
    mailbox.save()
    polling.poll_mailbox(mailbox)

    secrets.set_password(mailbox, PASSWORD)
    mailbox.save()
    polling.poll_mailbox(mailbox, ingest=Intake())

    assert mailoutbox == []


def test_the_alert_is_in_the_departments_language(
    mailbox, supervisor, mailoutbox, settings
):
    settings.LANGUAGE_CODE = "ar"
    mailbox.imap_secret_env = "HELPDESK_TEST_UNSET_PASSWORD"
    mailbox.save()

    for _ in range(polling.ALERT_AFTER_FAILURES):
        polling.poll_mailbox(mailbox)

    [alert] = mailoutbox
    assert "صندوق البريد" in alert.subject
    mailbox.refresh_from_db()
    assert "HELPDESK_TEST_UNSET_PASSWORD" in mailbox.last_error


def test_a_mail_server_that_refuses_the_alert_does_not_stop_the_poll(
    mailbox, supervisor, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9
    mailbox.imap_secret_env = "HELPDESK_TEST_UNSET_PASSWORD"
    mailbox.save()

    for _ in range(polling.ALERT_AFTER_FAILURES):
        poll = polling.poll_mailbox(mailbox)

    assert poll.error
    assert Mailbox.objects.get(pk=mailbox.pk).failures == polling.ALERT_AFTER_FAILURES


def test_an_unexpected_error_is_recorded_not_raised(mailbox, monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(polling.imap, "read_mailbox", broken)

    poll = polling.poll_mailbox(mailbox)

    assert "ZeroDivisionError" in poll.error
    assert Mailbox.objects.get(pk=mailbox.pk).failures == 1


def test_one_broken_mailbox_does_not_stop_another_being_read(
    mail_key,
    queue,
    dovecot,
):
    broken = make_mailbox(queue, dovecot, "broken")
    broken.imap_port = 1
    broken.save()
    good = make_mailbox(queue, dovecot, "good")
    dovecot.deliver("good", raw_email(subject="Please help"))

    assert tasks.poll_mailboxes() == 2

    assert Ticket.objects.get().subject == "Please help"
    assert Mailbox.objects.get(pk=broken.pk).failures == 1
    assert Mailbox.objects.get(pk=good.pk).last_polled_at is not None


def test_a_mailbox_another_worker_is_reading_is_left_alone(
    mailbox,
    dovecot,
    imap_user,
):
    dovecot.deliver(imap_user, raw_email(subject="Please help"))

    with polling.mailbox_lock(mailbox.pk, 60):
        assert tasks.poll_mailbox(mailbox.pk) == 0
    assert tasks.poll_mailbox(mailbox.pk) == 1


def test_a_long_folder_is_read_in_turns(
    mailbox,
    dovecot,
    imap_user,
    monkeypatch,
):
    dovecot.deliver(
        imap_user,
        *(raw_email(subject=f"n{n}", message_id=f"<n{n}@x>") for n in range(3)),
    )
    monkeypatch.setattr(tasks, "READ_SECONDS", -1)

    # Each turn takes one message, then starts the next turn (at once, as
    # Celery runs eagerly in the tests).
    assert tasks.poll_mailbox(mailbox.pk) == 1

    assert Ticket.objects.count() == 3
    assert Mailbox.objects.get(pk=mailbox.pk).last_polled_at is not None


def test_the_command_reads_one_mailbox_and_says_what_came_of_it(
    mailbox,
    dovecot,
    imap_user,
    capsys,
):
    dovecot.deliver(imap_user, raw_email(subject="Please help"))

    call_command("poll_mailboxes", mailbox=mailbox.pk)

    assert "1 message(s) taken in" in capsys.readouterr().out
    assert Ticket.objects.get().subject == "Please help"
