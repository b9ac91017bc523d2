"""The consent ledger: appending consents given or withdrawn, and asking whether one is live."""

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from eventum.accounts import Visitor
from eventum.rows import Statement
from privacy.identity import ip_network, normalise_email, normalise_phone, phone_stored_forms
from privacy.models import ConsentRecord, ConsentWithdrawal, PolicyVersion, WithdrawalAnswer
from privacy.models.ledger import chain_heads_lock_statements, chain_heads_of
from privacy.services.blocking import subject_ensure_not_blocked, subject_is_blocked
from privacy.services.policy import policy_current

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

# The exact sentences shown next to each checkbox; the one shown is stored in every ledger row.
CONSENT_WORDINGS: "dict[str, _StrPromise]" = {
    ConsentRecord.Purpose.PROCESSING_AND_TRANSFER: _(
        "I agree to the processing of my personal data and to its transfer to third parties "
        "(the organizer of the event and the platform's partners) under the privacy policy, "
        "version %(version)s."
    ),
    ConsentRecord.Purpose.MARKETING: _(
        "I agree to receive advertising from eventum, its affiliates, advertising partners and "
        "organizers by e-mail and phone. I can withdraw this consent at any time."
    ),
}


def consent_wording(purpose: str, *, policy: PolicyVersion | None = None) -> str:
    """The sentence shown for ``purpose`` in the active language, with the policy version."""
    policy = policy if policy is not None else policy_current()
    version = policy.version if policy is not None else "—"
    return str(CONSENT_WORDINGS[purpose]) % {"version": version}


def _user_or_none(user: Visitor | None) -> User | None:
    """The account behind ``user``; ``None`` for nobody or the anonymous visitor."""
    return user if isinstance(user, User) else None


@transaction.atomic(savepoint=False)  # inside a caller's transaction: no savepoint of its own
def consent_record(
    *,
    purpose: str,
    action: str,
    wording: str,
    channel: str,
    user: Visitor | None = None,
    email: str = "",
    phone: str = "",
    policy_version: PolicyVersion | None = None,
    ip_address: str | None = None,
    user_agent: str = "",
    source: str = "",
    recorded_by: Visitor | None = None,
    browser_id: str = "",
    policy_language: str | None = None,
    wording_language: str | None = None,
    save: bool = True,
) -> ConsentRecord:
    """Append one row to the consent ledger (given or withdrawn).

    ``user`` and/or ``email``/``phone`` identify the subject (the user's e-mail is used when no
    e-mail is given); ``source`` names the order or form, e.g. ``"order:AB12CD"``. A consent
    given records which language's text of the policy the subject was shown: by default the
    active language's, or Russian where the version has no text in it. ``wording_language``
    is the language ``wording`` was shown in (by default the active language).

    ``save=False``: the row is returned not saved yet, for ``consents_append_statements`` after the
    ledger's lock was taken with a caller's statements (``consent_ledger_lock_statements``).
    """
    user = _user_or_none(user)
    if user is not None and not email:
        email = getattr(user, "email", "")
    policy_version = policy_version if policy_version is not None else policy_current()
    if policy_language is None:
        policy_language = (
            policy_version.text_language(get_language() or "")
            if policy_version is not None and action == ConsentRecord.Action.GIVEN
            else ""
        )
    if wording_language is None:
        wording_language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    row = ConsentRecord(
        purpose=purpose,
        action=action,
        wording=wording,
        wording_language=wording_language,
        channel=channel,
        user=user,
        email=normalise_email(email),
        phone=normalise_phone(phone),
        browser_id=browser_id,
        policy_version=policy_version,
        policy_language=policy_language,
        ip_address=ip_address or None,
        ip_network=ip_network(ip_address),
        user_agent=(user_agent or "")[:500],
        source=source[:200],
        recorded_by=_user_or_none(recorded_by),
    )
    if save:
        row.save(force_insert=True)  # chained to the ledger's head under its lock
    return row


def consent_ledger_lock_statements(*, using: str) -> list[Statement]:
    """The consent ledger's lock and the read of its head, for a caller to send with its own
    statements inside its transaction (one round trip: a checkout sends them with its
    tickets); ``consents_append_statements`` then adds rows after that head."""
    return chain_heads_lock_statements(ConsentRecord, using=using)


def consents_append_statements(
    rows: list[ConsentRecord], *, locked: list[list[tuple[Any, ...]]]
) -> list[Statement]:
    """``consent_record(save=False)``'s rows chained in order after the head read under the
    ledger's lock (``locked``: what ``consent_ledger_lock_statements`` returned, in this
    transaction); the statements inserting them, for the caller to send in this transaction
    with its next ones (a checkout sends them with its IP event)."""
    return ConsentRecord.objects.append_statements(rows, head=chain_heads_of(locked)[0])


