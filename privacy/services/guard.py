"""The one enforcement point: how much of a buyer's personal data may reach someone else.

A subject is *restricted* while

* a blocking request naming them is in force — from the moment it is received (a provisional
  block) until staff reject or lift it (``privacy.services.blocking``), or
* they have withdrawn their consent to processing and transfer, until they give it again (the
  latest ``processing_and_transfer`` row of the consent ledger about them is a withdrawal).

Everything that shows or hands a buyer's data to anyone but the buyer — the organizer's cabinet
(order list, order page, search, attendee exports, message reports, PDF tickets), the check-in
answer, staff shortcuts outside the admin, partners — asks a ``SubjectGuard`` built once for the
rows it is about to show, and shows ``guard.display(...)`` / ``guard.row(...)``: restricted
subjects come out masked with ``masked=True`` (the page shows a "data blocked" mark), never
silently dropped, so organizers can still check tickets in and refund.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.db import connections, router
from django.db.models import Exists, OuterRef, Q

from eventum.accounts import Visitor
from privacy.identity import normalise_email, normalise_phone
from privacy.models import BlockingRequest, ConsentRecord
from privacy.services.blocking import IN_FORCE, BlockedIndex, chunked_conditions, sql_any_of
from privacy.services.masking import SubjectDisplay, mask_row, subject_display

PROCESSING = ConsentRecord.Purpose.PROCESSING_AND_TRANSFER
WITHDRAWN = ConsentRecord.Action.WITHDRAWN


@dataclass(frozen=True)
class Subject:
    """Who a row of personal data is about: any of e-mail, phone and account."""

    email: str = ""
    phone: str = ""
    user_id: int | None = None


@dataclass(frozen=True)
class _Latest:
    """The latest processing consent row seen for one identifier."""

    at: datetime
    row_id: int
    action: str


@dataclass(frozen=True)
class SubjectGuard:
    """Restricted subjects among a known set, fetched at once: ask per row without queries."""

    blocked: BlockedIndex = field(default_factory=BlockedIndex)
    latest_by_email: dict[str, _Latest] = field(default_factory=dict)
    latest_by_phone: dict[str, _Latest] = field(default_factory=dict)
    latest_by_user: dict[int, _Latest] = field(default_factory=dict)

    def is_blocked(self, *, email: str = "", phone: str = "", user_id: int | None = None) -> bool:
        """A blocking request names the subject (provisionally or confirmed)."""
        return self.blocked.is_blocked(email=email, phone=phone, user_id=user_id)

    def has_withdrawn(
        self, *, email: str = "", phone: str = "", user_id: int | None = None
    ) -> bool:
        """The latest processing consent row about any of the subject's identifiers is a
        withdrawal (a consent given again later, e.g. at a new checkout, ends it)."""
        candidates = [
            self.latest_by_email.get(normalise_email(email)),
            self.latest_by_phone.get(normalise_phone(phone)),
            self.latest_by_user.get(user_id) if user_id is not None else None,
        ]
        seen = [c for c in candidates if c is not None]
        if not seen:
            return False
        return max(seen, key=lambda c: (c.at, c.row_id)).action == WITHDRAWN

    def is_restricted(
        self, *, email: str = "", phone: str = "", user_id: int | None = None
    ) -> bool:
        return self.is_blocked(email=email, phone=phone, user_id=user_id) or self.has_withdrawn(
            email=email, phone=phone, user_id=user_id
        )

    def display(
        self, *, name: str = "", email: str = "", phone: str = "", user_id: int | None = None
    ) -> SubjectDisplay:
        """Name, e-mail and phone as someone other than the subject may see them."""
        return subject_display(
            name=name,
            email=email,
            phone=phone,
            blocked=self.is_restricted(email=email, phone=phone, user_id=user_id),
        )

    def row(
        self,
        row: dict[str, Any],
        *,
        email: str = "",
        phone: str = "",
        user_id: int | None = None,
        keep: tuple[str, ...] = (),
    ) -> dict[str, Any]:
        """An export row, every personal value masked when the subject is restricted."""
        restricted = self.is_restricted(email=email, phone=phone, user_id=user_id)
        return mask_row(row, blocked=restricted, keep=keep)


_Key = TypeVar("_Key", str, int)


def _keep_latest(
    found: dict[_Key, _Latest], key: _Key | None, at: datetime, row_id: int, action: str
) -> None:
    if not key:
        return
    current = found.get(key)
    if current is None or (at, row_id) > (current.at, current.row_id):
        found[key] = _Latest(at=at, row_id=row_id, action=action)


_BLOCKED, _WITHDRAWN = "b", "w"


def _restriction_rows(
    emails: list[str], phones: list[str], user_ids: list[int]
) -> Iterator[tuple[str, str, str, int | None]]:
    """``(kind, e-mail, phone, user id)`` of the blocking requests in force (``_BLOCKED``) and
    the processing withdrawals (``_WITHDRAWN``) naming any of these identifiers.

    Hand-written, both tables in one statement: the cabinet asks this for every page of
    buyers it shows, and the ORM spent more time building the two queries than the database
    took to answer them."""
    connection = connections[router.db_for_read(BlockingRequest)]
    quote = connection.ops.quote_name
    block_columns = ["subject_email", "subject_phone", "subject_user_id"]
    consent_columns = ["email", "phone", "user_id"]
    limit = connection.features.max_query_params
    # each identifier is asked of both tables; SQLite takes 999 parameters a statement
    size = 500 if limit is None else (limit - 2 - len(IN_FORCE)) // 6
    longest = max(len(emails), len(phones), len(user_ids))
    with connection.cursor() as cursor:
        for start in range(0, longest, size):
            chunks = [values[start : start + size] for values in (emails, phones, user_ids)]
            if not any(chunks):
                continue
            blocked_by, blocked_params = sql_any_of(*zip(block_columns, chunks, strict=True))
            withdrawn_by, withdrawn_params = sql_any_of(*zip(consent_columns, chunks, strict=True))
            cursor.execute(
                f"SELECT '{_BLOCKED}', {', '.join(block_columns)}"
                f" FROM {quote(BlockingRequest._meta.db_table)}"
                f" WHERE status IN ({', '.join(['%s'] * len(IN_FORCE))}) AND {blocked_by}"
                f" UNION ALL SELECT '{_WITHDRAWN}', {', '.join(consent_columns)}"
                f" FROM {quote(ConsentRecord._meta.db_table)}"
                f" WHERE purpose = %s AND action = %s AND {withdrawn_by}",
                [
                    *map(str, IN_FORCE),
                    *blocked_params,
                    *(str(PROCESSING), str(WITHDRAWN)),
                    *withdrawn_params,
                ],
            )
            yield from cursor.fetchall()


def subjects_guard(subjects: Iterable[Subject]) -> SubjectGuard:
    """The guard for these subjects: a few queries however many rows (500 identifiers a query).

    Build it once for a page, an export or a batch of letters, then ask it per row.
    """
    subjects = list(subjects)
    emails = sorted({normalise_email(s.email) for s in subjects} - {""})
    phones = sorted({normalise_phone(s.phone) for s in subjects} - {""})
    user_ids = sorted({int(s.user_id) for s in subjects if s.user_id is not None})
    by_email: dict[str, _Latest] = {}
    by_phone: dict[str, _Latest] = {}
    by_user: dict[int, _Latest] = {}
    # Who among them a blocking request in force names, and who has a withdrawal at all (only
    # those can be restricted by one): one statement per 500 identifiers of each kind. The
    # whole processing history is then read for those few only.
    blocked: dict[str, set[Any]] = {"email": set(), "phone": set(), "user_id": set()}
    withdrawn: dict[str, set[Any]] = {"email": set(), "phone": set(), "user_id": set()}
    for kind, email, phone, user_id in _restriction_rows(emails, phones, user_ids):
        found = blocked if kind == _BLOCKED else withdrawn
        found["email"].add(email)
        found["phone"].add(phone)
        found["user_id"].add(user_id)
    wanted = {
        "email": withdrawn["email"] & set(emails),
        "phone": withdrawn["phone"] & set(phones),
        "user_id": withdrawn["user_id"] & set(user_ids),
    }
    rows = ConsentRecord.objects.filter(purpose=PROCESSING)
    for condition in chunked_conditions(*((k, sorted(v)) for k, v in wanted.items())):
        history = rows.filter(condition).values_list(
            "email", "phone", "user_id", "created_at", "id", "action"
        )
        for email, phone, user_id, at, row_id, action in history:
            _keep_latest(by_email, email if email in wanted["email"] else "", at, row_id, action)
            _keep_latest(by_phone, phone if phone in wanted["phone"] else "", at, row_id, action)
            user_key = user_id if user_id in wanted["user_id"] else None
            _keep_latest(by_user, user_key, at, row_id, action)
    return SubjectGuard(
        blocked=BlockedIndex(
            emails=frozenset(blocked["email"] & set(emails)),
            phones=frozenset(blocked["phone"] & set(phones)),
            user_ids=frozenset(blocked["user_id"] & set(user_ids)),
        ),
        latest_by_email=by_email,
        latest_by_phone=by_phone,
        latest_by_user=by_user,
    )


def _user_id(user: Visitor | int | None) -> int | None:
    if user is None or isinstance(user, int):
        return user
    return user.pk if isinstance(user, User) else None


def restricted_subject_q(*, email: str = "email", phone: str = "phone", user: str = "user") -> Q:
    """A condition on another app's rows (their e-mail, phone and account columns) that holds
    for restricted subjects: lets a search never *find* someone by data that is blocked."""

    def _same(prefix: str) -> Q:
        condition = Q(**{f"{prefix}email": OuterRef(email)}) & ~Q(**{f"{prefix}email": ""})
        condition |= Q(**{f"{prefix}phone": OuterRef(phone)}) & ~Q(**{f"{prefix}phone": ""})
        condition |= Q(**{f"{prefix}user": OuterRef(user)})
        return condition

    blocked = Exists(BlockingRequest.objects.filter(_same("subject_"), status__in=IN_FORCE))
    same_subject = (
        Q(email=OuterRef(OuterRef(email))) & ~Q(email="")
        | Q(phone=OuterRef(OuterRef(phone))) & ~Q(phone="")
        | Q(user=OuterRef(OuterRef(user)))
    )
    later = ConsentRecord.objects.filter(
        same_subject, purpose=PROCESSING, created_at__gt=OuterRef("created_at")
    )
    withdrawn = Exists(
        ConsentRecord.objects.filter(_same(""), purpose=PROCESSING, action=WITHDRAWN).filter(
            ~Exists(later)
        )
    )
    return Q(blocked) | Q(withdrawn)
