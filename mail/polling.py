"""One poll of one mailbox, as the Celery task and the `poll_mailboxes`
command run it: read it (mail/imap.py), record how it went on the mailbox for
its admin page, and tell the queue's supervisors by email when it starts
failing and when it recovers, once each rather than every minute.

A mailbox counts as failing after `ALERT_AFTER_FAILURES` polls in a row went
wrong, so a server that drops one connection alarms nobody.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import send_mail
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mail import imap
from mail.models import Mailbox

log = logging.getLogger(__name__)

ALERT_AFTER_FAILURES = 3


@dataclass(frozen=True)
class Poll:
    """How one poll went: messages taken, whether the folder was emptied,
    and the error recorded on the mailbox if it failed."""

    taken: int = 0
    finished: bool = True
    error: str = ""


@contextmanager
def mailbox_lock(mailbox_id: int, seconds: int) -> Iterator[bool]:
    """Whether this process may read the mailbox now; nobody else may until
    the block ends (or `seconds` pass, if this process dies)."""
    key = f"mail:reading-mailbox:{mailbox_id}"
    acquired = cache.add(key, timezone.now().isoformat(), timeout=seconds)
    try:
        yield acquired
    finally:
        if acquired:
            cache.delete(key)


def poll_mailbox(
    mailbox: Mailbox,
    *,
    ingest: Callable | None = None,
    stop_at: float | None = None,
    now: datetime | None = None,
) -> Poll:
    """Read `mailbox` once and record the outcome on it; never raises for a
    broken server, a wrong password or a failing message."""
    with translation.override(settings.LANGUAGE_CODE):
        try:
            result = imap.read_mailbox(mailbox, ingest=ingest, stop_at=stop_at)
        except SoftTimeLimitExceeded:
            raise  # the task's time is up: not the mailbox's fault
        except (imap.MailboxError, imap.IngestFailed) as error:
            log.warning("Mailbox %s could not be read: %s", mailbox.pk, error)
            return _failed(mailbox, str(error), now or timezone.now())
        except Exception as error:  # noqa: BLE001 - the next mailbox still runs
            log.exception("Mailbox %s could not be read", mailbox.pk)
            text = _("Unexpected error: %(error)s") % {
                "error": error.__class__.__name__
            }
            return _failed(mailbox, text, now or timezone.now())
        _succeeded(mailbox, now or timezone.now())
        return Poll(result.taken, result.finished)


def _failed(mailbox: Mailbox, text: str, now: datetime) -> Poll:
    Mailbox.objects.filter(pk=mailbox.pk).update(
        failures=F("failures") + 1, last_error=text, last_error_at=now
    )
    mailbox.refresh_from_db(fields=["failures", "last_error", "last_error_at"])
    if mailbox.failures == ALERT_AFTER_FAILURES:
        send_alert(mailbox, recovered=False)
    return Poll(finished=False, error=text)


def _succeeded(mailbox: Mailbox, now: datetime) -> None:
    # Only the poller writes these, under the mailbox's lock.
    was_failing = (
        Mailbox.objects.filter(pk=mailbox.pk).values_list("failures", flat=True).first()
        or 0
    ) >= ALERT_AFTER_FAILURES
    Mailbox.objects.filter(pk=mailbox.pk).update(
        last_polled_at=now, failures=0, last_error="", last_error_at=None
    )
    mailbox.refresh_from_db(
        fields=["last_polled_at", "failures", "last_error", "last_error_at"]
    )
    if was_failing:
        send_alert(mailbox, recovered=True)


def alert_recipients(mailbox: Mailbox) -> list[str]:
    """The supervisors of the mailbox's queue; the administrators when the
    queue has none, so a failing mailbox never goes unnoticed."""
    supervisors = mailbox.queue.supervisors.filter(is_active=True).exclude(email="")
    if not supervisors.exists():
        supervisors = (
            get_user_model()
            .objects.filter(is_active=True, is_superuser=True)
            .exclude(email="")
        )
    return sorted(set(supervisors.values_list("email", flat=True)))


def send_alert(mailbox: Mailbox, *, recovered: bool) -> None:
    """Email the mailbox's supervisors that it fails, or reads again. A
    failure to send is logged: the admin page shows the state anyway."""
    recipients = alert_recipients(mailbox)
    if not recipients:
        return
    name = "mailbox_recovered" if recovered else "mailbox_failing"
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "mailbox": mailbox,
            "admin_url": settings.SITE_URL
            + reverse("admin:mail_mailbox_change", args=[mailbox.pk]),
        }
        subject = render_to_string(f"emails/{name}_subject.txt", context)
        text = render_to_string(f"emails/{name}_body.txt", context)
        html = render_to_string(f"emails/{name}_body.html", context)
    try:
        send_mail(
            " ".join(subject.split()),
            text,
            None,
            recipients,
            html_message=html,
        )
    except Exception:  # noqa: BLE001 - any mail server failure
        log.exception("Could not tell the supervisors about mailbox %s", mailbox.pk)
