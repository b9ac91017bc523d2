"""Buyers' e-mails and phones re-normalised to the one form privacy matches people in.

Phones become E.164 (``privacy.identity.normalise_phone``), e-mails lower-case, so a block or
a withdrawal naming the buyer, however it was typed, finds their orders.
"""

from django.db import migrations

from privacy.renormalisation import identity_fields_renormalise


def renormalise(apps, schema_editor):
    identity_fields_renormalise(
        apps.get_model("tickets", "Order"), email_fields=("email",), phone_fields=("phone",)
    )


class Migration(migrations.Migration):
    dependencies = [("tickets", "0006_payment_notification_review")]

    # Backwards there is nothing to undo: the old forms named the same people.
    operations = [migrations.RunPython(renormalise, migrations.RunPython.noop)]
