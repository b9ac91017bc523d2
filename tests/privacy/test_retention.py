"""The retention schedule (what, how long, why), the legal hold, and the destruction trail: an
append-only hash chain that ``privacy_verify`` walks like the consent ledger."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from privacy.identity import ip_network
from privacy.models import Claim, DestructionRecord
from privacy.retention import retention_schedule
from privacy.services.retention import destruction_record, legal_hold_index
from tests.factories import UserFactory
from tests.privacy.conftest import make_blocked
from tests.privacy.test_ledger import _behind_the_back

pytestmark = pytest.mark.django_db


def test_the_schedule_says_what_how_long_and_why_from_the_settings(settings):
    settings.IP_LOG_RETENTION_DAYS, settings.RETENTION_ORDERS_YEARS = 60, 6
    rules = {rule.key: rule for rule in retention_schedule()}
    assert set(rules) == {
        "ip_requests",
        "ip_statistics",
        "order_ip",
        "orders",
        "event_data",
        "registers",
        "cookie_consents",
    }
    assert "60 дней" in rules["ip_requests"].period
    assert "6 лет" in rules["orders"].period
    assert all(rule.what and rule.period and rule.why for rule in rules.values())


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.77", "203.0.113.0"),
        ("2001:db8:abcd:12:1:2:3:4", "2001:db8:abcd::"),
        ("not an address", ""),
    ],
)
def test_addresses_are_kept_only_as_their_network(address, network):
    assert ip_network(address) == network


def test_blocked_subjects_and_open_claims_are_on_a_legal_hold():
    make_blocked(staff=UserFactory(is_staff=True), email="blocked@example.kz")
    claim = Claim.objects.create(
        claimant_name="Айгерим", claimant_phone="+77015554433", topic="t", text="x"
    )
    hold = legal_hold_index(
        emails=["Blocked@Example.kz", "free@example.kz"], phones=["8 701 555 44 33"]
    )
    assert hold.holds(email="blocked@example.kz")
    assert hold.holds(phone="+7 701 555 44 33")
    assert not hold.holds(email="free@example.kz")
    Claim.objects.filter(pk=claim.pk).update(answered_on=timezone.localdate())
    assert not legal_hold_index(phones=["+77015554433"]).holds(phone="+77015554433")


def test_a_destruction_run_edited_behind_the_applications_back_is_found():
    first = destruction_record(rule="orders", what="3 orders", why="tax law", rows=3)
    destruction_record(rule="order_ip", what="2 IPs", why="fraud checks", rows=2)
    assert first.ran_by_label == "periodic task"
    with pytest.raises(PermissionError):
        first.save()  # append-only
    _behind_the_back("UPDATE privacy_destructionrecord SET rows = 0 WHERE id = %s", [first.pk])
    with pytest.raises(CommandError):
        call_command("privacy_verify", stdout=None)
    assert DestructionRecord.objects.get(pk=first.pk).rows == 0


def _consent(email: str, ip: str):
    from privacy.services import consent_record

    return consent_record(
        purpose="processing_and_transfer",
        action="given",
        wording="Согласен",
        channel="site",
        email=email,
        ip_address=ip,
    )


def test_consent_ips_past_their_period_become_their_network_and_the_chain_still_holds(settings):
    from datetime import timedelta

    from privacy.models import ConsentRecord
    from privacy.services.ledger import ledger_verify
    from privacy.services.retention import consent_ips_shorten
    from privacy.tasks import privacy_retention_task

    settings.RETENTION_ORDER_IP_DAYS = 365
    old = _consent("old@example.kz", "203.0.113.77")
    held = _consent("blocked@example.kz", "2001:db8:abcd:12::5")
    _consent("other@example.kz", "198.51.100.9")
    assert (old.ip_network, held.ip_network) == ("203.0.113.0", "2001:db8:abcd::")
    make_blocked(staff=UserFactory(is_staff=True), email="blocked@example.kz")
    later = timezone.now() + timedelta(days=400)
    assert consent_ips_shorten(now=later - timedelta(days=400)) == 0  # nothing is old yet
    assert consent_ips_shorten(now=later) == 2  # the blocked subject's row is held
    addresses = dict(ConsentRecord.objects.values_list("email", "ip_address"))
    assert addresses["old@example.kz"] == "203.0.113.0"
    assert addresses["blocked@example.kz"] == "2001:db8:abcd:12::5"
    assert all(report.broken is None for report in ledger_verify())
    run = DestructionRecord.objects.get(rule="order_ip")
    assert (run.rows, run.held) == (2, 1) and "журнале согласий" in run.what
    assert privacy_retention_task.delay().get() == 0  # only rows older than the period


def test_a_consent_ip_changed_to_another_address_is_found():
    row = _consent("a@example.kz", "203.0.113.77")
    _behind_the_back(
        "UPDATE privacy_consentrecord SET ip_address = %s WHERE id = %s", ["198.51.100.1", row.pk]
    )
    with pytest.raises(CommandError):
        call_command("privacy_verify", stdout=None)


def _early_consent(email: str, ip: str):
    """A consent as written before its IP's network was sealed beside it: the link hashes the
    full address."""
    from privacy.models import ConsentRecord

    row = ConsentRecord(
        purpose="processing_and_transfer",
        action="given",
        wording="Согласен",
        channel="site",
        email=email,
        ip_address=ip,
    )
    row.save()
    assert row.ip_network == ""
    return row


def seal_early_rows() -> None:
    """Run the migration that gives early rows their network and late seal."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    def execute(sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)

    migration = importlib.import_module("privacy.migrations.0018_consent_ip_late_seal")
    migration.seal_early_rows(apps, SimpleNamespace(connection=connection, execute=execute))


