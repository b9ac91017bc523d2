"""The disclosure log records each transfer of personal data and cannot be altered."""

import pytest
from django.db import connection

from privacy.models import Disclosure, DisclosureSubject
from privacy.services import disclosure_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_disclosure_records_who_to_whom_whose_which_fields_and_when(django_assert_num_queries):
    organizer = UserFactory(email="org@example.kz")
    # savepoint, disclosure, subjects, release, and per chain its head (PostgreSQL: + its lock)
    chained = 2 if connection.vendor == "postgresql" else 1
    with django_assert_num_queries(4 + 2 * chained):
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
