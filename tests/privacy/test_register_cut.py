"""The registers other than the consent ledger lose their rows when the term ends: three years
(``RETENTION_REGISTERS_YEARS``) after the matter closed, never while a subject is on a legal
hold; the chained ones in anchored runs that ``privacy_verify`` steps over."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from privacy.models import (
    BlockingRequest,
    BlockingTransition,
    ChainCut,
    Claim,
    ClaimAttachment,
    ConsentWithdrawal,
    DestructionRecord,
    Disclosure,
    DisclosureSubject,
    SubjectAccessRequest,
    WithdrawalAnswer,
)
from privacy.services.ledger import ledger_verify
from privacy.services.register_cut import registers_cut
from privacy.storage import private_storage
from privacy.tasks import privacy_retention_task
from tests.factories import UserFactory
from tests.privacy.conftest import make_blocked
from tests.privacy.test_ledger import _behind_the_back

pytestmark = pytest.mark.django_db

YEAR = timedelta(days=365)


def _ago(span: timedelta):
    return timezone.now() - span


def _letter(email: str, ago: timedelta, *, answered: timedelta | None = None, scope="marketing"):
    letter = ConsentWithdrawal.objects.create(
        subject_email=email,
        scope=scope,
        scan=SimpleUploadedFile("letter.pdf", b"%PDF-1.4 letter"),
        created_at=_ago(ago),
    )
    if answered is not None:
        WithdrawalAnswer.objects.create(
            withdrawal=letter,
            continued_processing="ничего",
            legal_ground="ст. 8",
            answered_at=_ago(answered),
        )
    return letter


def _disclosure(ago: timedelta, *subjects: str) -> Disclosure:
    disclosure = Disclosure.objects.create(
        recipient="ТОО «Организатор»",
        purpose="Допуск на мероприятие",
        channel=Disclosure.Channel.EXPORT,
        subject_count=len(subjects),
        created_at=_ago(ago),
    )
    for subject in subjects:
        DisclosureSubject.objects.create(disclosure=disclosure, subject=subject)
    return disclosure


def _blocking(email: str, status: str, ago: timedelta) -> BlockingRequest:
    when = _ago(ago)
    request = BlockingRequest.objects.create(
        requester_kind=BlockingRequest.RequesterKind.SUBJECT,
        requester_name="Айгерим",
        grounds=BlockingRequest.Grounds.OTHER,
        subject_email=email,
        authority_document=SimpleUploadedFile("power.pdf", b"%PDF-1.4 power"),
        received_at=when - timedelta(days=2),
        due_at=when - timedelta(days=1),
        status=status,
        blocked_at=when - timedelta(days=1),
        unblocked_at=when if status == BlockingRequest.Status.UNBLOCKED else None,
    )
    for before, after in (("", "received"), ("received", "blocked"), ("blocked", status)):
        if before != status:
            BlockingTransition.objects.create(
                request=request, from_status=before, to_status=after, at=when
            )
    return request


def _access(email: str, status: str, ago: timedelta) -> SubjectAccessRequest:
    return SubjectAccessRequest.objects.create(
        subject_email=email,
        status=status,
        received_at=_ago(ago) - timedelta(days=5),
        due_at=_ago(ago),
        answered_at=_ago(ago) if status == SubjectAccessRequest.Status.ANSWERED else None,
        answer_file=SimpleUploadedFile("answer.pdf", b"%PDF-1.4 answer"),
    )


def _claim(email: str, answered: timedelta | None, *, received: timedelta, **fields) -> Claim:
    claim = Claim.objects.create(
        claimant_name="Данияр",
        claimant_email=email,
        topic="Возврат",
        text="Прошу вернуть деньги",
        received_on=timezone.localdate() - received,
        answered_on=None if answered is None else timezone.localdate() - answered,
        **fields,
    )
    ClaimAttachment.objects.create(
        claim=claim, file=SimpleUploadedFile("scan.pdf", b"%PDF-1.4 claim")
    )
    return claim


def _ids(model) -> set[int]:
    return set(model._base_manager.values_list("pk", flat=True))


def _newest_rows() -> None:
    """Every chain's newest row is never cut (the next insert links to it): recent rows after
    the old ones, as a live system has."""
    _disclosure(timedelta(0), "now@e.kz")
    _letter("now@e.kz", timedelta(0), answered=timedelta(0))
    _blocking("now@e.kz", BlockingRequest.Status.BLOCKED, timedelta(0))
    DestructionRecord.objects.create(rule="orders", what="0", why="—")


def test_withdrawal_letters_and_their_answers_go_three_years_after_the_answer(
    settings, django_capture_on_commit_callbacks
):
    settings.RETENTION_ORDERS_YEARS = 5
    answered_4y = _letter("a@e.kz", 5 * YEAR, answered=4 * YEAR)
    answered_2y = _letter("b@e.kz", 5 * YEAR, answered=2 * YEAR)
    unanswered_4y = _letter("c@e.kz", 4 * YEAR)
    all_processing = _letter("d@e.kz", 4 * YEAR, answered=4 * YEAR, scope="all")
    scan = answered_4y.scan.name
    _newest_rows()
    with django_capture_on_commit_callbacks(execute=True):
        result = registers_cut()
    assert not _ids(ConsentWithdrawal) & {answered_4y.pk, unanswered_4y.pk}
    # answered two years ago; a withdrawal of all processing waits for the orders (tax period)
    assert {answered_2y.pk, all_processing.pk} <= _ids(ConsentWithdrawal)
    assert not WithdrawalAnswer.objects.filter(withdrawal_id=answered_4y.pk).exists()
    assert result.deleted["privacy_consentwithdrawal"] == 2
    assert result.deleted["privacy_withdrawalanswer"] == 1
    assert all(report.broken is None for report in ledger_verify())
    assert ChainCut.objects.filter(chain_table="privacy_withdrawalanswer").exists()
    assert not private_storage.exists(scan)


def test_disclosures_go_with_their_subjects_unless_a_subject_is_held():
    old = _disclosure(4 * YEAR, "a@e.kz", "+77011234567")
    held = _disclosure(4 * YEAR, "blocked@e.kz", "x@e.kz")
    recent = _disclosure(2 * YEAR, "r@e.kz")
    _newest_rows()
    make_blocked(staff=UserFactory(is_staff=True), email="blocked@e.kz")
    result = registers_cut()
    assert old.pk not in _ids(Disclosure)
    assert not DisclosureSubject.objects.filter(disclosure_id=old.pk).exists()
    assert {held.pk, recent.pk} <= _ids(Disclosure)
    assert DisclosureSubject.objects.filter(disclosure_id=held.pk).count() == 2
    assert result.held == 1  # the blocked subject's row (its disclosure stays with it)
    logged = DestructionRecord.objects.get(rule="registers", scope="privacy_disclosuresubject")
    assert (logged.rows, logged.held) == (2, 1)
    assert all(report.broken is None for report in ledger_verify())


def test_blocking_requests_go_three_years_after_they_were_lifted_or_rejected(
    django_capture_on_commit_callbacks,
):
    lifted = _blocking("a@e.kz", BlockingRequest.Status.UNBLOCKED, 4 * YEAR)
    rejected_recently = _blocking("b@e.kz", BlockingRequest.Status.REJECTED, 2 * YEAR)
    in_force = _blocking("c@e.kz", BlockingRequest.Status.BLOCKED, 6 * YEAR)
    document = lifted.authority_document.name
    _newest_rows()
    with django_capture_on_commit_callbacks(execute=True):
        registers_cut()
    assert lifted.pk not in _ids(BlockingRequest)
    assert not BlockingTransition.objects.filter(request_id=lifted.pk).exists()
    assert {rejected_recently.pk, in_force.pk} <= _ids(BlockingRequest)
    assert BlockingTransition.objects.filter(request_id=in_force.pk).count() == 2
    assert not private_storage.exists(document)
    assert all(report.broken is None for report in ledger_verify())


def test_a_blocking_request_whose_last_step_is_the_newest_row_waits():
    lifted = _blocking("a@e.kz", BlockingRequest.Status.UNBLOCKED, 4 * YEAR)
    registers_cut()
    # its last step is the chain's newest row: the steps before it go, the request stays
    assert lifted.pk in _ids(BlockingRequest)
    assert BlockingTransition.objects.filter(request_id=lifted.pk).count() == 1
    assert all(report.broken is None for report in ledger_verify())


def test_access_requests_and_claims_go_three_years_after_their_answer(
    django_capture_on_commit_callbacks,
):
    answered = _access("a@e.kz", SubjectAccessRequest.Status.ANSWERED, 4 * YEAR)
    open_request = _access("b@e.kz", SubjectAccessRequest.Status.RECEIVED, 5 * YEAR)
    answered_claim = _claim("c@e.kz", 4 * YEAR, received=4 * YEAR + timedelta(days=20))
    open_claim = _claim("d@e.kz", None, received=5 * YEAR)
    recent_claim = _claim("e@e.kz", 2 * YEAR, received=2 * YEAR + timedelta(days=20))
    files = [answered.answer_file.name, answered_claim.attachments.get().file.name]
    with django_capture_on_commit_callbacks(execute=True):
        result = registers_cut()
    assert _ids(SubjectAccessRequest) == {open_request.pk}
    assert _ids(Claim) == {open_claim.pk, recent_claim.pk}
    assert not ClaimAttachment.objects.filter(claim_id=answered_claim.pk).exists()
    assert not any(private_storage.exists(name) for name in files)
    assert result.deleted == {
        "privacy_subjectaccessrequest": 1,
        "privacy_claimattachment": 1,
        "privacy_claim": 1,
    }


def test_a_corrected_claim_goes_only_with_its_correction():
    original = _claim("a@e.kz", 4 * YEAR, received=4 * YEAR + timedelta(days=20))
    correction = _claim(
        "a@e.kz", 1 * YEAR, received=4 * YEAR + timedelta(days=19), corrects=original
    )
    registers_cut()
    assert {original.pk, correction.pk} <= _ids(Claim)  # the matter closed a year ago


def test_the_destruction_log_keeps_three_years_and_the_run_writes_what_it_destroyed():
    old = DestructionRecord.objects.create(
        rule="orders", what="5", why="—", created_at=_ago(4 * YEAR)
    )
    recent = DestructionRecord.objects.create(
        rule="orders", what="5", why="—", created_at=_ago(2 * YEAR)
    )
    _disclosure(4 * YEAR, "a@e.kz")
    _newest_rows()
    registers_cut()
    assert old.pk not in _ids(DestructionRecord) and recent.pk in _ids(DestructionRecord)
    written = DestructionRecord.objects.filter(rule="registers").order_by("scope")
    assert [(row.scope, row.rows) for row in written] == [
        ("privacy_destructionrecord", 1),
        ("privacy_disclosure", 1),
        ("privacy_disclosuresubject", 1),
    ]
    with translation.override("ru"):
        assert str(Disclosure._meta.verbose_name_plural) in written[1].what
    assert all(report.broken is None for report in ledger_verify())


def test_a_register_row_deleted_without_an_anchor_is_still_found():
    old = _disclosure(4 * YEAR, "a@e.kz")
    _newest_rows()
    registers_cut()
    recent = _disclosure(2 * YEAR)
    _disclosure(timedelta(0), "c@e.kz")
    _behind_the_back("DELETE FROM privacy_disclosure WHERE id = %s", [recent.pk])
    broken = {report.table: report.broken for report in ledger_verify()}
    assert broken["privacy_disclosure"] is not None
    assert old.pk not in _ids(Disclosure)


def test_the_nightly_retention_task_cuts_the_registers():
    old = _disclosure(4 * YEAR, "a@e.kz")
    _newest_rows()
    assert privacy_retention_task() == 2  # the disclosure and its subject
    assert old.pk not in _ids(Disclosure)
