"""Gap-free numbering: a counter row per key, bumped by one upsert.

Concurrent callers queue on the counter row, so no two get the same value,
and a caller whose transaction rolls back rolls its bump back too (works on
PostgreSQL and SQLite >= 3.35)."""

from django.db import connection, models


def bump_counter(
    model: type[models.Model], key: dict, count: int = 1, field: str = "last_value"
) -> int:
    """Add `count` to the `field` of `model`'s row for `key` (made at `count`
    if missing) and return the new value. The key's columns must be unique
    together."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = [model._meta.get_field(name).column for name in key]
    names = ", ".join(quote(column) for column in columns)
    holes = ", ".join(["%s"] * len(columns))
    value = quote(model._meta.get_field(field).column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({names}, {value}) VALUES ({holes}, %s) "
            f"ON CONFLICT ({names}) DO UPDATE "
            f"SET {value} = {table}.{value} + EXCLUDED.{value} "
            f"RETURNING {value}",
            [*key.values(), count],
        )
        return cursor.fetchone()[0]
