"""The organizer's venues in the cabinet: listed with their events, edited in ru/kk/en, and the
change shows on the event page; another organizer's venue stays out of reach."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from events.models import Venue
from organizers.models import Membership
from tests.factories import (
    CityFactory,
    EventFactory,
    MembershipFactory,
    OrganizerFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer():
    return OrganizerFactory()


@pytest.fixture
def manager_client(client, organizer):
    client.force_login(MembershipFactory(organizer=organizer, role=Membership.Role.MANAGER).user)
    return client


def _form(venue=None, **changes):
    data = {
        "name_ru": "Дворец Республики",
        "name_kk": "Республика сарайы",
        "name_en": "Palace of the Republic",
        "city": CityFactory().pk,
        "address_ru": "пр. Достык, 56",
        "address_kk": "Достық даңғылы, 56",
        "address_en": "56 Dostyk Ave",
        "map_url": "https://2gis.kz/almaty/firm/1",
        "latitude": "43.234",
        "longitude": "76.956",
    }
    data.update(changes)
    return data


def test_the_list_shows_own_and_shared_venues_with_their_events_in_the_nav(
    manager_client, organizer, django_assert_max_num_queries
):
    hall = VenueFactory(organizer=organizer, name_ru="Зал Достык")
    EventFactory(organizer=organizer, venue=hall)
    EventFactory(organizer=organizer, venue=hall)
    shared = VenueFactory(organizer=None, name_ru="Общий стадион")
    EventFactory(organizer=organizer, venue=shared)
    VenueFactory(organizer=OrganizerFactory(), name_ru="Чужой зал")
    url = reverse("events_cabinet:venue_list", args=[organizer.slug])
    with django_assert_max_num_queries(12):
        html = manager_client.get(url).content.decode()
    own = html.split('data-testid="venues"')[1].split('data-testid="shared-venues"')[0]
    assert "Зал Достык" in own and "2 события" in own
    assert reverse("events_cabinet:venue_edit", args=[organizer.slug, hall.pk]) in own
    assert "Общий стадион" in html.split('data-testid="shared-venues"')[1]
    assert "Чужой зал" not in html
    nav = html.split('class="cabinet-nav"')[1].split("</nav>")[0]
    assert f'<a href="{url}" aria-current="page">' in nav


def test_editing_a_venue_shows_on_its_event_page_in_every_language(
    client, manager_client, organizer
):
    hall = VenueFactory(organizer=organizer, name_ru="Старое имя")
    event = EventFactory(organizer=organizer, venue=hall)
    url = reverse("events_cabinet:venue_edit", args=[organizer.slug, hall.pk])
    assert manager_client.get(url).status_code == 200
    with translation.override("kk"):  # the page's language does not decide which text changes
        response = manager_client.post(url, _form())
    assert response.status_code == 302
    hall.refresh_from_db()
    assert (hall.name_ru, hall.name_kk, hall.name_en) == (
        "Дворец Республики",
        "Республика сарайы",
        "Palace of the Republic",
    )
    assert hall.latitude == Decimal("43.234000")
    client.logout()
    for language, name in (("en", "Palace of the Republic"), ("kk", "Республика сарайы")):
        with translation.override(language):
            assert name in client.get(event.get_absolute_url()).content.decode()


def test_a_new_venue_is_the_organizers_and_bad_input_is_a_form_error(manager_client, organizer):
    create = reverse("events_cabinet:venue_create", args=[organizer.slug])
    bad = manager_client.post(create, _form(name_ru="  ", latitude="123", map_url="not a url"))
    assert bad.status_code == 400
    assert not Venue.objects.filter(organizer=organizer).exists()
    html = bad.content.decode()
    assert "Укажите название площадки на русском" in html
    manager_client.post(create, _form(name_kk="", name_en=""))
    venue = Venue.objects.get(organizer=organizer)
    assert (venue.name_ru, venue.name_kk, venue.name_en) == ("Дворец Республики", None, None)
    with translation.override("en"):
        assert venue.name == "Дворец Республики"  # no English name: the Russian one


def test_another_organizers_or_a_shared_venue_cannot_be_edited(manager_client, organizer):
    for venue in (VenueFactory(organizer=OrganizerFactory()), VenueFactory(organizer=None)):
        url = reverse("events_cabinet:venue_edit", args=[organizer.slug, venue.pk])
        assert manager_client.get(url).status_code == 404
        assert manager_client.post(url, _form()).status_code == 404
        venue.refresh_from_db()
        assert venue.name_ru != "Дворец Республики"
