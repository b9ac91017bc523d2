"""From the moment of blocking the subject's data is not processed: one test per path.

Each path asks the one service (``subject_is_blocked`` or its bulk form ``blocked_index``).
The organizer's attendee list and export are built by the sales/cabinet issue on top of
``blocked_index`` + ``subject_display``/``mask_row``; the masking they get is proven here.
"""

import pytest

from privacy.models import ConsentRecord
from privacy.services import (
    SubjectBlockedError,
    blocked_index,
    blocking_unblock,
    consent_record,
    marketing_allowed_emails,
    marketing_consent_set,
    marketing_may_send,
    mask_row,
    may_process,
    subject_display,
    subject_ensure_not_blocked,
    subject_is_blocked,
)
from tests.privacy.conftest import make_blocked

pytestmark = pytest.mark.django_db
EMAIL = "blocked.buyer@example.kz"


@pytest.fixture
def blocked(staff_user):
    for purpose in ("processing_and_transfer", "marketing"):
        consent_record(purpose=purpose, action="given", wording="Да", channel="site", email=EMAIL)
    return make_blocked(staff=staff_user, email=EMAIL)


def test_path_marketing_send_skips_the_blocked_subject(blocked):
    assert not marketing_may_send(email=EMAIL)
    assert EMAIL not in marketing_allowed_emails([EMAIL, "other@example.kz"])


def test_path_marketing_opt_in_is_refused(blocked):
    with pytest.raises(SubjectBlockedError):
        marketing_consent_set(give=True, channel="site", email=EMAIL)


def test_path_organizer_list_and_export_are_masked(blocked):
    index = blocked_index(emails=[EMAIL, "other@example.kz"])
    shown = subject_display(
        name="Айгерим Садыкова", email=EMAIL, blocked=index.is_blocked(email=EMAIL)
    )
    assert shown.masked and EMAIL not in shown.email and "Садыкова" not in shown.name
    row = mask_row({"code": "T1", "email": EMAIL, "answer": "ТОО"}, blocked=True, keep=("code",))
    assert row == {"code": "T1", "email": "b***@e***.kz", "answer": "***"}
    assert not index.is_blocked(email="other@example.kz")


def test_path_transfer_to_third_parties_is_not_allowed(blocked):
    assert not may_process(purpose=ConsentRecord.Purpose.PROCESSING_AND_TRANSFER, email=EMAIL)


def test_path_editing_the_data_is_refused(blocked):
    with pytest.raises(SubjectBlockedError):
        subject_ensure_not_blocked(email=EMAIL)


def test_everything_resumes_after_unblocking(blocked, staff_user):
    blocking_unblock(request=blocked, by=staff_user, reason="Данные исправлены")
    assert not subject_is_blocked(email=EMAIL)
    assert marketing_may_send(email=EMAIL)
    assert may_process(purpose="processing_and_transfer", email=EMAIL)
