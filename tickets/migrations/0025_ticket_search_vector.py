import django.contrib.postgres.search
from django.db import migrations, models

import helpdesk.search

# The full-text index moves from an expression, worked out again for every
# row a word search checks, to the stored column (PostgreSQL only: SQLite
# searches with LIKE and stores nothing).
EXPRESSION_INDEX = (
    "CREATE INDEX IF NOT EXISTS ticket_search_idx ON tickets_ticket USING gin "
    "(to_tsvector('simple'::regconfig, COALESCE(search_text, ''::text)))"
)


def index_the_column(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS ticket_search_vector_idx "
            "ON tickets_ticket USING gin (search_vector)"
        )
        schema_editor.execute("DROP INDEX IF EXISTS ticket_search_idx")


def index_the_expression(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(EXPRESSION_INDEX)
        schema_editor.execute("DROP INDEX IF EXISTS ticket_search_vector_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0024_policy_links_and_low_ratings"),
    ]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=helpdesk.search.WordsVector("search_text"),
                output_field=django.contrib.postgres.search.SearchVectorField(
                    null=True
                ),
            ),
        ),
        migrations.RunPython(index_the_column, index_the_expression),
    ]