def _subject_filter(*, email: str = "", phone: str = "", user: Visitor | None = None) -> Q | None:
    user = _user_or_none(user)
    email = normalise_email(email or getattr(user, "email", ""))
    phone = normalise_phone(phone)
    condition = Q()
    if user is not None:
        condition |= Q(user=user)
    if email:
        condition |= Q(email=email)
    if phone:
        # The ledger is append-only (rows are evidence; PostgreSQL refuses UPDATE), so rows
        # written before phones were E.164 keep their old form: match every form it may hold.
        condition |= Q(phone__in=sorted(phone_stored_forms(phone)))
    return condition or None


def consent_is_live(
    *, purpose: str, email: str = "", user: Visitor | None = None, phone: str = ""
) -> bool:
    """Is the latest ledger row for this subject and purpose a consent given?"""
    condition = _subject_filter(email=email, phone=phone, user=user)
    if condition is None:
        return False
    latest = (
        ConsentRecord.objects.filter(condition, purpose=purpose)
        .order_by("-created_at", "-id")
        .values_list("action", flat=True)
        .first()
    )
    return latest == ConsentRecord.Action.GIVEN


def consent_live_emails(*, purpose: str, emails: Iterable[str]) -> set[str]:
    """Which of ``emails`` have a live consent for ``purpose`` (one query per 500 e-mails)."""
    wanted = sorted({normalise_email(e) for e in emails if e})
    live: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        latest: dict[str, str] = {}
        rows = (
            ConsentRecord.objects.filter(purpose=purpose, email__in=chunk)
            .order_by("created_at", "id")
            .values_list("email", "action")
        )
        for email, action in rows:
            latest[email] = action
        live.update(e for e, action in latest.items() if action == ConsentRecord.Action.GIVEN)
    return live


def may_process(
    *, purpose: str, email: str = "", user: Visitor | None = None, phone: str = ""
) -> bool:
    """May we do ``purpose`` for this subject now? The one question every sender asks.

    No while the subject is blocked; otherwise yes when the latest consent for it is given.
    """
    if subject_is_blocked(email=email, phone=phone, user=user):
        return False
    return consent_is_live(purpose=purpose, email=email, user=user, phone=phone)


def consent_history(*, user: User) -> list[ConsentRecord]:
    """Every ledger row about a signed-in user (by account or by their e-mail), newest first."""
    condition = _subject_filter(user=user)
    if condition is None:
        return []
    return list(
        ConsentRecord.objects.filter(condition)
        .select_related("policy_version")
        .order_by("-created_at", "-id")
    )


def marketing_consent_set(
    *,
    give: bool,
    channel: str,
    user: Visitor | None = None,
    email: str = "",
    phone: str = "",
    ip_address: str | None = None,
    user_agent: str = "",
    source: str = "",
    recorded_by: Visitor | None = None,
) -> ConsentRecord | None:
    """Opt in to or out of marketing; returns the new ledger row, or ``None`` if unchanged.

    Opting in is refused while the subject is blocked (``SubjectBlockedError``).
    """
    purpose = ConsentRecord.Purpose.MARKETING
    if give:
        subject_ensure_not_blocked(email=email, phone=phone, user=user)
    if consent_is_live(purpose=purpose, email=email, user=user, phone=phone) == give:
        return None
    wording = consent_wording(purpose) if give else gettext("Marketing consent withdrawn.")
    return consent_record(
        purpose=purpose,
        action=ConsentRecord.Action.GIVEN if give else ConsentRecord.Action.WITHDRAWN,
        wording=wording,
        channel=channel,
        user=user,
        email=email,
        phone=phone,
        ip_address=ip_address,
        user_agent=user_agent,
        source=source,
        recorded_by=recorded_by,
    )


@transaction.atomic
def consent_withdrawal_record(
    *, withdrawal: ConsentWithdrawal, recorded_by: Visitor | None
) -> list[ConsentRecord]:
    """Save a withdrawal that staff received (e.g. by registered letter); effective at once.

    Appends a ``withdrawn`` ledger row per purpose (marketing; with scope ``all`` also
    processing and transfer, and a written consent to special categories if one is live),
    naming the letter as the source.
    """
    if not withdrawal.subject_email and withdrawal.subject_user is not None:
        withdrawal.subject_email = withdrawal.subject_user.email
    withdrawal.subject_email = normalise_email(withdrawal.subject_email)
    withdrawal.subject_phone = normalise_phone(withdrawal.subject_phone)
    withdrawal.recorded_by = _user_or_none(recorded_by)
    withdrawal.save()
    purposes = [ConsentRecord.Purpose.MARKETING]
    if withdrawal.scope == ConsentWithdrawal.Scope.ALL:
        purposes.append(ConsentRecord.Purpose.PROCESSING_AND_TRANSFER)
        # Written consents to special categories (identity documents, health) end with it.
        special = ConsentRecord.Purpose.SPECIAL_CATEGORY
        if consent_is_live(
            purpose=special,
            email=withdrawal.subject_email,
            user=withdrawal.subject_user,
            phone=withdrawal.subject_phone,
        ):
            purposes.append(special)
    channels: dict[str, str] = {
        ConsentWithdrawal.Channel.LETTER: ConsentRecord.Channel.LETTER,
        ConsentWithdrawal.Channel.SITE: ConsentRecord.Channel.SITE,
    }
    channel = channels.get(withdrawal.channel, ConsentRecord.Channel.ADMIN)
    number = f" № {withdrawal.letter_number}" if withdrawal.letter_number else ""
    wording = gettext("Withdrawal received %(date)s%(number)s: %(scope)s") % {
        "date": withdrawal.received_on.strftime("%d.%m.%Y"),
        "number": number,
        "scope": withdrawal.get_scope_display(),
    }
    return [
        consent_record(
            purpose=purpose,
            action=ConsentRecord.Action.WITHDRAWN,
            wording=wording,
            channel=channel,
            user=withdrawal.subject_user,
            email=withdrawal.subject_email,
            phone=withdrawal.subject_phone,
            source=f"withdrawal:{withdrawal.pk}",
            recorded_by=recorded_by,
        )
        for purpose in purposes
    ]


