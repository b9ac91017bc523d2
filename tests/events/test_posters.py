"""Posters: WebP and JPEG sizes made once per cover, a <picture> on cards and the event hero,
an artwork when there is no cover, and the demo events' own posters and descriptions."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from events.images import RENDITION_WIDTHS, cover_process
from events.models import Event
from events.services import event_duplicate
from tests.factories import EventFactory, SessionFactory, TicketTypeFactory

pytestmark = pytest.mark.django_db


def _with_cover(event: Event, color=(200, 30, 30), size=(1600, 900)) -> Event:
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    event.refresh_from_db()  # keep the next start the sessions stored
    event.cover.save("upload.png", ContentFile(buffer.getvalue()), save=True)
    cover_process(event)
    event.refresh_from_db()
    return event


def _published(**fields) -> Event:
    event = EventFactory(**fields)
    session = SessionFactory(event=event, starts_at=timezone.now() + timedelta(days=5))
    TicketTypeFactory(session=session, price=Decimal("5000"))
    return event


def test_each_width_is_made_once_in_webp_and_jpeg():
    event = _with_cover(_published())
    storage = event.cover.storage
    assert set(event.cover_renditions) == {"webp", "jpeg"}
    for key, image_format in (("webp", "WEBP"), ("jpeg", "JPEG")):
        assert sorted(map(int, event.cover_renditions[key])) == list(RENDITION_WIDTHS)
        for width, name in event.cover_renditions[key].items():
            with storage.open(name) as handle, Image.open(handle) as picture:
                assert picture.format == image_format
                assert picture.size == (int(width), int(width) * 9 // 16)
    # Processing the same picture again reuses the stored files (names carry a content hash).
    before = dict(event.cover_renditions["webp"])
    cover_process(event)
    event.refresh_from_db()
    assert event.cover_renditions["webp"] == before


def test_a_small_cover_is_not_blown_up():
    event = _with_cover(_published(), size=(640, 360))
    assert list(event.cover_renditions["jpeg"]) == ["400"]


def test_a_new_cover_replaces_the_old_sizes_and_removing_it_deletes_them():
    event = _with_cover(_published())
    storage = event.cover.storage
    old = [name for names in event.cover_renditions.values() for name in names.values()]
    event = _with_cover(event, color=(10, 120, 30))
    new = [name for names in event.cover_renditions.values() for name in names.values()]
    assert not set(old) & set(new)
    assert not any(storage.exists(name) for name in old)
    assert all(storage.exists(name) for name in new)
    event.cover = ""
    event.save()
    cover_process(event)
    event.refresh_from_db()
    assert event.cover_renditions == {}
    assert not any(storage.exists(name) for name in new)


def test_a_duplicate_gets_its_own_sizes_and_leaves_the_originals():
    event = _with_cover(_published())
    storage = event.cover.storage
    copy = event_duplicate(event=event)
    original = [name for names in event.cover_renditions.values() for name in names.values()]
    copied = [name for names in copy.cover_renditions.values() for name in names.values()]
    assert copied and not set(original) & set(copied)
    assert all(storage.exists(name) for name in original + copied)


def test_cards_and_hero_offer_webp_with_a_jpeg_fallback(client):
    event = _with_cover(_published(status=Event.Status.PUBLISHED))
    webp = event.cover.storage.url(event.cover_renditions["webp"]["400"])
    jpeg_800 = event.cover.storage.url(event.cover_renditions["jpeg"]["800"])
    for url in (reverse("events:home"), reverse("events:catalogue")):
        page = client.get(url).content.decode()
        assert '<source type="image/webp" srcset="' in page
        assert f"{webp} 400w" in page
        assert f'src="{jpeg_800}"' in page
        assert 'loading="lazy"' in page
    hero = client.get(event.get_absolute_url()).content.decode()
    assert 'class="cover cover-hero"' in hero
    assert f"{webp} 400w" in hero
    assert 'fetchpriority="high"' in hero


def test_an_event_without_a_cover_gets_an_artwork_of_its_title(client):
    event = _published(status=Event.Status.PUBLISHED, title_ru="Вечер кюев")
    page = client.get(reverse("events:catalogue")).content.decode()
    assert "<picture" not in page
    assert "cover-artwork" in page
    assert page.count("Вечер кюев") >= 2  # the artwork and the card's title
    assert "cover-artwork" in client.get(event.get_absolute_url()).content.decode()


def test_demo_events_have_their_own_posters_and_long_descriptions():
    call_command("seed_demo")
    call_command("seed_demo_seating")
    events = Event.objects.all()
    assert events.count() == 5
    for event in events:
        assert event.cover and event.cover_renditions["webp"], event.slug
        with event.cover.open("rb") as handle, Image.open(handle) as poster:
            assert poster.size == (1600, 900)
        for text in (event.description_ru, event.description_kk, event.description_en):
            assert text.count("\n\n") >= 2 and len(text) > 300, event.slug
        assert event.venue.name_kk and event.venue.name_en, event.slug
    # Seeding again keeps the posters it made.
    covers = dict(events.values_list("slug", "cover"))
    call_command("seed_demo")
    call_command("seed_demo_seating")
    assert dict(Event.objects.values_list("slug", "cover")) == covers
