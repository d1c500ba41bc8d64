"""Celery tasks of the email channel: thin, named for their effect."""

import logging
import time

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from helpdesk import background
from mail import polling
from mail.models import Mailbox

log = logging.getLogger(__name__)

# A poll reads until READ_SECONDS have passed, stops between two messages and
# starts again in a new task: a mailbox with thousands waiting takes turns
# with the others. The lock outlives the hard limit, so a killed worker's
# mailbox is read again only once it cannot still be reading.
READ_SECONDS = 120
POLL_SOFT_TIME_LIMIT = READ_SECONDS + 60
POLL_TIME_LIMIT = POLL_SOFT_TIME_LIMIT + 30
LOCK_SECONDS = POLL_TIME_LIMIT + 30
# Polls queued by the beat: one the workers did not start within this many
# seconds is dropped, since the next round asks again.
POLL_EXPIRES = 55


@shared_task(
    acks_late=True, soft_time_limit=POLL_SOFT_TIME_LIMIT, time_limit=POLL_TIME_LIMIT
)
def poll_mailbox(mailbox_id: int) -> int:
    """Read one mailbox unless another worker is reading it; return how many
    messages were taken in."""
    with polling.mailbox_lock(mailbox_id, LOCK_SECONDS) as mine:
        if not mine:
            return 0
        mailbox = Mailbox.objects.filter(pk=mailbox_id).select_related("queue").first()
        if mailbox is None or not mailbox.reads_imap:
            return 0
        try:
            result = polling.poll_mailbox(
                mailbox, stop_at=time.monotonic() + READ_SECONDS
            )
        except SoftTimeLimitExceeded:
            # Every message taken so far is recorded; the rest wait.
            log.warning("Mailbox %s: reading stopped at the time limit", mailbox_id)
            return 0
    if not result.finished and not result.error:
        background.start(poll_mailbox, mailbox_id)
    return result.taken


@shared_task(acks_late=True, soft_time_limit=30)
def poll_mailboxes() -> int:
    """Start a poll of each active IMAP mailbox, each in a task of its own so
    a slow or broken one never holds up another; return how many."""
    ids = list(
        Mailbox.objects.filter(is_active=True)
        .exclude(imap_host="")
        .values_list("pk", flat=True)
    )
    for mailbox_id in ids:
        try:
            poll_mailbox.apply_async((mailbox_id,), expires=POLL_EXPIRES)
        except Exception as error:  # noqa: BLE001 - any broker failure
            log.warning("Could not start polling mailbox %s (%r)", mailbox_id, error)
    return len(ids)