def processing_consent_withdraw(
    *, user: User, ip_address: str | None = None, user_agent: str = ""
) -> ConsentWithdrawal:
    """The signed-in buyer withdraws consent to processing and transfer (and marketing).

    Effective at once: from now on privacy's guard treats them like a blocked subject for
    organizers, exports, messages and partners (tickets already bought stay valid). Staff then
    answer which processing continues and on which ground (``withdrawal_answer_record``).
    """
    withdrawal = ConsentWithdrawal(
        channel=ConsentWithdrawal.Channel.SITE,
        scope=ConsentWithdrawal.Scope.ALL,
        subject_user=user,
        subject_email=getattr(user, "email", ""),
        subject_name=user.get_full_name() if hasattr(user, "get_full_name") else "",
        note=gettext("Withdrawn by the buyer in their account (IP %(ip)s).")
        % {"ip": ip_address or "—"},
    )
    consent_withdrawal_record(withdrawal=withdrawal, recorded_by=None)
    return withdrawal


@transaction.atomic
def withdrawal_answer_record(
    *,
    withdrawal: ConsentWithdrawal,
    continued_processing: str,
    legal_ground: str,
    by: Visitor,
) -> WithdrawalAnswer:
    """Staff's reasoned answer to a withdrawal; the buyer sees it in their account."""
    if not continued_processing.strip() or not legal_ground.strip():
        raise ValueError("Both the continuing processing and its legal ground are required.")
    return WithdrawalAnswer.objects.create(
        withdrawal=withdrawal,
        continued_processing=continued_processing.strip(),
        legal_ground=legal_ground.strip(),
        answered_by=_user_or_none(by),
    )


def withdrawals_of_user(*, user: User) -> list[ConsentWithdrawal]:
    """The buyer's withdrawals (by account or e-mail), newest first, with staff's answers."""
    email = normalise_email(getattr(user, "email", ""))
    condition = Q(subject_user=user)
    if email:
        condition |= Q(subject_email=email)
    return list(
        ConsentWithdrawal.objects.filter(condition)
        .prefetch_related("answers")
        .order_by("-created_at", "-id")
    )


GUEST_CONSENT_ENDED = _(
    "The purpose of processing is achieved: every order this consent covered was made anonymous "
    "at the end of the tax period."
)


@transaction.atomic
def guest_consents_end(*, emails: Iterable[str]) -> int:
    """The orders of these buyers have all been made anonymous (the tickets app's tax-period
    run says so): a guest's consent to processing — the latest ``processing_and_transfer`` row
    of the e-mail is a "given" without an account — has served its purpose. Append an "ended"
    row for each, from which the registers' period (``RETENTION_REGISTERS_YEARS``) runs.
    A consent given through an account stays: the account still holds the data. Returns the
    rows appended."""
    emails = sorted({normalise_email(email) for email in emails} - {""})
    latest: dict[str, ConsentRecord] = {}
    purpose = ConsentRecord.Purpose.PROCESSING_AND_TRANSFER
    for start in range(0, len(emails), 500):
        rows = ConsentRecord.objects.filter(purpose=purpose, email__in=emails[start : start + 500])
        for row in rows.order_by("created_at", "id"):
            latest[row.email] = row
    with translation.override(settings.LANGUAGE_CODE):
        wording = str(GUEST_CONSENT_ENDED)
    ended = 0
    for email, row in latest.items():
        if row.action != ConsentRecord.Action.GIVEN or row.user_id is not None:
            continue
        consent_record(
            purpose=purpose,
            action=ConsentRecord.Action.ENDED,
            wording=wording,
            wording_language=settings.LANGUAGE_CODE,
            channel=ConsentRecord.Channel.RETENTION,
            email=email,
            phone=row.phone,
            policy_version=row.policy_version,
            source=row.source,
        )
        ended += 1
    return ended
