"""Email subjects as the helpdesk reads and writes them: the reference
numbers in them, and the reply and forward prefixes mail programs pile up
(English and Arabic). One rule for the mail going out and the mail coming in."""

import re

# HD-2026-000123, with or without the brackets our own subjects put round it.
TICKET_NUMBER = re.compile(r"\[?\s*\bHD-(\d{4})-(\d{6,})\b\s*\]?", re.IGNORECASE)
REPLY_PREFIX = re.compile(
    r"^\s*((re|fw|fwd|aw|sv|tr|رد|الرد|تحويل|إعادة توجيه|اعادة توجيه|توجيه)"
    r"\s*(\[\d+\])?\s*[:：]\s*)+",
    re.IGNORECASE,
)


def ticket_numbers(subject: str) -> list[str]:
    """The reference numbers a subject names, in order, upper-cased."""
    return [f"HD-{year}-{number}" for year, number in TICKET_NUMBER.findall(subject)]


def without_ticket_numbers(subject: str, numbers: set[str] | None = None) -> str:
    """`subject` without reference numbers (only those in `numbers`, if
    given), its spaces tidied."""

    def drop(match: re.Match) -> str:
        number = f"HD-{match[1]}-{match[2]}"
        return " " if numbers is None or number in numbers else match[0]

    return " ".join(TICKET_NUMBER.sub(drop, subject).split())


def without_reply_prefixes(subject: str) -> str:
    """`subject` without the Re:/Fwd:/رد: a mail program put before it."""
    return REPLY_PREFIX.sub("", " ".join(subject.split())).strip()
