"""The beat's poll through a real Celery worker and Redis: mail waiting in
Dovecot becomes a ticket."""

import pytest

from mail.models import Mailbox
from mail.tasks import poll_mailboxes
from tickets.models import Ticket

from ..imap_server import PASSWORD
from ..markers import requires_postgres, requires_redis
from ..worker import running_worker, wait_for
from .builders import raw_email


@requires_redis
@requires_postgres("a worker process shares the test database over the network")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_reads_each_mailbox_into_tickets(
    queue,
    dovecot,
    imap_user,
    monkeypatch,
):
    monkeypatch.setenv("HELPDESK_TEST_IMAP_PASSWORD", PASSWORD)
    mailbox = Mailbox.objects.create(
        name="Support",
        email_address="support@example.org",
        queue=queue,
        imap_host="127.0.0.1",
        imap_port=dovecot.port,
        imap_security=Mailbox.Security.NONE,
        imap_user=imap_user,
        imap_secret_env="HELPDESK_TEST_IMAP_PASSWORD",
    )
    dovecot.deliver(imap_user, raw_email(subject="Sent to the worker"))

    with running_worker() as worker_queue:
        poll_mailboxes.apply_async(queue=worker_queue)
        ticket = wait_for(lambda: Ticket.objects.filter(queue=queue).first())

    assert ticket.subject == "Sent to the worker"
    mailbox.refresh_from_db()
    assert mailbox.last_polled_at is not None
    assert mailbox.failures == 0
