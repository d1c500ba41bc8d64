"""Reading one mailbox over IMAP and handing each new message to intake.

Each message is acknowledged to the server (flagged \\Seen, or moved to the
mailbox's "taken" folder) only after `intake.ingest` has returned, which is
after its transaction committed; then the mailbox's `last_uid` moves past it.
A crash between the two reads the message again next time, and intake's
duplicate check stores it once: at least once to intake, exactly once in
effect. Nothing acknowledged is read again: when marking read, reading asks
only for unseen messages, and moved ones are gone. `last_uid` (saved after
each batch and wherever reading stops) narrows the search to what is new.

When the server renumbers the folder (a new UIDVALIDITY, after a restore or a
migration), `last_uid` starts again from 0: the messages still in the folder
and not yet flagged \\Seen (or, with a "taken" folder, all still there) are
read again, and the duplicate check stops a second copy of any already stored.

Bodies are fetched a batch at a time (at most `BATCH_SIZE` messages and about
`BATCH_BYTES`), so a folder of any size never sits in memory at once.
"""

from __future__ import annotations

import base64
import contextlib
import imaplib
import logging
import re
import ssl
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import gettext as _

from mail import intake, secrets
from mail.models import InboundEmail, Mailbox

log = logging.getLogger(__name__)

BATCH_SIZE = 50
BATCH_BYTES = 25 * 1024 * 1024
# Seconds to connect, and for each command to answer.
TIMEOUT = 30
# A message that makes intake fail this many polls running is kept whole in
# the quarantine, so one message cannot stop its mailbox for good.
INGEST_ATTEMPTS = 3

_UID = re.compile(rb"UID (\d+)")
_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")


class MailboxError(Exception):
    """Connecting, signing in or opening a folder failed; the message is
    written for the mailbox's admin page and never holds the password."""


class IngestFailed(Exception):
    """Intake raised on a message: reading stopped before it, to try again."""


@dataclass(frozen=True)
class ReadResult:
    taken: int
    finished: bool  # False when reading stopped with messages still waiting


def _server_text(error: BaseException) -> str:
    # imaplib's errors carry the server's answer as bytes.
    if error.args and isinstance(error.args[0], bytes):
        return error.args[0].decode("utf-8", "replace")
    return str(error) or error.__class__.__name__


def _redact(text: str, secret: str) -> str:
    return text.replace(secret, "********") if secret else text


def folder_name(folder: str) -> str:
    """`folder` quoted for an IMAP command, in IMAP's modified UTF-7 (RFC
    3501 5.1.3), so Arabic folder names work too."""
    encoded, pending = [], []

    def flush():
        if pending:
            utf16 = "".join(pending).encode("utf-16-be")
            b64 = base64.b64encode(utf16).decode("ascii").rstrip("=")
            encoded.append("&" + b64.replace("/", ",") + "-")
            pending.clear()

    for char in folder:
        if 0x20 <= ord(char) <= 0x7E:
            flush()
            encoded.append("&-" if char == "&" else char)
        else:
            pending.append(char)
    flush()
    quoted = "".join(encoded).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{quoted}"'


def connect(mailbox: Mailbox, *, timeout: float = TIMEOUT) -> imaplib.IMAP4:
    """A connection signed in to `mailbox`'s server, secured as configured."""
    try:
        secret = secrets.password(mailbox)
    except secrets.PasswordUnavailable as error:
        raise MailboxError(str(error)) from None
    host, port = mailbox.imap_host, mailbox.imap_port
    try:
        if mailbox.imap_security == Mailbox.Security.SSL:
            connection = imaplib.IMAP4_SSL(
                host, port, ssl_context=ssl.create_default_context(), timeout=timeout
            )
        else:
            connection = imaplib.IMAP4(host, port, timeout=timeout)
            if mailbox.imap_security == Mailbox.Security.STARTTLS:
                connection.starttls(ssl_context=ssl.create_default_context())
    except (OSError, imaplib.IMAP4.error) as error:
        raise MailboxError(
            _("Could not connect to %(server)s: %(error)s")
            % {"server": f"{host}:{port}", "error": _server_text(error)}
        ) from None
    try:
        if secret.isascii():
            connection.login(mailbox.imap_user, secret)
        else:
            # LOGIN takes ASCII only; SASL PLAIN carries UTF-8 (RFC 4616).
            credentials = f"\0{mailbox.imap_user}\0{secret}".encode()
            connection.authenticate("PLAIN", lambda _challenge: credentials)
    except (OSError, imaplib.IMAP4.error) as error:
        _close(connection)
        raise MailboxError(
            _("The server refused the user name or password: %(error)s")
            % {"error": _redact(_server_text(error), secret)}
        ) from None
    return connection


