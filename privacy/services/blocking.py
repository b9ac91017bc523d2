"""Blocking of personal data: the one answer to "is S blocked?" and the staff workflow.

The policy blocks data "from the moment the request is made": a request blocks as soon as it is
received, while staff review it (a *provisional* block), and for good once they confirm it.
Rejecting it lifts the block, with the reason recorded. While a block is in force the subject's
data is not processed: no marketing, no unmasked display to organizers or in exports, no
transfer to third parties, no new orders, no edits. Tickets already bought stay valid at the
door, and refunds go on.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from eventum.accounts import Visitor
from eventum.rows import Statement, statements_run
from privacy.errors import SubjectBlockedError
from privacy.identity import normalise_email, normalise_phone
from privacy.models import BlockingRequest, BlockingTransition
from privacy.services.workdays import working_days_deadline
from privacy.signals import order_subject_lookup

_CHUNK = 500
Status = BlockingRequest.Status
# Statuses in which a request blocks the subject: from receipt (provisional) to confirmation.
IN_FORCE = BlockingRequest.IN_FORCE_STATUSES


def _identifiers(
    *, email: str = "", phone: str = "", user: Visitor | None = None
) -> tuple[set[str], set[str], set[int]]:
    emails = {normalise_email(email)}
    phones = {normalise_phone(phone)}
    user_ids: set[int] = set()
    if isinstance(user, User) and user.pk:
        user_ids.add(user.pk)
        emails.add(normalise_email(user.email))
    return emails - {""}, phones - {""}, user_ids


def subject_is_blocked(*, email: str = "", phone: str = "", user: Visitor | None = None) -> bool:
    """Is this subject's personal data blocked now? The one blocking question.

    True when a blocking request in force (received, under review or blocked) names the e-mail,
    the phone or the user (or the user's e-mail). Nothing given means nobody: ``False``.
    """
    statement = subject_blocked_statement(email=email, phone=phone, user=user)
    if statement is None:
        return False
    return bool(statements_run(router.db_for_read(BlockingRequest), [statement])[0])


def subject_blocked_statement(
    *, email: str = "", phone: str = "", user: Visitor | None = None
) -> Statement | None:
    """``subject_is_blocked``'s question as one indexed read, for a caller to send with its own
    statements (``statements_run``): a row when the subject is blocked, none when not; ``None``
    when nothing names anybody. Written in SQL: every checkout asks, and the ORM took longer to
    build it than the database to answer."""
    emails, phones, user_ids = _identifiers(email=email, phone=phone, user=user)
    named, params = sql_any_of(
        ("subject_email", sorted(emails)),
        ("subject_phone", sorted(phones)),
        ("subject_user_id", sorted(user_ids)),
    )
    if not params:
        return None
    connection = connections[router.db_for_read(BlockingRequest)]
    table = connection.ops.quote_name(BlockingRequest._meta.db_table)
    return (
        f"SELECT 1 FROM {table} WHERE {named} "
        f"AND status IN ({', '.join(['%s'] * len(IN_FORCE))}) LIMIT 1",
        [*params, *(str(status) for status in IN_FORCE)],
    )


def sql_any_of(*columns: tuple[str, Sequence[Any]]) -> tuple[str, list[Any]]:
    """``(a IN (%s, …) OR b IN (…))`` over the columns given values, and its parameters: the
    condition of the written-out statements that ask who among some subjects is restricted."""
    parts: list[str] = []
    params: list[Any] = []
    for column, values in columns:
        if values:
            parts.append(f"{column} IN ({', '.join(['%s'] * len(values))})")
            params.extend(values)
    return "(" + " OR ".join(parts) + ")", params


def subject_ensure_not_blocked(
    *, email: str = "", phone: str = "", user: Visitor | None = None
) -> None:
    """Raise ``SubjectBlockedError`` if the subject is blocked: call before editing their data."""
    if subject_is_blocked(email=email, phone=phone, user=user):
        raise SubjectBlockedError(email or phone or getattr(user, "email", ""))


@dataclass(frozen=True)
class BlockedIndex:
    """Blocked subjects among a known set, fetched at once: check rows without more queries."""

    emails: frozenset[str] = field(default_factory=frozenset)
    phones: frozenset[str] = field(default_factory=frozenset)
    user_ids: frozenset[int] = field(default_factory=frozenset)

    def is_blocked(self, *, email: str = "", phone: str = "", user_id: int | None = None) -> bool:
        return (
            (bool(email) and normalise_email(email) in self.emails)
            or (bool(phone) and normalise_phone(phone) in self.phones)
            or (user_id is not None and user_id in self.user_ids)
        )

    def __bool__(self) -> bool:
        return bool(self.emails or self.phones or self.user_ids)


def chunked_conditions(*columns: tuple[str, Sequence[Any]], size: int = _CHUNK) -> Iterable[Q]:
    """``column IN (...)`` conditions OR-ed across columns, at most ``size`` values of each per
    condition: one query per 500 identifiers of each kind, however many kinds."""
    longest = max((len(values) for _column, values in columns), default=0)
    for start in range(0, longest, size):
        condition = Q()
        for column, values in columns:
            chunk = values[start : start + size]
            if chunk:
                condition |= Q(**{f"{column}__in": chunk})
        if condition:
            yield condition


def blocked_index(
    *,
    emails: Iterable[str] = (),
    phones: Iterable[str] = (),
    user_ids: Iterable[int] = (),
) -> BlockedIndex:
    """Which of these subjects are blocked, in one query per 500 identifiers of each kind
    (provisional blocks included).

    For attendee lists and exports: build it once for the page, then ask ``is_blocked`` per row.
    A subject blocked through their account is also found by the account's e-mail.
    """
    wanted_emails = sorted({normalise_email(e) for e in emails} - {""})
    wanted_phones = sorted({normalise_phone(p) for p in phones} - {""})
    wanted_users = sorted({int(u) for u in user_ids if u is not None})
    found_emails: set[str] = set()
    found_phones: set[str] = set()
    found_users: set[int] = set()
    blocked = BlockingRequest.objects.filter(status__in=IN_FORCE)
    for condition in chunked_conditions(
        ("subject_email", wanted_emails),
        ("subject_phone", wanted_phones),
        ("subject_user_id", wanted_users),
    ):
        rows = blocked.filter(condition).values_list(
            "subject_email", "subject_phone", "subject_user_id"
        )
        for email, phone, user_id in rows:
            found_emails.add(email)
            found_phones.add(phone)
            found_users.add(user_id)
    return BlockedIndex(
        emails=frozenset(found_emails & set(wanted_emails)),
        phones=frozenset(found_phones & set(wanted_phones)),
        user_ids=frozenset(found_users & set(wanted_users)),
    )


def blocked_emails(emails: Iterable[str]) -> set[str]:
    """The blocked ones among ``emails`` (normalised, lower-case), without N+1 queries."""
    return set(blocked_index(emails=emails).emails)


# --- The staff workflow -------------------------------------------------------------------


class BlockingTransitionError(Exception):
    """The request is not in a status that allows this step."""


def blocking_due_at(received_at: datetime) -> datetime:
    """Blocking is due within ``BLOCKING_REQUEST_WORKING_DAYS`` (one) working day."""
    return working_days_deadline(received_at, getattr(settings, "BLOCKING_REQUEST_WORKING_DAYS", 1))


def subject_from_order_code(code: str) -> dict[str, Any]:
    """Ask other apps (``order_subject_lookup``) who placed the order with this code."""
    if not code:
        return {}
    answers: list[tuple[Any, Any]] = order_subject_lookup.send(sender=BlockingRequest, code=code)
    for _receiver, answer in answers:
        if answer:
            return dict(answer)
    return {}


def _fill_subject_from_order(request: BlockingRequest) -> None:
    if request.subject_order_code and not (request.subject_email or request.subject_phone):
        found = subject_from_order_code(request.subject_order_code)
        request.subject_email = request.subject_email or found.get("email", "")
        request.subject_phone = request.subject_phone or found.get("phone", "")
        request.subject_name = request.subject_name or found.get("name", "")
        if request.subject_user_id is None and found.get("user") is not None:
            request.subject_user = found["user"]


def _account_for_email(email: str) -> User | None:
    """The account that uses this e-mail (primary or a confirmed extra address), if any."""
    if not email:
        return None
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    user = user_model.objects.filter(email__iexact=email).order_by("pk").first()
    if user is not None:
        return user
    address = (
        EmailAddress.objects.filter(email__iexact=email, verified=True)
        .select_related("user")
        .first()
    )
    return address.user if address is not None else None


def _fill_subject_account(request: BlockingRequest) -> None:
    """A block follows the account: it names the user, so a later e-mail change does not
    escape it."""
    if request.subject_user_id is None:
        request.subject_user = _account_for_email(normalise_email(request.subject_email))


def blocking_request_validate(request: BlockingRequest) -> None:
    """A representative brings a document; the subject is identified somehow."""
    errors: dict[str, str] = {}
    if (
        request.requester_kind == BlockingRequest.RequesterKind.REPRESENTATIVE
        and not request.authority_document
    ):
        errors["authority_document"] = _(
            "A legal representative's request needs the document that gives the authority."
        )
    if not (
        request.subject_email
        or request.subject_phone
        or request.subject_order_code
        or request.subject_user_id
    ):
        errors["subject_email"] = _("Identify the subject: e-mail, phone or order code.")
    if errors:
        raise ValidationError(errors)


# What a correction takes over from the request it corrects: the state it had reached.
_STEP_FIELDS = (
    "status",
    "review_started_at",
    "review_started_by",
    "blocked_at",
    "blocked_by",
    "rejected_at",
    "rejected_by",
    "rejection_reason",
    "unblocked_at",
    "unblocked_by",
    "unblock_reason",
)


def _staff_or_none(user: Visitor | None) -> User | None:
    return user if isinstance(user, User) else None


def _transition_log(
    request: BlockingRequest,
    *,
    from_status: str,
    by: Visitor | None,
    reason: str = "",
) -> BlockingTransition:
    """Append the step to the chained transition log, in the step's transaction."""
    return BlockingTransition.objects.create(
        request=request,
        from_status=from_status,
        to_status=request.status,
        by=_staff_or_none(by),
        reason=reason,
    )


def _correction_original(request: BlockingRequest) -> BlockingRequest:
    """The request being corrected, locked; refused if it was corrected already."""
    assert request.corrects_id is not None  # only called for a correction
    original = BlockingRequest.objects.select_for_update().get(pk=request.corrects_id)
    if original.status == Status.CORRECTED:
        raise ValidationError(
            {"corrects": _("Request № %(number)s was already corrected.") % {"number": original.pk}}
        )
    return original


def _correction_take_over(
    request: BlockingRequest, original: BlockingRequest, *, by: Visitor | None
) -> None:
    """The new request takes over the state of the one it corrects, which is closed."""
    for name in _STEP_FIELDS:
        setattr(request, name, getattr(original, name))
    from_status = original.status
    original.status = Status.CORRECTED
    original.save(update_fields=["status"])
    _transition_log(
        original,
        from_status=from_status,
        by=by,
        reason=_("Replaced by the correction № %(number)s.") % {"number": request.pk},
    )


@transaction.atomic
def blocking_request_create(
    *, request: BlockingRequest, created_by: Visitor | None = None
) -> BlockingRequest:
    """Register a new blocking request (from the public form or entered by staff).

    Fills the subject from the order code when only the code is known, and computes the due
    time (one working day after receipt). A request that ``corrects`` an earlier one (its dates
    were entered wrong) takes over that one's state, and the earlier one is closed as
    corrected; both steps go to the transition log.
    """
    _fill_subject_from_order(request)
    _fill_subject_account(request)
    blocking_request_validate(request)
    if request.received_at is None:
        request.received_at = timezone.now()
    request.due_at = blocking_due_at(request.received_at)
    request.status = Status.RECEIVED
    if isinstance(created_by, User):
        request.created_by = created_by
    original = _correction_original(request) if request.corrects_id is not None else None
    request.save()
    reason = ""
    if original is not None:
        _correction_take_over(request, original, by=created_by)
        request.save()
        reason = _("Correction of request № %(number)s.") % {"number": request.corrects_id}
    _transition_log(request, from_status="", by=created_by, reason=reason)
    return request


def _transition(
    request: BlockingRequest, *, allowed_from: tuple[str, ...], to: str
) -> BlockingRequest:
    locked = BlockingRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status not in allowed_from:
        raise BlockingTransitionError(
            _("A request in status “%(status)s” cannot be moved to “%(target)s”.")
            % {"status": locked.get_status_display(), "target": Status(to).label}
        )
    locked.from_status = locked.status
    locked.status = to
    return locked


def _step_save(locked: BlockingRequest, *, by: User, reason: str = "") -> None:
    locked.save()
    _transition_log(locked, from_status=locked.from_status, by=by, reason=reason)


@transaction.atomic
def blocking_review_start(*, request: BlockingRequest, by: User) -> BlockingRequest:
    """received → under review."""
    locked = _transition(request, allowed_from=(Status.RECEIVED,), to=Status.UNDER_REVIEW)
    locked.review_started_at, locked.review_started_by = timezone.now(), by
    _step_save(locked, by=by)
    return locked


@transaction.atomic
def blocking_block(*, request: BlockingRequest, by: User) -> BlockingRequest:
    """received / under review → blocked: from now on the subject's data is not processed."""
    locked = _transition(
        request, allowed_from=(Status.RECEIVED, Status.UNDER_REVIEW), to=Status.BLOCKED
    )
    _fill_subject_from_order(locked)
    if not (locked.subject_email or locked.subject_phone or locked.subject_user_id):
        raise BlockingTransitionError(
            _("Find the subject's e-mail, phone or account before blocking.")
        )
    locked.blocked_at, locked.blocked_by = timezone.now(), by
    _step_save(locked, by=by)
    return locked


@transaction.atomic
def blocking_reject(*, request: BlockingRequest, by: User, reason: str) -> BlockingRequest:
    """received / under review → rejected, with the reason given to the requester."""
    if not reason.strip():
        raise BlockingTransitionError(_("Give the reason for rejecting the request."))
    locked = _transition(
        request, allowed_from=(Status.RECEIVED, Status.UNDER_REVIEW), to=Status.REJECTED
    )
    locked.rejected_at, locked.rejected_by, locked.rejection_reason = timezone.now(), by, reason
    _step_save(locked, by=by, reason=reason)
    return locked


@transaction.atomic
def blocking_unblock(*, request: BlockingRequest, by: User, reason: str = "") -> BlockingRequest:
    """blocked → unblocked (the data was corrected, or the processing is lawful again)."""
    locked = _transition(request, allowed_from=(Status.BLOCKED,), to=Status.UNBLOCKED)
    locked.unblocked_at, locked.unblocked_by, locked.unblock_reason = timezone.now(), by, reason
    _step_save(locked, by=by, reason=reason)
    return locked
