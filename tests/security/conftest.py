import pytest
from django.utils import timezone, translation

from privacy.models import PolicyVersion


@pytest.fixture
def policy(db):
    return PolicyVersion.objects.create(
        version="2026-1", text="Политика", published_at=timezone.now() - timezone.timedelta(days=1)
    )


@pytest.fixture(autouse=True)
def _russian_by_default():
    """A request in another language must not leave it active for the next test."""
    with translation.override("ru"):
        yield