def _close(connection: imaplib.IMAP4) -> None:
    with contextlib.suppress(OSError, imaplib.IMAP4.error):
        connection.logout()


def _check(status: str, data, message: str) -> None:
    if status != "OK":
        detail = data[-1] if data else b""
        raise MailboxError(f"{message}: {_server_text(imaplib.IMAP4.error(detail))}")


def _open_folder(connection: imaplib.IMAP4, mailbox: Mailbox) -> int:
    """Select the folder and return its UIDVALIDITY."""
    folder = mailbox.imap_folder
    status, data = connection.select(folder_name(folder))
    message = _("The folder %(folder)s could not be opened") % {"folder": folder}
    _check(status, data, message)
    _code, values = connection.response("UIDVALIDITY")
    if not values or values[-1] is None:
        raise MailboxError(_("The server gave the folder no UIDVALIDITY."))
    if mailbox.processed_folder:
        status, data = connection.status(
            folder_name(mailbox.processed_folder), "(MESSAGES)"
        )
        _check(
            status,
            data,
            _("The folder %(folder)s for taken mail could not be found")
            % {"folder": mailbox.processed_folder},
        )
    return int(values[-1])


def _waiting_uids(connection: imaplib.IMAP4, mailbox: Mailbox) -> list[int]:
    criteria = f"UID {mailbox.last_uid + 1}:*"
    if not mailbox.processed_folder:
        criteria += " UNSEEN"
    status, data = connection.uid("SEARCH", criteria)
    _check(status, data, _("The server refused to search the folder"))
    # "n:*" always matches the newest message, even one below n.
    return sorted(
        uid
        for uid in (int(word) for word in b" ".join(data or []).split())
        if uid > mailbox.last_uid
    )


def _fetch(connection: imaplib.IMAP4, uids: list[int], item: str) -> Iterator:
    status, data = connection.uid("FETCH", ",".join(map(str, uids)), f"(UID {item})")
    _check(status, data, _("The server refused to send the messages"))
    for part in data:
        if isinstance(part, tuple):
            yield part
        elif part and part != b")":
            yield (part, None)


def _batches(connection: imaplib.IMAP4, uids: list[int], size: int) -> Iterator:
    """The waiting UIDs in groups of at most `size` messages and about
    BATCH_BYTES (a larger message goes alone)."""
    for start in range(0, len(uids), size):
        chunk = uids[start : start + size]
        sizes = {}
        for header, _body in _fetch(connection, chunk, "RFC822.SIZE"):
            uid, length = _UID.search(header), _SIZE.search(header)
            if uid and length:
                sizes[int(uid.group(1))] = int(length.group(1))
        group, group_bytes = [], 0
        for uid in chunk:
            length = sizes.get(uid, 0)
            if group and group_bytes + length > BATCH_BYTES:
                yield group
                group, group_bytes = [], 0
            group.append(uid)
            group_bytes += length
        if group:
            yield group


def _has_capability(connection: imaplib.IMAP4, name: str) -> bool:
    # Servers announce more once signed in (MOVE, UIDPLUS): ask afresh.
    if not hasattr(connection, "_helpdesk_capabilities"):
        status, data = connection.capability()
        words = b" ".join(data or []).decode("ascii", "replace").upper().split()
        connection._helpdesk_capabilities = set(words) if status == "OK" else set()
    return name in connection._helpdesk_capabilities


def acknowledge(connection: imaplib.IMAP4, mailbox: Mailbox, uid: int) -> None:
    """Tell the server `uid` was taken: move it to the "taken" folder, or
    flag it \\Seen."""
    target = mailbox.processed_folder
    if not target:
        status, data = connection.uid("STORE", str(uid), "+FLAGS.SILENT", r"(\Seen)")
        _check(status, data, _("The server refused to mark a message read"))
        return
    message = _("The server refused to move a message to %(folder)s") % {
        "folder": target
    }
    if _has_capability(connection, "MOVE"):
        status, data = connection.uid("MOVE", str(uid), folder_name(target))
        _check(status, data, message)
        return
    status, data = connection.uid("COPY", str(uid), folder_name(target))
    _check(status, data, message)
    status, data = connection.uid("STORE", str(uid), "+FLAGS.SILENT", r"(\Deleted)")
    _check(status, data, message)
    if _has_capability(connection, "UIDPLUS"):
        status, data = connection.uid("EXPUNGE", str(uid))
    else:
        # Without UIDPLUS, EXPUNGE also removes whatever else was flagged
        # \Deleted in the folder: the only way to move on such a server.
        status, data = connection.expunge()
    _check(status, data, message)


