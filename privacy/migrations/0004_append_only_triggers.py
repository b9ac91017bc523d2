"""PostgreSQL refuses UPDATE and DELETE on the trail tables, whatever code tries it.

The models refuse too (save/delete/queryset), on every database; this is the belt to those
braces. TRUNCATE (used only by test-database flushes) is not a row operation and still works.
"""

from django.db import migrations

TABLES = [
    "privacy_consentrecord",
    "privacy_consentwithdrawal",
    "privacy_disclosure",
    "privacy_disclosuresubject",
]

FUNCTION = """
CREATE OR REPLACE FUNCTION privacy_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'privacy: rows of % are append-only', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)  # no placeholders: keep the % for plpgsql
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION privacy_refuse_change();"
        )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS privacy_refuse_change();")


class Migration(migrations.Migration):
    dependencies = [("privacy", "0003_ledger_requests_registers")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
