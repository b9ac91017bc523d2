import pytest
from django.utils import timezone, translation

from privacy.models import PolicyVersion


@pytest.fixture
def policy(db):
    """The version in force: published after the one the migrations load."""
    return PolicyVersion.objects.create(
        version="2026-1", text="Политика", published_at=timezone.now()
    )


@pytest.fixture(autouse=True)
def _russian_by_default():
    """A request in another language must not leave it active for the next test."""
    with translation.override("ru"):
        yield
