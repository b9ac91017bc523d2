"""Organizers' contact e-mails and phones re-normalised to the one form (E.164 phones)."""

from django.db import migrations

from privacy.renormalisation import identity_fields_renormalise


def renormalise(apps, schema_editor):
    identity_fields_renormalise(
        apps.get_model("organizers", "Organizer"), email_fields=("email",), phone_fields=("phone",)
    )


class Migration(migrations.Migration):
    dependencies = [("organizers", "0003_widget_origins")]

    # Backwards there is nothing to undo: the old forms named the same people.
    operations = [migrations.RunPython(renormalise, migrations.RunPython.noop)]
