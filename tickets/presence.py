"""Who else has a ticket open, and whether they are typing a reply.

Kept in the cache (Redis in production), never in the database: every open
ticket page sends a heartbeat every few seconds. Each agent's entry on a
ticket is a key only that agent writes, so two agents never overwrite each
other's state; a roster key lists who has an entry. The roster is written only
when someone joins or an entry has expired; when two agents join at the same
moment one of them may drop from it, and puts itself back at its next
heartbeat. Freshness is read from the timestamps in the entries, not from the
cache's own expiry, so the rules below hold on any cache backend.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from helpdesk.labels import person_name

# An agent whose page stopped sending heartbeats (tab closed without a
# goodbye, laptop asleep, network gone) is no longer shown after this long.
EXPIRES_AFTER = 30
# "Typing" without a keystroke for this long reads as "viewing" again.
TYPING_FOR = 8
# A roster nobody has changed for this long is forgotten; an agent still
# there adds itself again at its next heartbeat.
ROSTER_KEPT = 60 * 60

VIEWING = "viewing"
TYPING = "typing"
STATES = (VIEWING, TYPING)


@dataclass(frozen=True)
class Presence:
    """Another agent on the ticket page, as shown to the viewer."""

    user_id: int
    name: str
    state: str


def _roster_key(ticket_id: int) -> str:
    return f"presence:{ticket_id}"


def _entry_key(ticket_id: int, user_id: int) -> str:
    return f"presence:{ticket_id}:{user_id}"


def _now() -> float:
    return timezone.now().timestamp()


def _read(ticket_id: int, also: int | None = None) -> tuple[list[int], dict]:
    """The roster of `ticket_id` and its entries (plus `also`'s), in two
    cache operations."""
    roster = cache.get(_roster_key(ticket_id)) or []
    ids = [*roster, also] if also is not None and also not in roster else roster
    entries = cache.get_many([_entry_key(ticket_id, uid) for uid in ids])
    return roster, entries


def _fresh(entry: dict | None, now: float) -> bool:
    return entry is not None and now - entry["seen_at"] < EXPIRES_AFTER


def _present(entries: dict, user_id: int, now: float) -> list[Presence]:
    others = []
    for entry in entries.values():
        if entry["user_id"] == user_id or not _fresh(entry, now):
            continue
        typing = now - entry["typed_at"] < TYPING_FOR
        others.append(
            Presence(entry["user_id"], entry["name"], TYPING if typing else VIEWING)
        )
    return sorted(others, key=lambda person: (person.name, person.user_id))


def heartbeat(ticket, user, state: str = VIEWING, *, page: str = "") -> list[Presence]:
    """Record that `user` has `ticket` open in `page` (an id the page chose),
    viewing it or typing, and return the other agents there. Three cache
    operations, no database writes."""
    if state not in STATES:
        raise ValueError(f"unknown presence state {state!r}")
    now = _now()
    roster, entries = _read(ticket.pk, also=user.pk)
    mine = _entry_key(ticket.pk, user.pk)
    previous = entries.get(mine)
    # A plain heartbeat keeps the last keystroke: it may arrive just after a
    # "typing" one from the same page, and must not cancel it.
    typed_at = previous["typed_at"] if _fresh(previous, now) else 0.0
    entry = {
        "user_id": user.pk,
        "name": person_name(user),
        "seen_at": now,
        "typed_at": now if state == TYPING else typed_at,
        "page": page,
    }
    entries[mine] = entry
    writes = {mine: entry}
    present = sorted(e["user_id"] for e in entries.values() if _fresh(e, now))
    if present != sorted(roster):
        writes[_roster_key(ticket.pk)] = present
    # One write for both keys: the entry outlives its freshness in the cache
    # (the roster's timeout), which is harmless, as freshness is read from it.
    cache.set_many(writes, timeout=ROSTER_KEPT)
    return _present(entries, user.pk, now)


def others(ticket, user) -> list[Presence]:
    """The agents other than `user` who have `ticket` open, with their state."""
    _, entries = _read(ticket.pk)
    return _present(entries, user.pk, _now())


def leave(ticket, user, *, page: str = "") -> None:
    """Take `user` off `ticket` at once: `page` was closed. A goodbye from a
    page that is no longer the agent's latest is ignored: after sending a
    reply the ticket page loads again, and the old page's goodbye may arrive
    after the new page's first heartbeat."""
    key = _entry_key(ticket.pk, user.pk)
    if page:
        entry = cache.get(key)
        if entry is None or entry.get("page") != page:
            return
    cache.delete(key)
