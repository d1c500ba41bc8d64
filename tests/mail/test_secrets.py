"""Mailbox passwords: from the environment, or stored encrypted."""

import pytest
from django.utils import translation

from mail import secrets
from mail.models import Mailbox


@pytest.fixture(autouse=True)
def english():
    # Messages come in the active language; another test may leave Arabic on.
    with translation.override("en"):
        yield


def test_a_stored_password_is_encrypted_and_read_back(settings):
    settings.MAIL_SECRET_KEY = "any string at all"
    mailbox = Mailbox()

    secrets.set_password(mailbox, "كلمة-سر 1")

    assert "كلمة" not in mailbox.imap_secret_encrypted
    assert secrets.password(mailbox) == "كلمة-سر 1"


def test_without_a_key_no_password_is_stored(settings):
    settings.MAIL_SECRET_KEY = ""
    mailbox = Mailbox()

    with pytest.raises(secrets.PasswordUnavailable, match="MAIL_SECRET_KEY is not set"):
        secrets.set_password(mailbox, "secret")

    assert mailbox.imap_secret_encrypted == ""


def test_a_changed_key_asks_for_the_password_again(settings):
    settings.MAIL_SECRET_KEY = "old key"
    mailbox = Mailbox()
    secrets.set_password(mailbox, "secret")

    settings.MAIL_SECRET_KEY = "new key"

    with pytest.raises(secrets.PasswordUnavailable, match="Enter the password again"):
        secrets.password(mailbox)


def test_the_environment_variable_named_on_the_mailbox_comes_first(
    settings, monkeypatch
):
    settings.MAIL_SECRET_KEY = "key"
    mailbox = Mailbox(imap_secret_env="SUPPORT_IMAP_PASSWORD")
    secrets.set_password(mailbox, "stored")

    monkeypatch.setenv("SUPPORT_IMAP_PASSWORD", "from the environment")
    assert secrets.password(mailbox) == "from the environment"
    monkeypatch.delenv("SUPPORT_IMAP_PASSWORD")
    with pytest.raises(secrets.PasswordUnavailable, match="SUPPORT_IMAP_PASSWORD"):
        secrets.password(mailbox)
