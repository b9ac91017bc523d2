"""Retention and destruction: the destruction trail, and which subjects are on a legal hold.

Each app destroys or anonymises its own rows on the schedule (``privacy.retention``) and writes
what it did here (``destruction_record``), one row a run, in a hash-chained trail. Data of a
subject under a legal hold — blocked (provisionally too) or with an open claim — is kept until
the block is lifted or the claim answered: ask ``legal_hold_index`` before destroying anything.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from eventum.accounts import Visitor
from privacy.identity import normalise_email, normalise_phone
from privacy.models import Claim, ConsentRecord, DestructionRecord
from privacy.retention import retention_rule
from privacy.services.blocking import blocked_index

PERIODIC_TASK = "periodic task"


@transaction.atomic
def destruction_record(
    *,
    rule: str,
    what: str,
    why: str,
    rows: int,
    held: int = 0,
    scope: str = "",
    by: Visitor | None = None,
    label: str = "",
) -> DestructionRecord:
    """Append one destruction run to the trail: the schedule's ``rule``, what was destroyed or
    made anonymous, why, how many rows (and how many were kept under a legal hold), by whom
    (a person, or ``label`` such as the periodic task)."""
    return DestructionRecord.objects.create(
        rule=rule,
        what=what,
        why=why,
        rows=rows,
        held=held,
        scope=scope[:200],
        ran_by=by if isinstance(by, User) else None,
        ran_by_label=(label or (PERIODIC_TASK if by is None else ""))[:100],
    )


@dataclass(frozen=True)
class LegalHoldIndex:
    """Subjects whose data must be kept for now, among a known set (asked without queries)."""

    emails: frozenset[str] = field(default_factory=frozenset)
    phones: frozenset[str] = field(default_factory=frozenset)
    user_ids: frozenset[int] = field(default_factory=frozenset)

    def holds(self, *, email: str = "", phone: str = "", user_id: int | None = None) -> bool:
        return (
            (bool(email) and normalise_email(email) in self.emails)
            or (bool(phone) and normalise_phone(phone) in self.phones)
            or (user_id is not None and user_id in self.user_ids)
        )


def legal_hold_index(
    *, emails: Iterable[str] = (), phones: Iterable[str] = (), user_ids: Iterable[int] = ()
) -> LegalHoldIndex:
    """Which of these subjects are on a legal hold: blocked (the block may end in a claim or a
    court; the data is evidence), or the claimant of a claim not yet answered."""
    emails = {normalise_email(e) for e in emails} - {""}
    phones = {normalise_phone(p) for p in phones} - {""}
    user_ids = {int(u) for u in user_ids if u is not None}
    blocked = blocked_index(emails=emails, phones=phones, user_ids=user_ids)
    held_emails, held_phones = set(blocked.emails), set(blocked.phones)
    held_users: set[int] = set(blocked.user_ids)
    condition = Q(claimant_email__in=emails) | Q(claimant_phone__in=phones)
    if user_ids:
        condition |= Q(claimant_user_id__in=user_ids)
    open_claims = Claim.objects.filter(condition, answered_on__isnull=True).values_list(
        "claimant_email", "claimant_phone", "claimant_user_id"
    )
    for email, phone, user_id in open_claims:
        held_emails.add(normalise_email(email))
        held_phones.add(normalise_phone(phone))
        if user_id is not None:
            held_users.add(user_id)
    return LegalHoldIndex(
        emails=frozenset(held_emails & emails),
        phones=frozenset(held_phones & phones),
        user_ids=frozenset(held_users & user_ids),
    )


def consent_ips_shorten(*, now: datetime | None = None) -> int:
    """IP addresses in the consent ledger older than ``RETENTION_ORDER_IP_DAYS`` become their
    network, sealed in the row when it was written (rows of subjects on a legal hold wait).
    One row in the destruction trail when anything changed; returns the rows shortened."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.RETENTION_ORDER_IP_DAYS)
    with transaction.atomic():
        due = ConsentRecord.objects.filter(created_at__lt=cutoff).exclude(ip_network="")
        subjects = list(due.values_list("email", "phone", "user_id").distinct())
        hold = legal_hold_index(
            emails=[s[0] for s in subjects],
            phones=[s[1] for s in subjects],
            user_ids=[s[2] for s in subjects if s[2] is not None],
        )
        held = Q(email__in=hold.emails) | Q(phone__in=hold.phones) | Q(user_id__in=hold.user_ids)
        held_rows = due.filter(held).exclude(ip_address__isnull=True).count()
        shortened = due.exclude(held).ip_addresses_shorten()
        if shortened:  # a subject held night after night writes no row of nothing destroyed
            with translation.override(settings.LANGUAGE_CODE):
                rule = retention_rule("order_ip")
                destruction_record(
                    rule=rule.key,
                    what=gettext(
                        "%(count)s IP addresses in the consent ledger shortened to their network"
                    )
                    % {"count": shortened},
                    why=rule.why,
                    rows=shortened,
                    held=held_rows,
                )
    return shortened
