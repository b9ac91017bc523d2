"""The disclosure log: a row each time personal data leaves the system."""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction

from privacy.identity import normalise_email, normalise_phone
from privacy.models import Disclosure, DisclosureSubject


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
    ``list_view``, ``api``, ``partner``, ``subject``, ``other``). Two queries in all.
    """
    user = actor if isinstance(actor, User) else None
    label = str(actor) if actor is not None else ""
    if user is not None:
        label = getattr(user, "email", "") or str(user)
    unique_subjects = sorted({_normalise_subject(s) for s in subjects} - {""})
    disclosure = Disclosure.objects.create(
        actor=user if user is not None and user.is_authenticated else None,
        actor_label=label[:200],
        recipient=recipient[:300],
        purpose=purpose[:300],
        channel=channel,
        fields=list(dict.fromkeys(fields)),
        subject_count=len(unique_subjects),
    )
    DisclosureSubject.objects.bulk_create(
        [DisclosureSubject(disclosure=disclosure, subject=s[:254]) for s in unique_subjects],
        batch_size=500,
    )
    return disclosure
