"""A mailbox's IMAP password: read from an environment variable named on the
mailbox, or kept in the database encrypted with MAIL_SECRET_KEY.

The key never lives in the database, so a copy of the database (a backup, a
dump handed to a developer) holds no usable password. Any string works as the
key: a Fernet key is derived from it. A changed key makes the stored
passwords unreadable; they must then be entered again.
"""

from __future__ import annotations

import base64
import os

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.utils.translation import gettext as _

from mail.models import Mailbox


class PasswordUnavailable(Exception):
    """The password cannot be stored or read; the message says what to fix
    and never contains the password."""


def _fernet() -> Fernet | None:
    key = settings.MAIL_SECRET_KEY
    if not key:
        return None
    derived = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=None,
        info=b"helpdesk mailbox passwords",
    ).derive(key.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def can_store_passwords() -> bool:
    """Whether MAIL_SECRET_KEY is set, so a password may be kept encrypted."""
    return bool(settings.MAIL_SECRET_KEY)


def set_password(mailbox: Mailbox, plain: str) -> None:
    """Encrypt `plain` onto `mailbox` (not saved: the caller saves it)."""
    fernet = _fernet()
    if fernet is None:
        raise PasswordUnavailable(
            _(
                "The password cannot be stored: MAIL_SECRET_KEY is not set. Set it "
                "in the environment, or keep the password in an environment "
                "variable and give its name."
            )
        )
    mailbox.imap_secret_encrypted = fernet.encrypt(plain.encode()).decode("ascii")


def password(mailbox: Mailbox) -> str:
    """The password to sign in to `mailbox`'s IMAP server: the environment
    variable named on the mailbox when there is one, else the stored one."""
    if mailbox.imap_secret_env:
        value = os.environ.get(mailbox.imap_secret_env)
        if value is None:
            raise PasswordUnavailable(
                _("The environment variable %(name)s is not set.")
                % {"name": mailbox.imap_secret_env}
            )
        return value
    if not mailbox.imap_secret_encrypted:
        raise PasswordUnavailable(_("No password is set for this mailbox."))
    fernet = _fernet()
    if fernet is None:
        raise PasswordUnavailable(
            _("The stored password cannot be read: MAIL_SECRET_KEY is not set.")
        )
    try:
        return fernet.decrypt(mailbox.imap_secret_encrypted.encode()).decode()
    except InvalidToken:
        raise PasswordUnavailable(
            _(
                "The stored password cannot be read: MAIL_SECRET_KEY has changed "
                "since it was saved. Enter the password again."
            )
        ) from None


def has_password(mailbox: Mailbox) -> bool:
    """Whether a password is stored or named for `mailbox`."""
    return bool(mailbox.imap_secret_env or mailbox.imap_secret_encrypted)
