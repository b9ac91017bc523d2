"""Organizer logos: a real, modest JPEG, PNG or WebP picture, stored under a name made here."""

import secrets

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from eventum.pictures import NotAPicture, TooManyPixels, picture_header

LOGO_MAX_BYTES = 2 * 1024 * 1024
# A logo is shown small; a header claiming more pixels is a decompression bomb.
LOGO_MAX_PIXELS = 16_000_000
LOGO_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}

NOT_A_PICTURE = _("The logo must be a JPEG, PNG or WebP picture.")


def validate_logo(upload: UploadedFile) -> None:
    """Refuse what is too big, too many pixels or not a picture; give the file a new name."""
    if not hasattr(upload, "content_type"):  # the stored logo, not a new upload
        return
    if (upload.size or 0) > LOGO_MAX_BYTES:
        raise ValidationError(_("The logo is larger than 2 MB."), code="logo_too_large")
    try:
        image_format, _width, _height = picture_header(upload, max_pixels=LOGO_MAX_PIXELS)
    except TooManyPixels:
        raise ValidationError(_("The logo has too many pixels."), code="logo_pixels") from None
    except NotAPicture:
        raise ValidationError(NOT_A_PICTURE, code="logo_not_image") from None
    if image_format not in LOGO_FORMATS:
        raise ValidationError(NOT_A_PICTURE, code="logo_not_image")
    upload.name = f"logo-{secrets.token_hex(8)}.{LOGO_FORMATS[image_format]}"
