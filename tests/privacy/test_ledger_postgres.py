"""On PostgreSQL the application's role may append to the trails but not change them, and
concurrent inserts do not fork a chain."""

import uuid
from io import StringIO

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from privacy.models import ConsentRecord
from privacy.services import consent_record
from privacy.services.dbrole import trail_tables
from privacy.services.ledger import chain_verify
from tests.tickets.race import race

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def app_role():
    """A login role with the grants ``privacy_app_role_sql`` prints; dropped afterwards."""
    role = f"eventum_app_{uuid.uuid4().hex[:8]}"
    password = uuid.uuid4().hex
    owner = connection.settings_dict["USER"]
    out = StringIO()
    call_command("privacy_app_role_sql", role, owner=owner, stdout=out)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} LOGIN PASSWORD %s", [password])
        cursor.execute(out.getvalue())
    yield role, password
    with connection.cursor() as cursor:
        cursor.execute(f"DROP OWNED BY {role}")
        cursor.execute(f"DROP ROLE {role}")


def _connect(role: str, password: str) -> psycopg.Connection:
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        dbname=settings["NAME"],
        user=role,
        password=password,
        autocommit=True,
    )


def test_the_app_role_may_insert_into_the_trails_but_not_change_them(app_role):
    row = consent_record(
        purpose="marketing", action="given", wording="Согласен", channel="site", email="a@e.kz"
    )
    assert set(trail_tables()) >= {"privacy_consentrecord", "privacy_blockingtransition"}
    with _connect(*app_role) as app:
        app.execute(
            "INSERT INTO privacy_disclosure (created_at, actor_label, recipient, purpose, "
            "channel, fields, subject_count, chain_previous, chain_hash) "
            "VALUES (now(), 'x', 'y', 'z', 'other', '[]', 0, '', '')"
        )
        assert app.execute("SELECT count(*) FROM privacy_consentrecord").fetchone() == (1,)
        table = "privacy_consentrecord"
        for statement in (
            f"UPDATE {table} SET wording = 'x' WHERE id = {row.pk}",
            f"DELETE FROM {table} WHERE id = {row.pk}",
            f"TRUNCATE {table}",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute(statement)
        # Ordinary tables stay fully writable for the application.
        app.execute("UPDATE privacy_moveddayoff SET note = note")
    assert ConsentRecord.objects.get(pk=row.pk).wording == "Согласен"


def test_even_the_owner_is_refused_by_the_append_only_trigger():
    row = consent_record(
        purpose="marketing", action="given", wording="Согласен", channel="site", email="b@e.kz"
    )
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute("UPDATE privacy_consentrecord SET wording = 'x' WHERE id = %s", [row.pk])
    assert ConsentRecord.objects.get(pk=row.pk).wording == "Согласен"


def test_the_app_role_may_only_shorten_a_consent_ip_to_its_sealed_network(app_role):
    row = consent_record(
        purpose="marketing",
        action="given",
        wording="Согласен",
        channel="site",
        email="c@e.kz",
        ip_address="203.0.113.77",
    )
    table = "privacy_consentrecord"
    with _connect(*app_role) as app:
        for statement in (
            f"UPDATE {table} SET ip_address = '198.51.100.1' WHERE id = {row.pk}",
            f"UPDATE {table} SET ip_address = '203.0.113.0', email = 'x@e.kz' WHERE id = {row.pk}",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute(statement)
            app.rollback()
    assert ConsentRecord.objects.filter(pk=row.pk).ip_addresses_shorten() == 1
    assert ConsentRecord.objects.get(pk=row.pk).ip_address == "203.0.113.0"


def test_concurrent_inserts_do_not_fork_the_chain():
    def append(n: int) -> int:
        return consent_record(
            purpose="marketing",
            action="given",
            wording="Согласен",
            channel="site",
            email=f"buyer{n}@example.kz",
        ).pk

    wins, losses = race(12, append)
    assert losses == [] and len(wins) == 12
    report = chain_verify(ConsentRecord)
    assert report.broken is None and report.rows == 12
    previous = list(ConsentRecord.objects.order_by("pk").values_list("chain_previous", flat=True))
    assert len(set(previous)) == 12  # no two rows link to the same predecessor


def test_an_early_consent_is_sealed_by_the_owner_then_shortened_by_the_app_role(app_role):
    from tests.privacy.test_retention import _early_consent, seal_early_rows

    early = _early_consent("early@example.kz", "203.0.113.77")
    seal_early_rows()  # the migration, as the owner: the trigger is switched on again after it
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute("UPDATE privacy_consentrecord SET wording = 'x' WHERE id = %s", [early.pk])
    with _connect(*app_role) as app:
        for statement in (
            f"UPDATE privacy_consentrecord SET ip_address = '198.51.100.1' WHERE id = {early.pk}",
            f"UPDATE privacy_consentrecord SET ip_seal = '' WHERE id = {early.pk}",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute(statement)
        app.execute(
            f"UPDATE privacy_consentrecord SET ip_address = ip_network::inet WHERE id = {early.pk}"
        )
    assert ConsentRecord.objects.get(pk=early.pk).ip_address == "203.0.113.0"
    assert chain_verify(ConsentRecord).broken is None
