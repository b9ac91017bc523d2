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


def _aged(email: str, action: str, years: int) -> ConsentRecord:
    from datetime import timedelta

    from django.utils import timezone

    return ConsentRecord.objects.create(
        email=email,
        purpose="marketing",
        action=action,
        wording="Согласен",
        channel="site",
        created_at=timezone.now() - timedelta(days=365 * years),
    )


def _anchor(first, last, rows: int):
    """An anchor naming the rows ``first``..``last`` of their table's chain."""
    from privacy.models import ChainCut

    return ChainCut.objects.create(
        chain_table=type(first)._meta.db_table,
        first_id=first.pk,
        last_id=last.pk,
        before_hash=first.chain_previous,
        last_hash=last.chain_hash,
        rows=rows,
        rule="registers",
        why="test",
    )


def test_the_app_role_cuts_expired_rows_only_through_the_owners_function(app_role):
    given = _aged("old@e.kz", "given", 6)
    withdrawn = _aged("old@e.kz", "withdrawn", 5)
    live = _aged("live@e.kz", "given", 5)
    newest = _aged("new@e.kz", "given", 0)
    cut = _anchor(given, withdrawn, 2)
    with _connect(*app_role) as app:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            app.execute(f"DELETE FROM privacy_consentrecord WHERE id = {given.pk}")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            app.execute("DELETE FROM privacy_chaincut")
        # Terms shorter than the function's floor are refused whatever the caller says.
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="at least"):
            app.execute("SELECT privacy_chain_cut(%s, 0, 0)", [cut.pk])
        deleted = app.execute("SELECT privacy_chain_cut(%s, 3, 730)", [cut.pk]).fetchone()
        assert deleted == (2,)
        # The same anchor again: its rows are gone, nothing else goes with it.
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="linked run"):
            app.execute("SELECT privacy_chain_cut(%s, 3, 730)", [cut.pk])
    assert set(ConsentRecord.objects.values_list("pk", flat=True)) == {live.pk, newest.pk}
    assert chain_verify(ConsentRecord).broken is None


def test_the_function_refuses_an_anchor_naming_rows_whose_term_has_not_ended(app_role):
    live = _aged("live@e.kz", "given", 5)
    recent = _aged("recent@e.kz", "withdrawn", 1)
    _aged("new@e.kz", "given", 0)
    with _connect(*app_role) as app:
        # An anchor the app role writes itself (it may append to the trails) names a live
        # consent and a recent withdrawal: nothing is deleted.
        for first, last in ((live, live), (recent, recent), (live, recent)):
            cut = _anchor(first, last, 1 if first == last else 2)
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="not ended"):
                app.execute("SELECT privacy_chain_cut(%s, 3, 730)", [cut.pk])
    assert ConsentRecord.objects.count() == 3


def test_the_function_never_cuts_the_newest_row_or_a_run_that_does_not_link(app_role):
    first = _aged("a@e.kz", "withdrawn", 6)
    _aged("b@e.kz", "given", 0)  # live: between the two
    third = _aged("c@e.kz", "withdrawn", 5)
    with _connect(*app_role) as app:
        for cut in (_anchor(third, third, 1), _anchor(first, third, 3), _anchor(first, third, 2)):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                app.execute("SELECT privacy_chain_cut(%s, 3, 730)", [cut.pk])
    assert ConsentRecord.objects.count() == 3


def test_the_retention_run_cuts_through_the_function_on_postgresql(settings):
    from privacy.services.chain_cut import consent_ledger_cut

    old = _aged("old@e.kz", "withdrawn", 5)
    _aged("new@e.kz", "given", 0)
    result = consent_ledger_cut()
    assert result.rows == 1 and not ConsentRecord.objects.filter(pk=old.pk).exists()
    assert chain_verify(ConsentRecord).broken is None
    settings.RETENTION_REGISTERS_YEARS = 1  # below the function's floor
    _aged("x@e.kz", "withdrawn", 2)
    _aged("y@e.kz", "given", 0)
    with pytest.raises(Exception, match="at least 3 years"):
        consent_ledger_cut()
    assert ConsentRecord.objects.filter(email="x@e.kz").exists()


def test_the_function_cuts_the_other_registers_by_their_own_terms(app_role):
    from privacy.models import ChainCut, Disclosure, DisclosureSubject
    from tests.privacy.test_register_cut import YEAR, _disclosure

    old = _disclosure(4 * YEAR, "a@e.kz")
    recent = _disclosure(2 * YEAR, "b@e.kz")
    _disclosure(0 * YEAR, "c@e.kz")
    old_subject = DisclosureSubject.objects.get(disclosure=old)
    recent_subject = DisclosureSubject.objects.get(disclosure=recent)
    with _connect(*app_role) as app:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            app.execute(f"DELETE FROM privacy_disclosuresubject WHERE id = {old_subject.pk}")
        # a disclosure whose subjects are still there, and a recent one, are refused
        for row in (old, recent_subject):
            cut = _anchor(row, row, 1)
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="not ended"):
                app.execute("SELECT privacy_chain_cut(%s, 3, 730)", [cut.pk])
        for row in (old_subject, old):
            cut = _anchor(row, row, 1)
            assert app.execute("SELECT privacy_chain_cut(%s, 3, 730)", [cut.pk]).fetchone() == (1,)
        # the anchors themselves are never cut
        anchor = ChainCut.objects.order_by("pk").first()
        cut = _anchor(anchor, anchor, 1)
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="no anchor"):
            app.execute("SELECT privacy_chain_cut(%s, 3, 730)", [cut.pk])
    assert not Disclosure.objects.filter(pk=old.pk).exists()
    assert Disclosure.objects.filter(pk=recent.pk).exists()
    assert all(chain_verify(model).broken is None for model in (Disclosure, DisclosureSubject))
