"""Fixtures of the email tests: a real Dovecot (tests/imap_server.py)."""

from ..imap_server import dovecot, imap_user, mail_key  # noqa: F401 - fixtures
