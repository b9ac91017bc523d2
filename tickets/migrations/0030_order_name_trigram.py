"""Buyer names searched anywhere in the word on PostgreSQL: trigram (pg_trgm) GIN indexes on
the upper-cased surname and name, the form Django's ``icontains`` compares them in. Other
databases keep the plain search; the indexes are made on PostgreSQL only."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

NAMES = ("surname", "name")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in NAMES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS order_{column}_trgm ON tickets_order "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in NAMES:
        schema_editor.execute(f"DROP INDEX IF EXISTS order_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("tickets", "0029_sales_summary_fill")]

    operations = [TrigramExtension(), migrations.RunPython(create, drop)]
