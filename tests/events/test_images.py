"""Cover images: real type and size checked with Pillow, a decompression-bomb guard, thumbnails."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from events.models import Event

pytestmark = pytest.mark.django_db


def _image(fmt="PNG", size=(1600, 900), color=(200, 30, 30), name=None):
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt)
    return SimpleUploadedFile(
        name or f"cover.{fmt.lower()}", buffer.getvalue(), content_type=f"image/{fmt.lower()}"
    )


def _create(client, event_form_data, cover):
    url = reverse("events_cabinet:event_create", kwargs={"organizer_slug": client.organizer.slug})
    return client.post(url, {**event_form_data, "cover": cover})


def test_cover_is_reencoded_and_thumbnails_are_made(manager_client, event_form_data):
    response = _create(manager_client, event_form_data, _image("PNG", (3000, 2000)))
    assert response.status_code == 302
    event = Event.objects.get()
    with Image.open(event.cover.path) as cover:
        assert cover.format == "JPEG"
        assert max(cover.size) == 1920
    with Image.open(event.cover_card.path) as card:
        assert card.size == (800, 450)
    with Image.open(event.cover_thumbnail.path) as thumb:
        assert thumb.size == (400, 225)
    # The public card uses the thumbnail.
    event.status = Event.Status.PUBLISHED
    event.save()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("cover.jpg", b"<?php echo 1; ?>", content_type="image/jpeg"),
            "JPEG",
        ),
        (_image("GIF"), "JPEG, PNG"),
        (_image("PNG", (120, 90)), "200"),
    ],
    ids=["not-an-image", "gif", "too-small"],
)
def test_bad_covers_are_refused(manager_client, event_form_data, upload, message):
    response = _create(manager_client, event_form_data, upload)
    assert response.status_code == 200
    errors = response.context["form"].errors["cover"]
    assert any(message in error for error in errors)
    assert not Event.objects.exists()


def test_oversized_file_is_refused(manager_client, event_form_data, monkeypatch):
    monkeypatch.setattr("events.images.COVER_MAX_BYTES", 1000)
    response = _create(manager_client, event_form_data, _image("PNG", (800, 600)))
    assert "cover" in response.context["form"].errors
    assert not Event.objects.exists()


def test_decompression_bomb_is_refused(manager_client, event_form_data, monkeypatch):
    # A tiny file claiming a canvas bigger than the pixel limit is refused before decoding.
    monkeypatch.setattr("events.images.COVER_MAX_PIXELS", 1000 * 1000)
    response = _create(manager_client, event_form_data, _image("PNG", (2000, 2000), (0, 0, 0)))
    assert "cover" in response.context["form"].errors
    assert not Event.objects.exists()
