"""The agent's ticket page, kept rendered while nothing it shows has changed.

Rendering the page (timeline, composer forms, side cards) costs tens of
milliseconds of templates; the data behind it changes far less often than
agents look at it. A kept copy is served when its *stamp* still matches:
PostgreSQL's row version (`xmin`, new on every write whatever path made it:
the ORM, the SLA sweep's SQL, another process) of the ticket, its customer
and every row that points at either (of the customer's tickets, the newest
received: `CUSTOMER_TICKETS_STAMPED`), and of every row that points at one of
the ticket's messages, with their counts so a deletion shows too. The stamp
is read in the query that loads the ticket and checks who may see it.

A copy belongs to one viewer, in one language and time zone, for one minute
(the page says "2 h left") and one build of the templates; the stamp also
covers the reference data (queues, categories...), the people the page names
and the viewer's groups and preferences. Copies carry a placeholder for the
CSRF token, put in for each answer.
"""

from __future__ import annotations

import hashlib
import weakref
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache as shared_cache
from django.db import connection
from django.db.models import ForeignObjectRel
from django.db.models.expressions import RawSQL
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from customers.models import UserPreference
from helpdesk import reference

from .models import Message, Ticket

# Stands for the CSRF token in a kept copy: a masked token is new per answer.
CSRF_PLACEHOLDER = "csrf-token-placeholder-4c1f0e"
# The reference data's stamp when its cached copies were last known true.
REFERENCE_STAMP = "ticket-page:reference-stamp"


def enabled() -> bool:
    """Whether copies are kept: PostgreSQL's row versions are the stamp."""
    return settings.TICKET_PAGE_CACHE_SECONDS > 0 and connection.vendor == "postgresql"


def _children(model) -> list[tuple[str, str]]:
    """(table, column) of every table with a foreign key to `model`."""
    found = []
    for relation in model._meta.get_fields(include_hidden=True):
        if isinstance(relation, ForeignObjectRel) and not relation.many_to_many:
            field = relation.field
            found.append((field.model._meta.db_table, field.column))
    return sorted(set(found))


def _versions(table: str, where: str) -> str:
    return (
        f"(SELECT count(*) || '.' || coalesce(max(x.xmin::text::bigint), 0) "
        f"FROM {table} x {where})"
    )


# The customer's tickets the stamp reads: the newest received. The page lists
# the latest twenty the viewer may see and the latest rated; a customer who
# files through an integration can have thousands of tickets, and reading
# the row version of each made the stamp 15 ms at 12,000. A change to an
# older ticket shows within the minute a copy lives.
CUSTOMER_TICKETS_STAMPED = 200


def _latest_tickets(ticket: str, customer_column: str) -> str:
    """Count, newest row version and the sum of the ids of the customer's
    `CUSTOMER_TICKETS_STAMPED` latest received tickets (the index
    ticket_customer_idx): the ids say when one leaves the set or joins it."""
    return (
        f"(SELECT count(*) || '.' || coalesce(max(y.version), 0) || '.' "
        f"|| coalesce(sum(y.id), 0) FROM (SELECT x.id, x.xmin::text::bigint "
        f"AS version FROM {ticket} x WHERE x.{customer_column} = "
        f"{ticket}.{customer_column} ORDER BY x.received_at DESC "
        f"LIMIT {CUSTOMER_TICKETS_STAMPED}) y)"
    )


def _people(ticket: str) -> str:
    """The row versions of the people the page names: the assignee, the
    authors of its messages and of its history, and every queue's agents and
    supervisors (the assignment choices)."""
    user = get_user_model()
    message, event = Message._meta, Ticket._meta.get_field("events").related_model._meta
    named = [
        f"SELECT {ticket}.{Ticket._meta.get_field('assignee').column}",
        f"SELECT x.{message.get_field('author').column} FROM {message.db_table} x "
        f"WHERE x.{message.get_field('ticket').column} = {ticket}.id",
        f"SELECT x.{event.get_field('actor').column} FROM {event.db_table} x "
        f"WHERE x.{event.get_field('ticket').column} = {ticket}.id",
    ]
    queue = Ticket._meta.get_field("queue").related_model
    for field in ("agents", "supervisors"):
        through = queue._meta.get_field(field).remote_field.through
        column = next(
            f.column
            for f in through._meta.fields
            if f.is_relation and f.related_model is user
        )
        named.append(f"SELECT x.{column} FROM {through._meta.db_table} x")
    return (
        f"(SELECT coalesce(max(u.xmin::text::bigint), 0) FROM {user._meta.db_table} u "
        f"WHERE u.id IN ({' UNION '.join(named)}))"
    )


def reference_stamp_sql() -> str:
    """Count and row versions of each table of reference data (small ones:
    queues, categories, canned responses, tiers, who works which queue). The
    people among them are stamped by `_people`, the viewer's groups by
    `_viewer`."""
    user = get_user_model()
    skip = {user, user.groups.through}
    tables = sorted(m._meta.db_table for m in reference.WATCHED if m not in skip)
    return " || '/' || ".join(_versions(table, "") for table in tables)


def _viewer() -> list[str]:
    """What of the viewer's own the page depends on: their preferences
    (Hijri dates) and their groups (what they may do). Parameters: their id,
    twice."""
    user = get_user_model()
    groups = user.groups.through._meta
    preference = UserPreference._meta
    return [
        _versions(groups.db_table, f"WHERE x.{groups.get_field('user').column} = %s"),
        _versions(
            preference.db_table, f"WHERE x.{preference.get_field('user').column} = %s"
        ),
    ]


