"""The one blocking question, the many-subjects variant, and the staff workflow."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.dispatch import receiver

from privacy.models import BlockingRequest
from privacy.services import (
    BlockingTransitionError,
    SubjectBlockedError,
    blocked_emails,
    blocked_index,
    blocking_block,
    blocking_reject,
    blocking_request_create,
    blocking_review_start,
    blocking_unblock,
    subject_ensure_not_blocked,
    subject_is_blocked,
)
from privacy.signals import order_subject_lookup
from tests.factories import UserFactory
from tests.privacy.conftest import make_blocked, scanned

pytestmark = pytest.mark.django_db
ALMATY = ZoneInfo("Asia/Almaty")


def _request(**fields) -> BlockingRequest:
    defaults = {
        "requester_kind": BlockingRequest.RequesterKind.SUBJECT,
        "requester_name": "Айгерим",
        "grounds": BlockingRequest.Grounds.INACCURATE,
    }
    return BlockingRequest(**{**defaults, **fields})


def test_a_request_blocks_from_the_moment_it_is_received_until_rejected(staff_user):
    request = blocking_request_create(
        request=_request(subject_email="a@example.kz"), created_by=staff_user
    )
    assert subject_is_blocked(email="a@example.kz")  # provisional: staff have not acted yet
    request = blocking_review_start(request=request, by=staff_user)
    assert subject_is_blocked(email="a@example.kz")
    rejected = blocking_reject(request=request, by=staff_user, reason="Not the subject's data")
    assert not subject_is_blocked(email="a@example.kz")
    assert rejected.rejected_by == staff_user and rejected.rejected_at is not None
    assert rejected.rejection_reason == "Not the subject's data"
    assert not subject_is_blocked()


def test_blocked_subject_is_found_by_email_in_any_case(staff_user):
    make_blocked(staff=staff_user, email="Aigerim@Example.kz")
    assert subject_is_blocked(email="aigerim@example.KZ ")
    assert not subject_is_blocked(email="other@example.kz")


def test_blocked_subject_is_found_by_phone_in_any_format(staff_user):
    make_blocked(staff=staff_user, phone="8 (701) 123-45-67")
    assert subject_is_blocked(phone="+7 701 123 45 67")
    assert not subject_is_blocked(phone="+77011234568")


def test_blocking_an_account_blocks_its_email_too(staff_user):
    user = UserFactory(email="blocked@example.kz")
    make_blocked(staff=staff_user, user=user)
    assert subject_is_blocked(user=user)
    assert subject_is_blocked(email="blocked@example.kz")
    assert BlockingRequest.objects.get().subject_email == "blocked@example.kz"


def test_unblocked_and_rejected_requests_do_not_block(staff_user):
    request = make_blocked(staff=staff_user, email="u@example.kz")
    blocking_unblock(request=request, by=staff_user, reason="Данные исправлены")
    rejected = blocking_request_create(request=_request(subject_email="r@example.kz"))
    blocking_reject(request=rejected, by=staff_user, reason="Не подтверждена личность")
    assert not subject_is_blocked(email="u@example.kz")
    assert not subject_is_blocked(email="r@example.kz")


def test_blocked_index_answers_for_a_whole_list_in_one_query(staff_user, django_assert_num_queries):
    make_blocked(staff=staff_user, email="one@example.kz")
    make_blocked(staff=staff_user, phone="+77011112233")
    emails = [f"user{n}@example.kz" for n in range(40)] + ["ONE@example.kz"]
    with django_assert_num_queries(1):
        index = blocked_index(emails=emails)
    assert index.is_blocked(email="one@example.kz")
    assert not index.is_blocked(email="user3@example.kz")
    with django_assert_num_queries(1):  # e-mails and phones in one query
        index = blocked_index(emails=emails, phones=["87011112233", "+77000000000"])
    assert index.is_blocked(phone="+7 701 111 22 33")
    assert blocked_emails(emails) == {"one@example.kz"}
    assert blocked_index(phones=["8 701 111 22 33", "+77000000000"]).phones == {"+77011112233"}


def test_blocked_index_covers_more_subjects_than_one_sql_statement_takes(staff_user):
    make_blocked(staff=staff_user, email="last@example.kz")
    emails = [f"user{n}@example.kz" for n in range(1500)] + ["last@example.kz"]
    assert blocked_emails(emails) == {"last@example.kz"}


def test_editing_a_blocked_subjects_data_is_refused(staff_user):
    make_blocked(staff=staff_user, email="frozen@example.kz")
    with pytest.raises(SubjectBlockedError):
        subject_ensure_not_blocked(email="frozen@example.kz")
    subject_ensure_not_blocked(email="free@example.kz")


def test_legal_representative_must_bring_a_document(staff_user):
    with pytest.raises(ValidationError) as error:
        blocking_request_create(
            request=_request(
                requester_kind=BlockingRequest.RequesterKind.REPRESENTATIVE,
                subject_email="child@example.kz",
            )
        )
    assert "authority_document" in error.value.message_dict
    request = blocking_request_create(
        request=_request(
            requester_kind=BlockingRequest.RequesterKind.REPRESENTATIVE,
            subject_email="child@example.kz",
            authority_document=scanned("power-of-attorney.pdf"),
        )
    )
    assert request.authority_document.name.startswith("privacy/blocking/")


def test_a_request_must_identify_the_subject():
    with pytest.raises(ValidationError):
        blocking_request_create(request=_request())


def test_each_step_is_timestamped_with_the_staff_user(staff_user):
    request = blocking_request_create(request=_request(subject_email="s@example.kz"))
    assert request.status == BlockingRequest.Status.RECEIVED
    request = blocking_review_start(request=request, by=staff_user)
    assert request.review_started_by == staff_user and request.review_started_at
    request = blocking_block(request=request, by=staff_user)
    assert request.blocked_by == staff_user and request.blocked_at
    request = blocking_unblock(request=request, by=staff_user)
    request.refresh_from_db()
    assert request.status == BlockingRequest.Status.UNBLOCKED
    assert request.unblocked_by == staff_user and request.unblocked_at


def test_impossible_steps_are_refused(staff_user):
    request = blocking_request_create(request=_request(subject_email="s@example.kz"))
    with pytest.raises(BlockingTransitionError):
        blocking_unblock(request=request, by=staff_user)
    with pytest.raises(BlockingTransitionError):
        blocking_reject(request=request, by=staff_user, reason="  ")
    blocking_reject(request=request, by=staff_user, reason="Нет оснований")
    with pytest.raises(BlockingTransitionError):
        blocking_block(request=request, by=staff_user)
    assert not subject_is_blocked(email="s@example.kz")


def test_due_time_is_one_working_day_after_receipt():
    friday = datetime(2026, 4, 30, 15, 0, tzinfo=ALMATY)  # Thursday before 1 May (a holiday)
    request = blocking_request_create(
        request=_request(subject_email="due@example.kz", received_at=friday)
    )
    # 1 May (Friday) is a holiday, 2–3 May the weekend: due by the end of Monday 4 May.
    assert request.due_at == datetime(2026, 5, 4, 23, 59, 59, tzinfo=ALMATY)


def test_subject_is_found_from_an_order_code_through_the_lookup_signal(staff_user):
    @receiver(order_subject_lookup)
    def lookup(sender, *, code, **kwargs):
        if code == "AB12CD":
            return {"email": "Buyer@Example.kz", "phone": "87015554433", "name": "Покупатель"}
        return None

    try:
        request = blocking_request_create(request=_request(subject_order_code="AB12CD"))
    finally:
        order_subject_lookup.disconnect(lookup)
    assert request.subject_email == "buyer@example.kz"
    assert request.subject_phone == "+77015554433"
    blocking_block(request=request, by=staff_user)
    assert subject_is_blocked(email="buyer@example.kz")
