"""Stored e-mails and phones that identify a data subject, re-normalised to the one form.

Phones become E.164 (``privacy.identity.normalise_phone``), e-mails lower-case, so a block
or an access request recorded before still finds the orders and consents of the same person.

The append-only trails (consent ledger, withdrawals by letter, disclosure log) are not
rewritten: their rows are evidence and PostgreSQL refuses to update them. Lookups match the
old forms those rows hold instead (``privacy.identity.phone_stored_forms``).
"""

from django.db import migrations

from privacy.renormalisation import identity_fields_renormalise

FIELDS = {
    "BlockingRequest": (
        ("subject_email", "requester_email"),
        ("subject_phone", "requester_phone"),
    ),
    "SubjectAccessRequest": (
        ("subject_email", "requester_email"),
        ("subject_phone", "requester_phone"),
    ),
    "Claim": (("claimant_email",), ("claimant_phone",)),
}


def renormalise(apps, schema_editor):
    for model_name, (email_fields, phone_fields) in FIELDS.items():
        identity_fields_renormalise(
            apps.get_model("privacy", model_name),
            email_fields=email_fields,
            phone_fields=phone_fields,
        )


class Migration(migrations.Migration):
    dependencies = [("privacy", "0008_withdrawal_answers")]

    # Backwards there is nothing to undo: the old forms named the same people.
    operations = [migrations.RunPython(renormalise, migrations.RunPython.noop)]
