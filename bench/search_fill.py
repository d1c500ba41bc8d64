"""Fill the search columns of a bench database seeded before seed_volume wrote them.

`manage.py reindex_search` does the same through the ORM, row batch by row
batch (an UPDATE per 500 rows, with the GIN indexes maintained row by row):
an hour at a million tickets. Here the terms are worked out in Python (each
distinct text once: seeded texts come from small pools), copied into a
temporary table, and written with one UPDATE per table while its GIN index is
dropped and then rebuilt in one pass, as the migrations define it.
"""

import time

from django.db import connection, transaction

from customers.models import Customer
from demo.volume_text import TermCache
from helpdesk import search
from tickets.models import Ticket

BATCH = 50_000
# The migrations' GIN indexes (customers 0003, tickets 0025), which
# CustomerQuerySet.matching and TicketQuerySet.matching use: the tickets'
# on their stored search_vector column, the customers' on the expression.
INDEXES = {
    "ticket_search_vector_idx": "tickets_ticket",
    "customer_search_idx": "customers_customer",
}
INDEX_SQL = {
    "ticket_search_vector_idx": "CREATE INDEX {name} ON {table} USING gin "
    "(search_vector)",
    "customer_search_idx": "CREATE INDEX {name} ON {table} USING gin "
    "(to_tsvector('simple'::regconfig, COALESCE(search_text, ''::text)))",
}


def missing() -> bool:
    """Whether any ticket or customer has an empty search column."""
    return (
        Ticket.objects.filter(search_text="").exists()
        or Customer.objects.filter(search_text="").exists()
    )


def fill(say) -> None:
    """Write the search column of every ticket and customer that has none."""
    started = time.perf_counter()
    terms = TermCache()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        tickets = _fill_table(
            cursor,
            "tickets_ticket",
            "ticket_search_vector_idx",
            _ticket_rows(cursor, terms),
        )
        customers = _fill_table(
            cursor,
            "customers_customer",
            "customer_search_idx",
            _customer_rows(cursor),
        )
        # The updated tables as autovacuum would soon leave them (VACUUM
        # cannot run inside a transaction, as in tests; ANALYZE alone can).
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        for table in INDEXES.values():
            cursor.execute(f"{command} {table}")
    say(
        f"Search columns filled: {tickets:,} tickets and {customers:,} customers "
        f"in {time.perf_counter() - started:.0f} s."
    )


def _ticket_rows(cursor, terms: TermCache):
    """Batches of (id, search text) of unindexed tickets: subject and messages."""
    cursor.execute("SELECT COALESCE(MAX(id), 0) FROM tickets_ticket")
    (last,) = cursor.fetchone()
    for low in range(0, last + 1, BATCH):
        cursor.execute(
            "SELECT t.id, t.subject, array_agg(m.body_text ORDER BY m.created_at, "
            "m.id) FILTER (WHERE m.id IS NOT NULL) FROM tickets_ticket t "
            "LEFT JOIN tickets_message m ON m.ticket_id = t.id "
            "WHERE t.id >= %s AND t.id < %s AND t.search_text = '' GROUP BY t.id",
            [low, low + BATCH],
        )
        rows = []
        for pk, subject, bodies in cursor.fetchall():
            found = dict.fromkeys(terms[subject])
            for body in bodies or ():
                found.update(dict.fromkeys(terms[body]))
            rows.append((pk, " ".join(found)))
        yield rows


def _customer_rows(cursor):
    """The (id, search text) of unindexed customers, in one batch."""
    cursor.execute(
        "SELECT id, name, email, organisation, phone FROM customers_customer "
        "WHERE search_text = ''"
    )
    yield [
        (pk, search.customer_search_text(name, email, organisation, phone))
        for pk, name, email, organisation, phone in cursor.fetchall()
    ]


def _fill_table(cursor, table: str, index: str, batches) -> int:
    """Copy the rows of `batches` into a temporary table, then update `table`
    from it, its search index rebuilt afterwards, all in one transaction (an
    interrupted run leaves the index in place); return the rows written."""
    count = 0
    with transaction.atomic():
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_search_fill (id bigint, search_text text)"
        )
        for rows in batches:
            with cursor.cursor.copy(
                "COPY bench_search_fill (id, search_text) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
            count += len(rows)
        if count:
            cursor.execute(f"DROP INDEX IF EXISTS {index}")
            cursor.execute(
                f"UPDATE {table} AS t SET search_text = f.search_text "
                "FROM bench_search_fill AS f WHERE t.id = f.id"
            )
            # Index DDL refuses to run while foreign-key checks are pending
            # (a caller's transaction that has just seeded rows): run them.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(INDEX_SQL[index].format(name=index, table=table))
        cursor.execute("DROP TABLE bench_search_fill")
    return count
