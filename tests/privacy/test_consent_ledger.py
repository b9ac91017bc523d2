"""The consent ledger is append-only: no edit, no delete, in code or in the admin."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from privacy.models import ConsentRecord
from privacy.services import consent_is_live, consent_record, may_process
from tests.privacy.conftest import make_blocked

pytestmark = pytest.mark.django_db


def _given(**kwargs) -> ConsentRecord:
    defaults = {
        "purpose": "processing_and_transfer",
        "action": "given",
        "wording": "Согласен",
        "channel": "site",
        "email": "buyer@example.kz",
        "source": "order:AB12",
    }
    return consent_record(**{**defaults, **kwargs})


def test_row_keeps_everything_about_the_consent():
    row = _given(phone="8 701 123 45 67", ip_address="203.0.113.1", user_agent="Safari")
    row.refresh_from_db()
    assert row.policy_version.version == "1.0"
    assert (row.email, row.phone, row.channel, row.source) == (
        "buyer@example.kz",
        "+77011234567",
        "site",
        "order:AB12",
    )
    assert row.ip_address == "203.0.113.1" and row.user_agent == "Safari" and row.created_at


def test_code_cannot_change_or_delete_a_row():
    row = _given()
    row.wording = "Другой текст"
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()
    with pytest.raises(PermissionError):
        ConsentRecord.objects.filter(pk=row.pk).update(action="withdrawn")
    with pytest.raises(PermissionError):
        ConsentRecord.objects.all().delete()
    with pytest.raises(PermissionError), transaction.atomic():
        ConsentRecord.objects.bulk_update([row], ["wording"])
    assert ConsentRecord.objects.get(pk=row.pk).wording == "Согласен"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_database_refuses_raw_sql_changes():
    row = _given()
    table = ConsentRecord._meta.db_table
    for sql in (f"UPDATE {table} SET action = 'withdrawn'", f"DELETE FROM {table}"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert ConsentRecord.objects.get(pk=row.pk).action == "given"


def test_admin_shows_rows_but_offers_no_add_change_or_delete(admin_client):
    row = _given()
    changelist = admin_client.get(reverse("admin:privacy_consentrecord_changelist"))
    assert changelist.status_code == 200 and "buyer@example.kz" in changelist.content.decode()
    assert admin_client.get(reverse("admin:privacy_consentrecord_add")).status_code == 403
    change = admin_client.get(reverse("admin:privacy_consentrecord_change", args=[row.pk]))
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    posted = admin_client.post(
        reverse("admin:privacy_consentrecord_change", args=[row.pk]), {"wording": "x"}
    )
    assert posted.status_code == 403
    delete = admin_client.post(
        reverse("admin:privacy_consentrecord_delete", args=[row.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert ConsentRecord.objects.get(pk=row.pk).wording == "Согласен"


def test_latest_row_decides_whether_consent_is_live():
    _given(purpose="marketing")
    assert consent_is_live(purpose="marketing", email="buyer@example.kz")
    _given(purpose="marketing", action="withdrawn")
    assert not consent_is_live(purpose="marketing", email="buyer@example.kz")
    assert not consent_is_live(purpose="marketing")


def test_may_process_says_no_while_the_subject_is_blocked(staff_user):
    _given()
    assert may_process(purpose="processing_and_transfer", email="buyer@example.kz")
    make_blocked(staff=staff_user, email="buyer@example.kz")
    assert not may_process(purpose="processing_and_transfer", email="buyer@example.kz")
