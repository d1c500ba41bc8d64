"""Bulk writes for seed_volume: fresh ids, COPY on PostgreSQL, else executemany."""

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import connection, models


def _constant_columns(model: type[models.Model], columns: Sequence[str]):
    """Columns the generator leaves out, with the value each row gets.

    Fields added to the model later are filled with their default, so the
    command keeps working; a field it cannot fill safely stops it early.
    """
    names, values = [], []
    for model_field in model._meta.concrete_fields:
        if model_field.column in columns or model_field.primary_key:
            continue
        if model_field.generated:  # written by the database
            continue
        if model_field.db_default is not models.NOT_PROVIDED:
            continue
        value = model_field.get_default()
        if (model_field.unique and value is not None) or (
            value is None and not model_field.null
        ):
            raise RuntimeError(
                f"seed_volume cannot fill {model.__name__}.{model_field.name}; "
                "teach the seed_volume generators (demo/volume_*.py) about it."
            )
        names.append(model_field.column)
        values.append(model_field.get_db_prep_save(value, connection))
    return names, tuple(values)


def write_rows(model: type[models.Model], columns: Sequence[str], rows: list) -> None:
    """Insert `rows` (tuples in `columns` order): COPY on PostgreSQL."""
    extra_names, extra = _constant_columns(model, columns)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    column_list = ", ".join(quote(name) for name in (*columns, *extra_names))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                write_row = copy.write_row
                for row in rows:
                    write_row(row + extra)
            return
        placeholders = ", ".join(["%s"] * (len(columns) + len(extra)))
        cursor.executemany(
            f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})",
            [tuple(_adapt(v) for v in row) + extra for row in rows],
        )


def _adapt(value):
    """A value as the non-PostgreSQL backends store it."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, timedelta):
        return value // timedelta(microseconds=1)
    return value


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` fresh primary keys for `model`, taken inside the current transaction."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                "FROM generate_series(1, %s)",
                [table, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        # SQLite has a single writer: a conflicting writer makes this
        # transaction fail rather than reuse an id.
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        last = cursor.fetchone()[0]
    return list(range(last + 1, last + 1 + count))