def test_consents_written_before_the_network_was_sealed_are_shortened_too(settings):
    from datetime import timedelta

    from privacy.models import ConsentRecord
    from privacy.services.ledger import ledger_verify
    from privacy.services.retention import consent_ips_shorten

    settings.RETENTION_ORDER_IP_DAYS = 365
    early = _early_consent("early@example.kz", "203.0.113.77")
    early_v6 = _early_consent("early6@example.kz", "2001:db8:abcd:12::5")
    _consent("new@example.kz", "198.51.100.9")
    seal_early_rows()
    rows = {row.email: row for row in ConsentRecord.objects.all()}
    assert (rows["early@example.kz"].ip_network, rows["early6@example.kz"].ip_network) == (
        "203.0.113.0",
        "2001:db8:abcd::",
    )
    assert rows["early@example.kz"].ip_seal and not rows["new@example.kz"].ip_seal
    assert all(report.broken is None for report in ledger_verify())

    later = timezone.now() + timedelta(days=400)
    assert consent_ips_shorten(now=later) == 3
    addresses = dict(ConsentRecord.objects.values_list("email", "ip_address"))
    assert addresses == {
        "early@example.kz": "203.0.113.0",
        "early6@example.kz": "2001:db8:abcd::",
        "new@example.kz": "198.51.100.0",
    }
    assert all(report.broken is None for report in ledger_verify())
    # The late seal still finds a shortened early row changed behind the application's back.
    _behind_the_back(
        "UPDATE privacy_consentrecord SET wording = %s WHERE id = %s", ["Не согласен", early.pk]
    )
    broken = ledger_verify()[0].broken
    assert broken is not None and broken.row_id == early.pk
    assert early_v6.pk  # the rows after it are not reached: the first break is reported


def test_an_early_consent_with_its_address_changed_in_its_network_is_found():
    early = _early_consent("early@example.kz", "203.0.113.77")
    seal_early_rows()
    _behind_the_back(
        "UPDATE privacy_consentrecord SET ip_address = %s WHERE id = %s", ["203.0.113.78", early.pk]
    )
    with pytest.raises(CommandError):
        call_command("privacy_verify", stdout=None)


def test_an_early_consent_already_changed_gets_no_seal_and_keeps_being_reported(settings):
    from datetime import timedelta

    from privacy.models import ConsentRecord
    from privacy.services.ledger import ledger_verify
    from privacy.services.retention import consent_ips_shorten

    early = _early_consent("early@example.kz", "203.0.113.77")
    _behind_the_back(
        "UPDATE privacy_consentrecord SET wording = %s WHERE id = %s", ["Не согласен", early.pk]
    )
    seal_early_rows()  # sealing it now would make the change look genuine
    row = ConsentRecord.objects.get(pk=early.pk)
    assert (row.ip_network, row.ip_seal) == ("", "")
    assert consent_ips_shorten(now=timezone.now() + timedelta(days=400)) == 0
    assert ledger_verify()[0].broken.row_id == early.pk
