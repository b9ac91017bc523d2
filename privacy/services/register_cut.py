"""Deleting the rows of the privacy registers whose retention term has ended.

The schedule keeps the registers (rule ``registers`` of ``privacy.retention``) "while the
consent is in force and ``RETENTION_REGISTERS_YEARS`` after it ends". The consent ledger is cut
by ``privacy.services.chain_cut.consent_ledger_cut``; this module does the same for the other
registers, each from the moment its matter closed:

* a withdrawal letter and its answers: from the last answer (the receipt, when unanswered); a
  withdrawal of all processing no sooner than the orders it restricts are made anonymous, like
  its rows in the ledger;
* a disclosure to a third party and its subjects: from the moment the data left;
* a blocking request and its steps: from when it was rejected or lifted (a request replaced by
  a correction: when the correction's matter closed); a request in force never ends;
* an access request: from its answer or rejection; a claim: from its answer (the file of the
  answer and the claim's attachments go with it);
* a row of the destruction log: from when it was written.

Rows of subjects on a legal hold are kept. The hash-chained registers lose runs of rows through
``chain_run_cut``, which leaves an anchor for ``privacy_verify`` and, on PostgreSQL, deletes
through the owner's ``privacy_chain_cut`` (the application's role has no DELETE on them); a
parent row goes only when every one of its chained children went. Stored files are deleted
once the transaction commits. Each register that lost rows writes one destruction-log row.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.storage import Storage
from django.db import models, transaction
from django.db.models import Max
from django.db.models.fields.files import FieldFile
from django.utils import timezone, translation
from django.utils.translation import gettext

from privacy.models import (
    BlockingRequest,
    BlockingTransition,
    Claim,
    ClaimAttachment,
    ConsentWithdrawal,
    DestructionRecord,
    Disclosure,
    DisclosureSubject,
    SubjectAccessRequest,
    WithdrawalAnswer,
)
from privacy.models.ledger import ChainedModel
from privacy.retention import RetentionRule, retention_rule
from privacy.services.chain_cut import (
    REGISTERS_RULE,
    chain_run_cut,
    chain_runs,
    database_now,
    orders_anonymised_by,
    years_before,
)
from privacy.services.retention import LegalHoldIndex, destruction_record, legal_hold_index


@dataclass(frozen=True)
class _Link:
    id: int
    chain_previous: str
    chain_hash: str


@dataclass
class RegistersCutResult:
    """Rows deleted per table in one run (and rows kept under a legal hold)."""

    deleted: dict[str, int] = field(default_factory=dict)
    held_by_table: dict[str, int] = field(default_factory=dict)

    @property
    def held(self) -> int:
        return sum(self.held_by_table.values())

    @property
    def rows(self) -> int:
        return sum(self.deleted.values())


@dataclass(frozen=True)
class _Subject:
    email: str = ""
    phone: str = ""
    user_id: int | None = None


def _hold_index(subjects: Iterable[_Subject]) -> LegalHoldIndex:
    subjects = list(subjects)
    return legal_hold_index(
        emails=[s.email for s in subjects],
        phones=[s.phone for s in subjects],
        user_ids=[s.user_id for s in subjects if s.user_id is not None],
    )


def _links(model: type[ChainedModel], ids: set[int]) -> list[_Link]:
    """The chain's rows from the first to the last of ``ids``, and the row after them if there
    is one (``chain_runs`` never cuts the last row it is given: the table's newest)."""
    fields = ("pk", "chain_previous", "chain_hash")
    rows = model._base_manager.order_by("pk").values_list(*fields)
    span = rows.filter(pk__gte=min(ids), pk__lte=max(ids))
    links = [_Link(*row) for row in span.iterator(chunk_size=5000)]
    after = rows.filter(pk__gt=max(ids)).first()
    return links + ([_Link(*after)] if after else [])


class _Run:
    """One retention run over the registers: the decision time, the rule, the tally."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.end = years_before(now, settings.RETENTION_REGISTERS_YEARS)
        self.rule: RetentionRule = retention_rule(REGISTERS_RULE)
        self.result = RegistersCutResult()
        self.files: list[tuple[Storage, str]] = []

    def chain_cut(self, model: type[ChainedModel], deletable: set[int]) -> set[int]:
        """Cut ``deletable`` rows of ``model``'s chain (in anchored runs); the ids deleted."""
        if not deletable:
            return set()
        runs = chain_runs(_links(model, deletable), deletable)
        for run in runs:
            chain_run_cut(model, run, rule=self.rule.key, why=self.rule.why)
        deleted = {row.id for run in runs for row in run}
        self._count(model, len(deleted))
        return deleted

    def plain_delete(self, model: type[models.Model], ids: set[int], *files: str) -> None:
        """Delete rows of a register without a chain, newest first (a correction goes before
        the row it corrects), and their stored files once the transaction commits."""
        rows = list(model._base_manager.filter(pk__in=ids).order_by("-pk"))
        for row in rows:
            for name in files:
                self.file_forget(getattr(row, name))
            row.delete()
        self._count(model, len(rows))

    def file_forget(self, stored: FieldFile) -> None:
        """Delete this stored file once the run's transaction commits."""
        if stored and stored.name:
            self.files.append((stored.storage, stored.name))

    def files_delete_on_commit(self) -> None:
        for storage, name in self.files:
            transaction.on_commit(partial(storage.delete, name))

    def _count(self, model: type[models.Model], count: int) -> None:
        if count:
            table = model._meta.db_table
            self.result.deleted[table] = self.result.deleted.get(table, 0) + count

    def ended(self, moment: datetime | None) -> bool:
        return moment is not None and moment < self.end


def _held(run: _Run, model: type[models.Model], subjects: dict[int, _Subject]) -> set[int]:
    """The ids (keys of ``subjects``, rows of ``model``) whose subject is on a legal hold;
    counted as held."""
    hold = _hold_index(subjects.values())
    held = {
        pk
        for pk, s in subjects.items()
        if hold.holds(email=s.email, phone=s.phone, user_id=s.user_id)
    }
    if held:
        table = model._meta.db_table
        run.result.held_by_table[table] = run.result.held_by_table.get(table, 0) + len(held)
    return held


def _parents_and_children(
    run: _Run, child: type[ChainedModel], link: str, due: set[int]
) -> set[int]:
    """Cut the chained children of the ``due`` parents; returns the parents whose children
    all went (the others keep their place: a child may be the chain's newest row)."""
    children = dict(child._base_manager.filter(**{f"{link}__in": due}).values_list("pk", link))
    gone = run.chain_cut(child, set(children))
    return due - {owner for pk, owner in children.items() if pk not in gone}


def _withdrawals(run: _Run) -> None:
    letters = ConsentWithdrawal._base_manager.annotate(last_answer=Max("answers__answered_at"))
    subjects: dict[int, _Subject] = {}
    scans: dict[int, FieldFile] = {}
    for letter in letters.only(
        "pk", "scope", "created_at", "scan", "subject_email", "subject_phone", "subject_user_id"
    ):
        restricts_orders = letter.scope == ConsentWithdrawal.Scope.ALL
        if restricts_orders and run.now < orders_anonymised_by(letter.created_at):
            continue
        if run.ended(getattr(letter, "last_answer", None) or letter.created_at):
            subjects[letter.pk] = _Subject(
                letter.subject_email, letter.subject_phone, letter.subject_user_id
            )
            scans[letter.pk] = letter.scan
    due = set(subjects) - _held(run, ConsentWithdrawal, subjects)
    letters_due = _parents_and_children(run, WithdrawalAnswer, "withdrawal", due)
    for pk in run.chain_cut(ConsentWithdrawal, letters_due):
        run.file_forget(scans[pk])


def _disclosures(run: _Run) -> None:
    expired = set(
        Disclosure._base_manager.filter(created_at__lt=run.end).values_list("pk", flat=True)
    )
    named = DisclosureSubject._base_manager.filter(disclosure_id__in=expired)
    subjects: dict[int, _Subject] = {}
    of_disclosure: dict[int, int] = {}
    for pk, disclosure_id, subject in named.values_list("pk", "disclosure_id", "subject"):
        subjects[pk] = _Subject(email=subject, phone=subject)
        of_disclosure[pk] = disclosure_id
    held = {of_disclosure[pk] for pk in _held(run, DisclosureSubject, subjects)}
    due = _parents_and_children(run, DisclosureSubject, "disclosure", expired - held)
    run.chain_cut(Disclosure, due)


_Register = type[SubjectAccessRequest] | type[BlockingRequest] | type[Claim]


def _closed_requests(
    run: _Run,
    model: _Register,
    closed_at: Callable[[Any], datetime | None],
    subject: Callable[[Any], _Subject],
) -> set[int]:
    """The rows of a register whose matter closed before the registers' period, less those of
    subjects on a legal hold. A corrected row's matter goes on in its correction, so it closes
    with it, and it goes only with it (the correction refers to it)."""
    rows = {row.pk: row for row in model._base_manager.all()}
    corrector = {row.corrects_id: pk for pk, row in rows.items() if row.corrects_id is not None}

    def latest(pk: int) -> int:
        seen = {pk}
        while pk in corrector and corrector[pk] not in seen:
            pk = corrector[pk]
            seen.add(pk)
        return pk

    expired = {
        pk: subject(row) for pk, row in rows.items() if run.ended(closed_at(rows[latest(pk)]))
    }
    due = set(expired) - _held(run, model, expired)
    while stranded := {pk for pk in due if pk in corrector and corrector[pk] not in due}:
        due -= stranded
    return due


def _identity(row: Any) -> _Subject:
    return _Subject(row.subject_email, row.subject_phone, row.subject_user_id)


def _blocking_requests(run: _Run) -> None:
    last_step: dict[int, datetime] = dict(
        BlockingTransition._base_manager.values("request_id")
        .annotate(at=Max("at"))
        .values_list("request_id", "at")
    )
    closed = (BlockingRequest.Status.REJECTED, BlockingRequest.Status.UNBLOCKED)

    def closed_at(row: BlockingRequest) -> datetime | None:
        if row.status not in closed:
            return None
        when: datetime = row.unblocked_at or row.rejected_at or row.received_at
        return max(when, last_step.get(row.pk, when))

    due = _closed_requests(run, BlockingRequest, closed_at, _identity)
    due = _parents_and_children(run, BlockingTransition, "request", due)
    run.plain_delete(BlockingRequest, due, "authority_document")


def _access_requests(run: _Run) -> None:
    status = SubjectAccessRequest.Status

    def closed_at(row: SubjectAccessRequest) -> datetime | None:
        if row.status in (status.ANSWERED, status.REJECTED):
            return row.answered_at or row.received_at
        if row.status == status.AWAITING_CONFIRMATION:  # never became a request
            return row.confirmation_sent_at or row.received_at
        return None

    due = _closed_requests(run, SubjectAccessRequest, closed_at, _identity)
    run.plain_delete(SubjectAccessRequest, due, "answer_file")


def _claims(run: _Run) -> None:
    def closed_at(row: Claim) -> datetime | None:
        if row.answered_on is None:
            return None
        next_day = datetime.combine(row.answered_on + timedelta(days=1), time())
        return timezone.make_aware(next_day)

    def claimant(row: Claim) -> _Subject:
        return _Subject(row.claimant_email, row.claimant_phone, row.claimant_user_id)

    due = _closed_requests(run, Claim, closed_at, claimant)
    attachments = set(ClaimAttachment.objects.filter(claim_id__in=due).values_list("pk", flat=True))
    run.plain_delete(ClaimAttachment, attachments, "file")
    run.plain_delete(Claim, due, "answer_file")


def _destruction_log(run: _Run) -> None:
    expired = DestructionRecord._base_manager.filter(created_at__lt=run.end)
    run.chain_cut(DestructionRecord, set(expired.values_list("pk", flat=True)))


# In the order parents' rows become free of their children's references.
_REGISTERS: tuple[Callable[[_Run], None], ...] = (
    _withdrawals,
    _disclosures,
    _blocking_requests,
    _access_requests,
    _claims,
    _destruction_log,
)


def registers_cut(*, now: datetime | None = None) -> RegistersCutResult:
    """Delete the register rows whose term has ended (see the module), keeping those of
    subjects on a legal hold; one destruction-log row per register that lost rows."""
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        run = _Run(min(now or timezone.now(), database_now()))
        for register in _REGISTERS:
            register(run)
        for table, count in run.result.deleted.items():
            destruction_record(
                rule=run.rule.key,
                what=gettext("%(count)s rows of %(register)s deleted: their term has ended")
                % {"count": count, "register": _register_name(table)},
                why=run.rule.why,
                rows=count,
                held=run.result.held_by_table.get(table, 0),
                scope=table,
            )
        run.files_delete_on_commit()
    return run.result


def _register_name(table: str) -> str:
    models_by_table = {model._meta.db_table: model for model in _MODELS}
    return str(models_by_table[table]._meta.verbose_name_plural)


_MODELS: tuple[type[models.Model], ...] = (
    ConsentWithdrawal,
    WithdrawalAnswer,
    Disclosure,
    DisclosureSubject,
    BlockingRequest,
    BlockingTransition,
    SubjectAccessRequest,
    Claim,
    ClaimAttachment,
    DestructionRecord,
)
