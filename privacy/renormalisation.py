"""Re-normalising stored identities, for the data migrations of every app that stores them.

Used when the normal form of e-mails or phones changes (as when phones became E.164), so that
rows written before still name the same people as the rows written after.
"""

from django.db import models

from privacy.identity import normalise_email, phone_from_stored_form

BATCH = 1000


def _renormalised(row: models.Model, email_fields, phone_fields) -> bool:
    dirty = False
    for name in email_fields:
        value = getattr(row, name)
        if value and normalise_email(value) != value:
            setattr(row, name, normalise_email(value))
            dirty = True
    for name in phone_fields:
        value = getattr(row, name)
        normal = phone_from_stored_form(value)
        # A value that names no valid number stays as it was: it identified nobody before
        # either, and erasing it would lose what was typed.
        if normal and normal != value:
            setattr(row, name, normal)
            dirty = True
    return dirty


def identity_fields_renormalise(
    model: type[models.Model],
    *,
    email_fields: tuple[str, ...] = (),
    phone_fields: tuple[str, ...] = (),
) -> int:
    """Rewrite the rows of ``model`` whose e-mail or phone fields are not in the normal form.

    Returns how many rows changed. Rows are read and written in batches of ``BATCH``; ``save``
    is not called (a migration's historical model has none of the model's own code anyway).
    """
    fields = [*email_fields, *phone_fields]
    changed: list[models.Model] = []
    count = 0
    rows = model._default_manager.only("pk", *fields).order_by("pk").iterator(chunk_size=BATCH)
    for row in rows:
        if _renormalised(row, email_fields, phone_fields):
            changed.append(row)
        if len(changed) >= BATCH:
            model._default_manager.bulk_update(changed, fields)
            count, changed = count + len(changed), []
    if changed:
        model._default_manager.bulk_update(changed, fields)
        count += len(changed)
    return count
