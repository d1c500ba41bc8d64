"""Mail no person wrote: auto-replies, out-of-office, bulk and list mail,
bounces. None of it opens a ticket or gets an answer (no mail loops)."""

from __future__ import annotations

from dataclasses import dataclass

from .parsing import ParsedEmail


@dataclass(frozen=True)
class Automatic:
    reason: str  # for the record and the command's output
    # For a bounce (a delivery status notification): the Message-IDs of our
    # own mail it reports as undelivered, and why.
    bounced_message_ids: tuple[str, ...] = ()
    bounce_reason: str = ""

    @property
    def is_bounce(self) -> bool:
        return bool(self.bounced_message_ids) or self.reason.startswith("bounce")


def automatic_reason(
    parsed: ParsedEmail, *, own_addresses: set[str]
) -> Automatic | None:
    """Why `parsed` is automatic mail, or None when a person wrote it."""
    message = parsed.message
    auto = str(message.get("Auto-Submitted", "")).strip().lower() if message else ""
    if auto and auto != "no":
        return Automatic(f"Auto-Submitted: {auto}")
    if parsed.from_address in own_addresses:
        return Automatic("from our own address")
    return None
