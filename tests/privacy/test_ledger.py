"""The privacy trails are hash-chained: a row changed or removed behind the application's back
is found by ``manage.py privacy_verify`` and by the daily check, which tells staff."""

from importlib import import_module
from io import StringIO

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection

from privacy.chain import GENESIS, link_hash, row_canonical
from privacy.models import (
    BlockingRequest,
    BlockingTransition,
    ConsentRecord,
    ConsentWithdrawal,
    Disclosure,
    DisclosureSubject,
)
from privacy.services import (
    blocking_block,
    blocking_request_create,
    blocking_review_start,
    blocking_unblock,
    consent_record,
    consent_withdrawal_record,
    disclosure_record,
)
from privacy.services.ledger import CHAINED_MODELS, chain_verify, ledger_verify
from privacy.tasks import privacy_verify_task
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _consent(email: str = "buyer@example.kz", **fields) -> ConsentRecord:
    defaults = {"purpose": "marketing", "action": "given", "wording": "Согласен", "channel": "site"}
    return consent_record(email=email, **{**defaults, **fields})


def _behind_the_back(sql: str, params: list) -> None:
    """Raw SQL as someone with the owner's rights would run it: PostgreSQL's append-only
    triggers are switched off for it (``session_replication_role``), the models bypassed."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(sql, params)
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = origin")


def _verify() -> tuple[str, str, CommandError | None]:
    out, err = StringIO(), StringIO()
    try:
        call_command("privacy_verify", stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def test_each_row_carries_the_hash_of_the_row_before_it():
    first, second = _consent("a@example.kz"), _consent("b@example.kz")
    assert first.chain_previous == GENESIS
    assert second.chain_previous == first.chain_hash
    stored = ConsentRecord.objects.get(pk=second.pk)  # read back: the same content is hashed
    assert stored.chain_hash == link_hash(first.chain_hash, row_canonical(stored))
    out, err, error = _verify()
    assert error is None and err == ""
    assert "privacy_consentrecord: OK (2 rows)" in out


def test_privacy_verify_finds_a_row_edited_behind_the_applications_back():
    _consent("a@example.kz")
    edited = _consent("b@example.kz")
    _consent("c@example.kz")
    _behind_the_back(
        "UPDATE privacy_consentrecord SET action = %s WHERE id = %s", ["withdrawn", edited.pk]
    )
    out, err, error = _verify()
    assert error is not None and error.returncode == 1
    assert f"privacy_consentrecord: BROKEN at row {edited.pk}" in err
    assert "запись изменили после внесения" in err
    assert "privacy_disclosure: OK" in out  # the other chains are fine


def test_privacy_verify_finds_a_row_removed_behind_the_applications_back():
    _consent("a@example.kz")
    removed = _consent("b@example.kz")
    following = _consent("c@example.kz")
    _behind_the_back("DELETE FROM privacy_consentrecord WHERE id = %s", [removed.pk])
    report = chain_verify(ConsentRecord)
    assert report.broken is not None and report.broken.row_id == following.pk
    assert "перед ней запись удалили или вставили" in report.broken.problem


def test_a_row_resealed_by_hand_breaks_the_link_of_the_next_one():
    edited = _consent("a@example.kz")
    following = _consent("b@example.kz")
    edited.email = "someone-else@example.kz"
    forged = link_hash(edited.chain_previous, row_canonical(edited))
    _behind_the_back(
        "UPDATE privacy_consentrecord SET email = %s, chain_hash = %s WHERE id = %s",
        [edited.email, forged, edited.pk],
    )
    report = chain_verify(ConsentRecord)
    assert report.broken is not None and report.broken.row_id == following.pk


def test_disclosure_subjects_written_in_bulk_are_chained_in_order():
    disclosure = disclosure_record(
        actor="API key 7",
        recipient="ТОО «Партнёр»",
        subjects=["c@example.kz", "a@example.kz", "+77011234567"],
        fields=["email"],
        purpose="Delivery",
        channel=Disclosure.Channel.API,
    )
    rows = list(DisclosureSubject.objects.filter(disclosure=disclosure).order_by("pk"))
    assert [row.chain_previous for row in rows[1:]] == [row.chain_hash for row in rows[:-1]]
    assert chain_verify(DisclosureSubject).broken is None
    _behind_the_back(
        "UPDATE privacy_disclosuresubject SET subject = %s WHERE id = %s",
        ["other@example.kz", rows[1].pk],
    )
    assert chain_verify(DisclosureSubject).broken.row_id == rows[1].pk


def test_a_withdrawal_with_its_scan_is_chained(tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    withdrawal = ConsentWithdrawal(
        subject_email="letter@example.kz",
        letter_number="17",
        scan=SimpleUploadedFile("scan.pdf", b"%PDF-1.4 letter"),
    )
    consent_withdrawal_record(withdrawal=withdrawal, recorded_by=None)
    stored = ConsentWithdrawal.objects.get(pk=withdrawal.pk)
    assert stored.scan.name and stored.chain_hash == withdrawal.chain_hash
    assert [report.broken for report in ledger_verify()] == [None] * len(CHAINED_MODELS)


def test_every_blocking_step_is_logged_and_chained():
    staff = UserFactory(is_staff=True)
    request = blocking_request_create(
        request=BlockingRequest(
            requester_kind="subject",
            requester_name="Айгерим",
            subject_email="aigerim@example.kz",
            grounds="inaccurate_data",
        ),
        created_by=staff,
    )
    blocking_review_start(request=request, by=staff)
    blocking_block(request=request, by=staff)
    blocking_unblock(request=request, by=staff, reason="Данные исправлены")
    steps = list(request.transitions.order_by("pk"))
    assert [(s.from_status, s.to_status) for s in steps] == [
        ("", "received"),
        ("received", "under_review"),
        ("under_review", "blocked"),
        ("blocked", "unblocked"),
    ]
    assert all(step.by == staff for step in steps)
    assert steps[-1].reason == "Данные исправлены"
    assert chain_verify(BlockingTransition).broken is None
    _behind_the_back(
        "UPDATE privacy_blockingtransition SET reason = '' WHERE id = %s", [steps[-1].pk]
    )
    assert chain_verify(BlockingTransition).broken.row_id == steps[-1].pk


def test_daily_check_tells_staff_when_a_chain_is_broken(
    settings, django_capture_on_commit_callbacks
):
    settings.STAFF_NOTIFICATION_EMAILS = ["dpo@eventum.test"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    row = _consent()
    with django_capture_on_commit_callbacks(execute=True):
        assert privacy_verify_task.delay().get() == 0
    assert mail.outbox == []
    _behind_the_back(
        "UPDATE privacy_consentrecord SET wording = %s WHERE id = %s", ["Подменено", row.pk]
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert privacy_verify_task.delay().get() == 1
    (message,) = mail.outbox
    assert message.to == ["dpo@eventum.test"]
    assert "privacy_consentrecord" in message.body and str(row.pk) in message.body
    assert "Персональные данные" in message.subject


def test_the_daily_check_is_scheduled(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "privacy.tasks.privacy_verify_task" in tasks


class _SchemaEditor:
    """What the migration's functions use of a schema editor, inside the test's transaction."""

    connection = connection

    def execute(self, sql: str, params=None) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


MIGRATION = import_module("privacy.migrations.0011_ledger_chain")


def test_the_migration_seals_rows_written_before_the_chain():
    old = [_consent("a@example.kz"), _consent("b@example.kz")]
    # Rows from before the chain had no hashes.
    _behind_the_back("UPDATE privacy_consentrecord SET chain_previous = '', chain_hash = ''", [])
    assert chain_verify(ConsentRecord).broken is not None
    MIGRATION.seal_existing_rows(apps, _SchemaEditor())
    assert chain_verify(ConsentRecord).broken is None
    assert ConsentRecord.objects.get(pk=old[1].pk).chain_previous == (
        ConsentRecord.objects.get(pk=old[0].pk).chain_hash
    )


def test_the_migration_rebuilds_the_steps_of_requests_entered_before_the_log():
    staff = UserFactory(is_staff=True)
    request = blocking_request_create(
        request=BlockingRequest(
            requester_kind="subject",
            requester_name="Ерлан",
            subject_email="erlan@example.kz",
            grounds="other",
        ),
        created_by=staff,
    )
    blocking_block(request=request, by=staff)
    _behind_the_back("DELETE FROM privacy_blockingtransition", [])
    MIGRATION.transitions_from_requests(apps, _SchemaEditor())
    steps = list(BlockingTransition.objects.order_by("pk"))
    assert [(s.from_status, s.to_status, s.by_id) for s in steps] == [
        ("", "received", staff.pk),
        ("received", "blocked", staff.pk),
    ]
    assert steps[1].at == BlockingRequest.objects.get(pk=request.pk).blocked_at
    assert chain_verify(BlockingTransition).broken is None
