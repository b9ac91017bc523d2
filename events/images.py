"""Cover images: what an upload must be (checked with Pillow) and the sizes made from it.

Every size is made once, when the cover is uploaded, in WebP and in JPEG (for browsers without
WebP), and stored under a name that changes with the picture, so the files can be cached for
good. ``cover_picture`` (template tag ``events_pages``) lists them for a ``<picture>``.
"""

import hashlib
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
# Widths of the 16:9 renditions a browser chooses from (srcset): phone card, card, hero.
RENDITION_WIDTHS = (400, 800, 1200)
RENDITION_FORMATS = {"webp": "WEBP", "jpeg": "JPEG"}
RENDITION_FOLDER = "events/covers/sizes/"


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


def _encoded(image: Image.Image, image_format: str) -> bytes:
    buffer = BytesIO()
    if image_format == "WEBP":
        image.convert("RGB").save(buffer, "WEBP", quality=80, method=5)
    else:
        image.convert("RGB").save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    return buffer.getvalue()


def _renditions_delete(event: Event) -> None:
    storage = event.cover.storage
    for names in (event.cover_renditions or {}).values():
        for name in names.values():
            if storage.exists(name):
                storage.delete(name)


def _renditions_make(event: Event, image: Image.Image) -> dict[str, dict[str, str]]:
    """Every width (not wider than the picture) in every format; names carry a content hash."""
    storage = event.cover.storage
    renditions: dict[str, dict[str, str]] = {key: {} for key in RENDITION_FORMATS}
    widths = [w for w in RENDITION_WIDTHS if w <= image.width] or [RENDITION_WIDTHS[0]]
    for width in widths:
        size = (width, width * 9 // 16)
        resized = ImageOps.fit(image, size, method=Image.Resampling.LANCZOS)
        for key, image_format in RENDITION_FORMATS.items():
            data = _encoded(resized, image_format)
            digest = hashlib.sha256(data).hexdigest()[:12]
            name = f"{RENDITION_FOLDER}{event.slug}-{width}-{digest}.{key.replace('jpeg', 'jpg')}"
            if not storage.exists(name):
                name = storage.save(name, ContentFile(data))
            renditions[key][str(width)] = name
    return renditions


def cover_picture(event: Event) -> dict[str, str] | None:
    """``srcset`` strings of the cover's renditions (``webp``, ``jpeg``) and the fallback ``src``.

    Events whose cover was processed before renditions existed fall back to the card picture.
    None when the event has no cover.
    """
    renditions = event.cover_renditions or {}
    if renditions.get("jpeg"):
        storage = event.cover.storage

        def srcset(key: str) -> str:
            items = sorted(renditions.get(key, {}).items(), key=lambda item: int(item[0]))
            return ", ".join(f"{storage.url(name)} {width}w" for width, name in items)

        jpeg = renditions["jpeg"]
        fallback = jpeg.get("800") or next(iter(jpeg.values()))
        return {"webp": srcset("webp"), "jpeg": srcset("jpeg"), "src": storage.url(fallback)}
    if event.cover_card:
        return {"webp": "", "jpeg": "", "src": event.cover_card.url}
    return None


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
        if event.cover_card or event.cover_thumbnail or event.cover_renditions:
            _renditions_delete(event)
            event.cover_card = event.cover_thumbnail = ""
            event.cover_renditions = {}
            event.save(update_fields=["cover_card", "cover_thumbnail", "cover_renditions"])
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
    previous = event.cover_renditions
    event.cover_renditions = _renditions_make(event, image)
    kept = {name for names in event.cover_renditions.values() for name in names.values()}
    for names in (previous or {}).values():
        for name in names.values():
            if name not in kept and event.cover.storage.exists(name):
                event.cover.storage.delete(name)
    event.save(update_fields=["cover", "cover_card", "cover_thumbnail", "cover_renditions"])
