"""The corpus of test messages in tests/mail/corpus/ (see its README)."""

from datetime import UTC, datetime
from pathlib import Path

from mail.parsing import ParsedEmail, parse_email

CORPUS = Path(__file__).parent / "corpus"
# Every message in the corpus was received on Monday 7 December 2026 at
# 10:00:05 in Riyadh (07:00:05 UTC); an hour later it is still plausible.
RECEIVED = datetime(2026, 12, 7, 7, 0, 5, tzinfo=UTC)
AN_HOUR_LATER = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def raw(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def parsed(name: str) -> ParsedEmail:
    return parse_email(raw(name), now=AN_HOUR_LATER)
