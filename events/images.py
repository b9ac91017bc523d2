"""Cover images: what an upload must be (checked with Pillow) and the sizes made from it."""

from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from events.models import Event
from eventum.pictures import DamagedPicture, NotAPicture, TooManyPixels, picture_header

COVER_MAX_BYTES = 5 * 1024 * 1024
COVER_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
# Decompression-bomb guard: a small file may claim a huge canvas; refuse before decoding it.
COVER_MAX_PIXELS = 40_000_000
COVER_MIN_SIDE = 200
COVER_MAX_SIDE = 1920
CARD_SIZE = (800, 450)
THUMBNAIL_SIZE = (400, 225)


def validate_cover(upload: UploadedFile) -> None:
    """A real JPEG, PNG or WebP picture, at most 5 MB and 40 megapixels, at least 200 px a side."""
    if upload.size and upload.size > COVER_MAX_BYTES:
        raise ValidationError(
            _("The image is larger than %(limit)d MB.") % {"limit": COVER_MAX_BYTES // 2**20},
            code="cover_too_large",
        )
    try:
        image_format, width, height = picture_header(upload, max_pixels=COVER_MAX_PIXELS)
    except TooManyPixels:
        raise ValidationError(
            _("The image has too many pixels (at most 40 megapixels)."),
            code="cover_too_many_pixels",
        ) from None
    except DamagedPicture:
        raise ValidationError(
            _("The image file is damaged. Upload another one."), code="cover_broken"
        ) from None
    except NotAPicture:
        raise ValidationError(
            _("Upload a picture in JPEG, PNG or WebP format."), code="cover_not_image"
        ) from None
    if image_format not in COVER_FORMATS:
        raise ValidationError(
            _("Upload a picture in JPEG, PNG or WebP format."), code="cover_not_image"
        )
    if min(width, height) < COVER_MIN_SIDE:
        raise ValidationError(
            _("The image is too small: at least %(size)d pixels on each side.")
            % {"size": COVER_MIN_SIDE},
            code="cover_too_small",
        )


def _jpeg(image: Image.Image) -> ContentFile:
    buffer = BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    return ContentFile(buffer.getvalue())


def _file_shared(name: str, event: Event) -> bool:
    return (
        Event.objects.filter(cover=name).exclude(pk=event.pk).exists()
        or Event.objects.filter(cover_card=name).exists()
        or Event.objects.filter(cover_thumbnail=name).exists()
    )


def cover_copy(*, source: Event, target: Event) -> None:
    """Give ``target`` its own copy of ``source``'s cover (a duplicated event)."""
    if not source.cover:
        return
    source.cover.open("rb")
    try:
        target.cover.save(f"{target.slug}.jpg", ContentFile(source.cover.read()), save=True)
    finally:
        source.cover.close()
    cover_process(target)


def cover_process(event: Event) -> None:
    """Re-encode the cover (no camera metadata, at most 1920 px) and make card and thumbnail."""
    if not event.cover:
        if event.cover_card or event.cover_thumbnail:
            event.cover_card = event.cover_thumbnail = ""
            event.save(update_fields=["cover_card", "cover_thumbnail"])
        return
    event.cover.open("rb")
    try:
        with Image.open(event.cover) as source:
            image = ImageOps.exif_transpose(source)
            image.load()
    finally:
        event.cover.close()
    image.thumbnail((COVER_MAX_SIDE, COVER_MAX_SIDE))
    stem = f"{event.slug}"
    old_cover = event.cover.name
    event.cover.save(f"{stem}.jpg", _jpeg(image), save=False)
    if old_cover and old_cover != event.cover.name and not _file_shared(old_cover, event):
        event.cover.storage.delete(old_cover)
    for field, size in (("cover_card", CARD_SIZE), ("cover_thumbnail", THUMBNAIL_SIZE)):
        resized = ImageOps.fit(image, size, method=Image.Resampling.LANCZOS)
        getattr(event, field).save(f"{stem}.jpg", _jpeg(resized), save=False)
    event.save(update_fields=["cover", "cover_card", "cover_thumbnail"])