def _attempts_key(mailbox: Mailbox, uid: int) -> str:
    return f"mail:ingest-attempts:{mailbox.pk}:{mailbox.uidvalidity}:{uid}"


def _take(raw: bytes, mailbox: Mailbox, uid: int, ingest: Callable) -> None:
    """Hand one message to intake; after INGEST_ATTEMPTS failures running,
    keep it in the quarantine instead so the mailbox moves on."""
    try:
        ingest(raw, mailbox=mailbox, source=InboundEmail.Source.IMAP)
        return
    except Exception as error:
        log.exception("Intake failed on message %s of mailbox %s", uid, mailbox.pk)
        key = _attempts_key(mailbox, uid)
        cache.add(key, 0, timeout=24 * 3600)
        attempts = cache.incr(key)
        if attempts < INGEST_ATTEMPTS:
            raise IngestFailed(
                _(
                    "A message (UID %(uid)s) could not be stored: %(error)s. "
                    "It is read again at the next poll."
                )
                % {"uid": uid, "error": error.__class__.__name__}
            ) from error
        reason = f"intake failed {attempts} times: {error!r}"
    intake.quarantine(
        raw, mailbox=mailbox, source=InboundEmail.Source.IMAP, reason=reason[:1000]
    )
    cache.delete(_attempts_key(mailbox, uid))


def _save_last_uid(mailbox: Mailbox) -> None:
    Mailbox.objects.filter(pk=mailbox.pk, last_uid__lt=mailbox.last_uid).update(
        last_uid=mailbox.last_uid
    )


def read_mailbox(
    mailbox: Mailbox,
    *,
    ingest: Callable | None = None,
    batch_size: int = BATCH_SIZE,
    stop_at: float | None = None,
    timeout: float = TIMEOUT,
) -> ReadResult:
    """Hand every new message of `mailbox` to `ingest` (by default
    `intake.ingest`) in UID order, acknowledge each, and record how far
    reading got. Stops early, after a message, once `time.monotonic()`
    passes `stop_at`. Raises MailboxError or IngestFailed."""
    ingest = ingest or intake.ingest
    connection = connect(mailbox, timeout=timeout)
    taken = 0
    try:
        uidvalidity = _open_folder(connection, mailbox)
        if uidvalidity != mailbox.uidvalidity:
            if mailbox.uidvalidity is not None:
                log.warning(
                    "Mailbox %s: the server renumbered %s; reading it again",
                    mailbox.pk,
                    mailbox.imap_folder,
                )
            mailbox.uidvalidity, mailbox.last_uid = uidvalidity, 0
            Mailbox.objects.filter(pk=mailbox.pk).update(
                uidvalidity=uidvalidity, last_uid=0
            )
        waiting = _waiting_uids(connection, mailbox)
        try:
            for batch in _batches(connection, waiting, batch_size):
                bodies = {}
                for header, body in _fetch(connection, batch, "BODY.PEEK[]"):
                    found = _UID.search(header)
                    if found and body is not None:
                        bodies[int(found.group(1))] = body
                for uid in batch:
                    raw = bodies.pop(uid, None)
                    if raw is not None:
                        _take(raw, mailbox, uid, ingest)
                        acknowledge(connection, mailbox, uid)
                        taken += 1
                    # A message deleted meanwhile by someone else is passed over.
                    mailbox.last_uid = uid
                    # Checked after a message, so every turn gets somewhere.
                    if stop_at is not None and time.monotonic() > stop_at:
                        return ReadResult(taken, finished=uid == waiting[-1])
                _save_last_uid(mailbox)
        finally:
            # Also when reading stops midway. What was acknowledged is never
            # read again even if this is lost (a crash): the search asks for
            # unseen mail, and moved mail is gone; `last_uid` only narrows it.
            _save_last_uid(mailbox)
    except (OSError, imaplib.IMAP4.error) as error:
        raise MailboxError(
            _("The connection to the server failed: %(error)s")
            % {"error": _server_text(error)}
        ) from None
    finally:
        _close(connection)
    return ReadResult(taken, finished=True)
