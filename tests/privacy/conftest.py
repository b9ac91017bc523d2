"""Fixtures for the privacy tests."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from privacy.models import BlockingRequest
from privacy.services import blocking_block, blocking_request_create
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _russian_by_default():
    """Each test starts in the default language (requests to /en/ pages switch the thread's)."""
    translation.activate("ru")
    yield
    translation.deactivate()


@pytest.fixture
def staff_user(db):
    return UserFactory(is_staff=True, is_superuser=True, email="staff@eventum.test")


@pytest.fixture
def buyer(db):
    return UserFactory(email="aigerim@example.kz")


def scanned(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 scanned letter", content_type="application/pdf")


def make_blocked(*, staff, email: str = "", phone: str = "", user=None) -> BlockingRequest:
    request = blocking_request_create(
        request=BlockingRequest(
            requester_kind=BlockingRequest.RequesterKind.SUBJECT,
            requester_name="Айгерим Садыкова",
            grounds=BlockingRequest.Grounds.UNLAWFUL,
            subject_email=email,
            subject_phone=phone,
            subject_user=user,
        ),
        created_by=staff,
    )
    return blocking_block(request=request, by=staff)
