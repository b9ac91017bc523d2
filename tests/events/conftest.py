from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import CategoryFactory, CityFactory, MembershipFactory


@pytest.fixture
def manager_client(client):
    """A signed-in manager of a verified organizer."""
    membership = MembershipFactory(role="manager")
    client.force_login(membership.user)
    client.organizer = membership.organizer
    client.membership = membership
    return client


@pytest.fixture
def event_form_data():
    city = CityFactory()
    category = CategoryFactory()
    return {
        "title_ru": "Ночь домбры",
        "title_kk": "Домбыра түні",
        "title_en": "Dombra Night",
        "description_ru": "Большой концерт домбристов.",
        "description_kk": "Домбырашылардың үлкен концерті.",
        "description_en": "A big dombra concert.",
        "category": category.pk,
        "age_rating": "6+",
        "venue_name": "Дворец Республики",
        "venue_city": city.pk,
        "venue_address": "пр. Достык, 56",
        "venue_latitude": "43.233000",
        "venue_longitude": "76.956000",
    }


def local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def in_days():
    def at(days: int, hour: int = 19):
        base = timezone.localtime() + timedelta(days=days)
        return base.replace(hour=hour, minute=0, second=0, microsecond=0)

    return at


@pytest.fixture(autouse=True)
def _default_language():
    """Start each test in Russian: a request to /kk/ or /en/ leaves its language active in the
    thread, and URLs reversed afterwards would carry that prefix."""
    from django.utils import translation

    translation.activate("ru")
    yield
    translation.deactivate()
