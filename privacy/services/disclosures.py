"""The disclosure log: a row each time personal data leaves the system."""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import router, transaction

from eventum.rows import instances_insert, rows_insert
from privacy.chain import link_hash, row_seal, values_canonical
from privacy.identity import normalise_email, normalise_phone
from privacy.models import Disclosure, DisclosureSubject
from privacy.models.ledger import chain_heads_lock


def _normalise_subject(subject: str) -> str:
    subject = (subject or "").strip()
    if "@" in subject:
        return normalise_email(subject)
    if subject.startswith("+") or subject.replace(" ", "").replace("-", "").isdigit():
        return normalise_phone(subject) or subject
    return subject


@transaction.atomic
def disclosure_record(
    *,
    actor: User | str | None,
    recipient: str,
    subjects: Iterable[str],
    fields: Iterable[str],
    purpose: str,
    channel: str,
) -> Disclosure:
    """Record that personal data left the system: who, to whom, whose, which fields, why.

    ``actor`` is the user who caused it (an organizer exporting attendees, staff handing data
    to a partner) or a label such as ``"API key 7"``; ``recipient`` is who got the data (the
    organizer's legal name, the partner); ``subjects`` are the e-mails/phones (or other ids) of
    the people whose data it was; ``channel`` is one of ``Disclosure.Channel`` (``export``,
    ``list_view``, ``api``, ``partner``, ``subject``, ``other``). Three queries (on PostgreSQL
    four: the chains' lock first).
    """
    user = actor if isinstance(actor, User) else None
    label = str(actor) if actor is not None else ""
    if user is not None:
        label = getattr(user, "email", "") or str(user)
    unique_subjects = sorted({_normalise_subject(s) for s in subjects} - {""})
    disclosure = Disclosure(
        actor=user if user is not None and user.is_authenticated else None,
        actor_label=label[:200],
        recipient=recipient[:300],
        purpose=purpose[:300],
        channel=channel,
        fields=list(dict.fromkeys(fields)),
        subject_count=len(unique_subjects),
    )
    using = router.db_for_write(Disclosure)
    # both chains locked and their heads read at once (the cabinet writes a disclosure with
    # every page of buyers it shows)
    previous_disclosure, previous_subject = chain_heads_lock(
        Disclosure, DisclosureSubject, using=using
    )
    row_seal(disclosure, previous_disclosure)
    # The chains are locked and the rows sealed: plain inserts, not the chained ones, which
    # would lock and read each head again; written out, as the cabinet writes a disclosure and
    # a page of subjects with every list of buyers it shows, and the ORM spent more time
    # building the instances and the SQL than the inserts took.
    instances_insert([disclosure], using=using)
    rows = []
    for subject in unique_subjects:
        row = {"disclosure_id": disclosure.pk, "subject": subject[:254]}
        sealed = link_hash(previous_subject, values_canonical(DisclosureSubject, row))
        rows.append({**row, "chain_previous": previous_subject, "chain_hash": sealed})
        previous_subject = sealed
    rows_insert(DisclosureSubject, rows, using=using)
    return disclosure
