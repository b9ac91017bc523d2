"""Organizer logos: a real, modest JPEG, PNG or WebP picture, stored under a name made here."""

import secrets
import warnings

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

LOGO_MAX_BYTES = 2 * 1024 * 1024
# A logo is shown small; a header claiming more pixels is a decompression bomb.
LOGO_MAX_PIXELS = 16_000_000
LOGO_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}

NOT_A_PICTURE = _("The logo must be a JPEG, PNG or WebP picture.")


def validate_logo(upload: UploadedFile) -> None:
    """Refuse what is too big, too many pixels or not a picture; give the file a new name."""
    if not hasattr(upload, "content_type"):  # the stored logo, not a new upload
        return
    if upload.size > LOGO_MAX_BYTES:
        raise ValidationError(_("The logo is larger than 2 MB."), code="logo_too_large")
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format, (width, height) = image.format, image.size
                if width * height > LOGO_MAX_PIXELS:
                    raise ValidationError(_("The logo has too many pixels."), code="logo_pixels")
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_("The logo has too many pixels."), code="logo_pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(NOT_A_PICTURE, code="logo_not_image") from None
    finally:
        upload.seek(0)
    if image_format not in LOGO_FORMATS:
        raise ValidationError(NOT_A_PICTURE, code="logo_not_image")
    upload.name = f"logo-{secrets.token_hex(8)}.{LOGO_FORMATS[image_format]}"
