"""Deleting consent-ledger rows whose retention term has ended, leaving anchors in the chain.

The ledger is kept "while the consent is in force and ``RETENTION_REGISTERS_YEARS`` after it
ends" (``privacy.retention``); cookie choices ``RETENTION_COOKIE_CONSENT_DAYS``. When a row's
term ends:

* a cookie choice (``cookies_*``): when it is older than its period;
* any other consent given: when a later row of the same subject and purpose (sharing the
  account, e-mail or phone) superseded it — a withdrawal, or a new consent on a newer
  policy — longer ago than the registers' period;
* a withdrawal, or the end of a guest's consent once its orders were made anonymous
  (``guest_consents_end``): when it was written longer ago than that; a withdrawal of
  processing also no sooner than the orders it restricts are made anonymous (the end of its
  year plus ``RETENTION_ORDERS_YEARS``), since without it the guard would show the buyer again.

Rows of subjects on a legal hold are kept. The chain is cut only in runs of consecutive expired
rows, never the newest row (the next insert links to it); each run leaves a ``ChainCut``
anchor naming its first and last ids, the hash the first linked to and the last one's hash,
so ``privacy_verify`` steps over it and still finds any other missing, changed or inserted
row. On PostgreSQL the application's role cannot DELETE: the rows go through the owner's
``privacy_chain_cut`` function, which checks the run again before deleting.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from privacy.models import ChainCut, ConsentRecord
from privacy.models.ledger import ChainedModel
from privacy.retention import retention_rule
from privacy.services.retention import destruction_record, legal_hold_index

COOKIE_PURPOSES = frozenset(
    {ConsentRecord.Purpose.COOKIES_ANALYTICS, ConsentRecord.Purpose.COOKIES_MARKETING}
)
REGISTERS_RULE, COOKIES_RULE = "registers", "cookie_consents"


class ChainCutRefused(Exception):
    """The database refused a cut: the anchor and the rows it names do not agree."""


class ChainLink(Protocol):
    """What a cut needs of a row: its id and its two links."""

    @property
    def id(self) -> int: ...
    @property
    def chain_previous(self) -> str: ...
    @property
    def chain_hash(self) -> str: ...


_Link = TypeVar("_Link", bound=ChainLink)


@dataclass(frozen=True)
class LedgerCutResult:
    """What one retention run removed from the consent ledger."""

    rows: int = 0  # rows deleted
    cookie_rows: int = 0  # of them, cookie choices
    held: int = 0  # rows expired but kept under a legal hold
    cuts: int = 0  # anchors left


def years_before(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def orders_anonymised_by(written: datetime) -> datetime:
    """When the orders placed up to ``written`` are all past the tax period (made anonymous):
    the start of the year ``RETENTION_ORDERS_YEARS`` after the end of the year written."""
    local = timezone.localtime(written)
    year = local.year + 1 + settings.RETENTION_ORDERS_YEARS
    return local.replace(year=year, month=1, day=1, hour=0, minute=0, second=0, microsecond=0)


@dataclass(frozen=True)
class _Row:
    id: int
    purpose: str
    action: str
    user_id: int | None
    email: str
    phone: str
    created_at: datetime
    chain_previous: str
    chain_hash: str

    def subject_keys(self) -> list[tuple[str, str, object]]:
        keys: list[tuple[str, str, object]] = []
        if self.user_id is not None:
            keys.append((self.purpose, "user", self.user_id))
        if self.email:
            keys.append((self.purpose, "email", self.email))
        if self.phone:
            keys.append((self.purpose, "phone", self.phone))
        return keys


def _ledger_rows() -> list[_Row]:
    fields = (
        "id",
        "purpose",
        "action",
        "user_id",
        "email",
        "phone",
        "created_at",
        "chain_previous",
        "chain_hash",
    )
    rows = ConsentRecord._base_manager.order_by("pk").values_list(*fields)
    return [_Row(*values) for values in rows.iterator(chunk_size=5000)]


def consent_rows_expired(rows: list[_Row], *, now: datetime) -> set[int]:
    """The ids of the rows whose retention term has ended by ``now`` (before legal holds)."""
    registers_end = years_before(now, settings.RETENTION_REGISTERS_YEARS)
    cookies_end = now - timedelta(days=settings.RETENTION_COOKIE_CONSENT_DAYS)
    superseded_at: dict[int, datetime] = {}
    next_row_at: dict[tuple[str, str, object], datetime] = {}
    for row in sorted(rows, key=lambda r: (r.created_at, r.id), reverse=True):
        later = [next_row_at[key] for key in row.subject_keys() if key in next_row_at]
        if later:
            superseded_at[row.id] = min(later)
        for key in row.subject_keys():
            next_row_at[key] = row.created_at
    expired: set[int] = set()
    for row in rows:
        if row.purpose in COOKIE_PURPOSES:
            if row.created_at < cookies_end:
                expired.add(row.id)
            continue
        if row.action in (ConsentRecord.Action.WITHDRAWN, ConsentRecord.Action.ENDED):
            ended: datetime | None = row.created_at
            restricting = (
                row.action == ConsentRecord.Action.WITHDRAWN
                and row.purpose == ConsentRecord.Purpose.PROCESSING_AND_TRANSFER
            )
            if restricting and now < orders_anonymised_by(row.created_at):
                continue
        else:
            ended = superseded_at.get(row.id)
        if ended is not None and ended < registers_end:
            expired.add(row.id)
    return expired


def _held(rows: list[_Row], expired: set[int]) -> set[int]:
    candidates = [row for row in rows if row.id in expired]
    hold = legal_hold_index(
        emails=[row.email for row in candidates],
        phones=[row.phone for row in candidates],
        user_ids=[row.user_id for row in candidates if row.user_id is not None],
    )
    return {
        row.id
        for row in candidates
        if hold.holds(email=row.email, phone=row.phone, user_id=row.user_id)
    }


def chain_runs(rows: Sequence[_Link], deletable: set[int]) -> list[list[_Link]]:
    """Maximal runs of consecutive deletable rows (``rows`` in id order, the whole table), the
    newest row of the table never among them (the next insert links to it)."""
    runs: list[list[_Link]] = []
    current: list[_Link] = []
    for row in rows[:-1]:
        if row.id in deletable:
            current.append(row)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def chain_run_cut(
    model: type[ChainedModel], run: Sequence[ChainLink], *, rule: str, why: str
) -> None:
    """Delete one run of ``model``'s chain, leaving its anchor. On PostgreSQL through the
    owner's ``privacy_chain_cut``, which checks the run and each row's term again."""
    anchor = ChainCut.objects.create(
        chain_table=model._meta.db_table,
        first_id=run[0].id,
        last_id=run[-1].id,
        before_hash=run[0].chain_previous,
        last_hash=run[-1].chain_hash,
        rows=len(run),
        rule=rule,
        why=why,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT privacy_chain_cut(%s, %s, %s)",
                [
                    anchor.pk,
                    settings.RETENTION_REGISTERS_YEARS,
                    settings.RETENTION_COOKIE_CONSENT_DAYS,
                ],
            )
            deleted = cursor.fetchone()[0]
    else:  # no roles to enforce: the run's check above is the only one
        in_run = Q(pk__gte=anchor.first_id, pk__lte=anchor.last_id)
        deleted, _ = model._base_manager.filter(in_run).delete()
    if deleted != len(run):
        raise ChainCutRefused(f"{anchor}: {deleted} rows deleted")


def database_now() -> datetime:
    """PostgreSQL's ``now()`` (the transaction's start), which ``privacy_chain_cut`` measures
    terms from: deciding by a later time could pick rows the function then refuses."""
    if connection.vendor != "postgresql":
        return timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        moment: datetime = cursor.fetchone()[0]
    return moment


def consent_ledger_cut(*, now: datetime | None = None) -> LedgerCutResult:
    """Delete the consent-ledger rows whose term has ended (see the module), keeping those of
    subjects on a legal hold, in anchored runs; one destruction-log row per rule that removed
    anything. Returns what was removed."""
    now = now or timezone.now()
    with transaction.atomic():
        now = min(now, database_now())
        rows = _ledger_rows()
        expired = consent_rows_expired(rows, now=now)
        held = _held(rows, expired)
        runs = chain_runs(rows, expired - held)
        if not runs:
            return LedgerCutResult(held=len(held))
        with translation.override(settings.LANGUAGE_CODE):
            registers, cookies = retention_rule(REGISTERS_RULE), retention_rule(COOKIES_RULE)
            for run in runs:
                only_cookies = all(row.purpose in COOKIE_PURPOSES for row in run)
                rule = cookies if only_cookies else registers
                chain_run_cut(ConsentRecord, run, rule=rule.key, why=rule.why)
            deleted = [row for run in runs for row in run]
            cookie_rows = sum(row.purpose in COOKIE_PURPOSES for row in deleted)
            held_cookies = sum(row.purpose in COOKIE_PURPOSES for row in rows if row.id in held)
            what_registers = gettext(
                "%(count)s consent-ledger rows deleted: consents that ended and withdrawals "
                "past their period"
            )
            what_cookies = gettext("%(count)s cookie choices deleted from the consent ledger")
            for rule, what, count, held_count in (
                (registers, what_registers, len(deleted) - cookie_rows, len(held) - held_cookies),
                (cookies, what_cookies, cookie_rows, held_cookies),
            ):
                if count:
                    destruction_record(
                        rule=rule.key,
                        what=what % {"count": count},
                        why=rule.why,
                        rows=count,
                        held=held_count,
                        scope=ConsentRecord._meta.db_table,
                    )
    return LedgerCutResult(
        rows=len(deleted), cookie_rows=cookie_rows, held=len(held), cuts=len(runs)
    )
