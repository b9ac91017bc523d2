"""The disclosure log records each transfer of personal data and cannot be altered."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from privacy.chain import GENESIS, link_hash, row_canonical, values_canonical
from privacy.models import ConsentRecord, Disclosure, DisclosureSubject, ledger
from privacy.services import disclosure_record
from privacy.services.ledger import chain_verify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_disclosure_records_who_to_whom_whose_which_fields_and_when(django_assert_num_queries):
    organizer = UserFactory(email="org@example.kz")
    # savepoint, both chains' heads (on PostgreSQL sent with both locks, in one round trip),
    # disclosure, subjects, release
    with django_assert_num_queries(5):
        disclosure = disclosure_record(
            actor=organizer,
            recipient="ТОО «Домбра Лайв»",
            subjects=["A@example.kz", "a@example.kz", "8 701 123 45 67"],
            fields=["name", "email", "phone"],
            purpose="Attendee export",
            channel=Disclosure.Channel.EXPORT,
        )
    disclosure = Disclosure.objects.get(pk=disclosure.pk)
    assert disclosure.actor == organizer and disclosure.actor_label == "org@example.kz"
    assert disclosure.recipient == "ТОО «Домбра Лайв»"
    assert disclosure.fields == ["name", "email", "phone"]
    assert disclosure.subject_count == 2
    assert disclosure.created_at is not None
    assert set(disclosure.subjects.values_list("subject", flat=True)) == {
        "a@example.kz",
        "+77011234567",
    }


def test_api_disclosure_without_a_user_keeps_the_actor_label():
    disclosure = disclosure_record(
        actor="API key 7",
        recipient="Partner LLP",
        subjects=["x@example.kz"],
        fields=["email"],
        purpose="Partner hand-over",
        channel=Disclosure.Channel.API,
    )
    assert disclosure.actor is None and disclosure.actor_label == "API key 7"


def test_disclosures_cannot_be_changed_or_deleted():
    disclosure = disclosure_record(
        actor=None,
        recipient="R",
        subjects=["x@example.kz"],
        fields=["email"],
        purpose="p",
        channel=Disclosure.Channel.PARTNER,
    )
    disclosure.recipient = "Someone else"
    with pytest.raises(PermissionError):
        disclosure.save()
    with pytest.raises(PermissionError):
        disclosure.delete()
    with pytest.raises(PermissionError):
        Disclosure.objects.all().update(recipient="X")
    with pytest.raises(PermissionError):
        DisclosureSubject.objects.all().delete()
    assert Disclosure.objects.get().recipient == "R"


def test_both_chains_heads_are_read_in_one_round_trip_after_the_locks():
    """A disclosure locks and reads both of its chains at once (``chain_heads_lock``, the same
    lock every chained write takes): the heads are each table's last row, or the genesis."""
    assert ledger.chain_heads_lock(Disclosure, DisclosureSubject, using="default") == [
        GENESIS,
        GENESIS,
    ]
    disclosure_record(
        actor=None,
        recipient="R",
        subjects=["a@example.kz", "b@example.kz"],
        fields=["email"],
        purpose="p",
        channel=Disclosure.Channel.LIST_VIEW,
    )
    last_subject = DisclosureSubject.objects.order_by("-pk").first()
    expected = [Disclosure.objects.get().chain_hash, last_subject.chain_hash]
    with CaptureQueriesContext(connection) as queries:
        heads = ledger.chain_heads_lock(Disclosure, DisclosureSubject, using="default")
    assert heads == expected
    (sent,) = [q["sql"] for q in queries.captured_queries]  # one round trip
    if connection.vendor == "postgresql":  # the locks first, then the heads, each on its own
        assert sent.count("pg_advisory_xact_lock") == 2 and "; SELECT (SELECT chain_hash" in sent


def test_disclosures_written_between_chained_rows_keep_both_chains_whole():
    def record(n: int) -> Disclosure:
        return disclosure_record(
            actor=None,
            recipient="R",
            subjects=[f"s{n}-{k}@example.kz" for k in range(3)],
            fields=["email"],
            purpose="p",
            channel=Disclosure.Channel.LIST_VIEW,
        )

    first = record(1)
    Disclosure.objects.create(recipient="R", purpose="p", channel=Disclosure.Channel.OTHER)
    DisclosureSubject.objects.bulk_create([DisclosureSubject(disclosure=first, subject="x")])
    record(2)
    assert chain_verify(Disclosure).broken is None
    assert chain_verify(DisclosureSubject).broken is None
    assert Disclosure.objects.count() == 3 and DisclosureSubject.objects.count() == 7


def test_a_long_list_of_subjects_is_written_in_several_statements_and_stays_chained():
    """The subject rows go in by hand-written multi-row inserts of 200: 450 subjects take three
    statements, come out in the order sealed and verify like rows saved by the ORM."""
    subjects = [f"buyer{n:03d}@example.kz" for n in range(450)]
    disclosure = disclosure_record(
        actor=None,
        recipient="R",
        subjects=subjects,
        fields=["email"],
        purpose="p",
        channel=Disclosure.Channel.EXPORT,
    )
    rows = list(DisclosureSubject.objects.order_by("id"))
    assert [row.subject for row in rows] == sorted(subjects)
    assert {row.disclosure_id for row in rows} == {disclosure.pk}
    assert rows[0].chain_previous == GENESIS
    assert all(b.chain_previous == a.chain_hash for a, b in itertools.pairwise(rows))
    assert chain_verify(DisclosureSubject).broken is None
    # each seal is the one the ORM's own sealing gives the row read back
    assert all(row.chain_hash == link_hash(row.chain_previous, row_canonical(row)) for row in rows)


def test_the_seal_of_given_values_is_the_seal_of_the_row():
    disclosure = disclosure_record(
        actor=None,
        recipient="R",
        subjects=["x@example.kz"],
        fields=["email"],
        purpose="p",
        channel=Disclosure.Channel.EXPORT,
    )
    row = DisclosureSubject(disclosure=disclosure, subject="Ünïcode «x»@example.kz")
    values = {"disclosure_id": disclosure.pk, "subject": row.subject}
    assert values_canonical(DisclosureSubject, values) == row_canonical(row)
    with pytest.raises(ValueError, match="subject"):
        values_canonical(DisclosureSubject, {"disclosure_id": disclosure.pk})
    with pytest.raises(ValueError, match="shortenable"):
        values_canonical(ConsentRecord, {})