@cache
def stamp_sql() -> str:
    """SQL, over the outer query's ticket table, of the ticket page's stamp;
    its parameters are the viewer's id, twice."""
    ticket = Ticket._meta.db_table
    customer_fk = Ticket._meta.get_field("customer")
    customer = customer_fk.related_model._meta.db_table
    message = Message._meta.db_table
    message_ticket = Message._meta.get_field("ticket").column
    parts = [
        f"{ticket}.xmin::text",
        f"(SELECT c.xmin::text FROM {customer} c "
        f"WHERE c.id = {ticket}.{customer_fk.column})",
        _people(ticket),
        *_viewer(),
    ]
    for table, column in _children(Ticket):
        parts.append(_versions(table, f"WHERE x.{column} = {ticket}.id"))
    for table, column in _children(customer_fk.related_model):
        if table == ticket:
            parts.append(_latest_tickets(ticket, customer_fk.column))
            continue
        parts.append(
            _versions(table, f"WHERE x.{column} = {ticket}.{customer_fk.column}")
        )
    for table, column in _children(Message):
        parts.append(
            _versions(
                table,
                f"JOIN {message} m ON m.id = x.{column} "
                f"WHERE m.{message_ticket} = {ticket}.id",
            )
        )
    return " || '/' || ".join(parts)


# The stamp of a ticket by its number, prepared once per database session:
# its 35 subqueries took PostgreSQL longer to plan than to run.
STAMP_STATEMENT = "ticket_page_stamp"
_prepared: weakref.WeakSet = weakref.WeakSet()


@cache
def _stamp_by_number_sql() -> str:
    ticket = Ticket._meta.db_table
    # $1 is the viewer's id (twice in stamp_sql), $2 the ticket's number.
    stamp = stamp_sql().replace("%s", "$1")
    return (
        f"PREPARE {STAMP_STATEMENT} (bigint, text) AS "
        f"SELECT {stamp}, {reference_stamp_sql()} FROM {ticket} "
        f"WHERE {ticket}.number = $2"
    )


def stamp_of(number: str, user) -> tuple[str, str] | None:
    """The page stamp and reference stamp of ticket `number` for `user`, as
    `with_stamp` reads them, or None if no ticket has that number. Who may
    see the ticket is not checked here: `kept` serves a copy only to the
    viewer it was rendered for, and the stamp covers what decides it (the
    ticket's queue and assignee, who works which queue, the viewer's
    groups)."""
    with connection.cursor() as cursor:
        session = connection.connection
        if session not in _prepared:
            cursor.execute(_stamp_by_number_sql())
            _prepared.add(session)
        cursor.execute(f"EXECUTE {STAMP_STATEMENT} (%s, %s)", [user.pk, number])
        row = cursor.fetchone()
    return (row[0], row[1]) if row else None


def with_stamp(queryset, user):
    """`queryset` of tickets with each one's page stamp for `user` as
    `page_stamp`."""
    if not enabled():
        return queryset
    return queryset.annotate(
        page_stamp=RawSQL(stamp_sql(), (user.pk, user.pk)),
        reference_stamp=RawSQL(reference_stamp_sql(), ()),
    )


def refresh_reference(ticket) -> None:
    """Before rendering anew: if reference data changed in a way no save
    announced (a bulk update), forget every cached copy of it, here and in
    every process, so the page is not rendered, and kept, with the old."""
    if enabled() and shared_cache.get(REFERENCE_STAMP) != ticket.reference_stamp:
        reference.forget(*reference.NAMES)
        shared_cache.set(REFERENCE_STAMP, ticket.reference_stamp, None)


@cache
def templates_build() -> str:
    """What identifies this build's templates and static files, worked out
    once per process: a copy rendered by another release is never served."""
    digest = hashlib.blake2b(digest_size=8)
    # A static directory may be given as (prefix, path).
    static = [
        d[1] if isinstance(d, tuple | list) else d for d in settings.STATICFILES_DIRS
    ]
    for root in [*settings.TEMPLATES[0]["DIRS"], *static]:
        for path in sorted(Path(root).rglob("*")):
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path}:{stat.st_mtime_ns}:{stat.st_size}".encode())
    return digest.hexdigest()


def _key(request, number: str) -> str:
    minute = int(timezone.now().timestamp() // 60)
    return ":".join(
        (
            "ticket-page",
            str(request.user.pk),
            number,
            translation.get_language() or "",
            timezone.get_current_timezone_name(),
            str(minute),
            templates_build(),
        )
    )


def _stamp(ticket) -> tuple[str, str]:
    # The reference data's part is read once, for refresh_reference too.
    return ticket.page_stamp, ticket.reference_stamp


def kept(request, number: str) -> str | None:
    """The kept copy of ticket `number`'s page for this request, if there is
    one and the ticket's stamp still matches it."""
    if not enabled():
        return None
    copy = shared_cache.get(_key(request, number))
    if copy is None or copy[0] != stamp_of(number, request.user):
        return None
    return copy[1]


def keep(request, ticket, html: str) -> None:
    """Keep `html`, rendered with the CSRF placeholder, for the next answer."""
    if enabled():
        shared_cache.set(
            _key(request, ticket.number),
            (_stamp(ticket), html),
            settings.TICKET_PAGE_CACHE_SECONDS,
        )


def with_csrf(request, html: str) -> str:
    """A kept copy with this answer's CSRF token in it."""
    return html.replace(CSRF_PLACEHOLDER, get_token(request))
