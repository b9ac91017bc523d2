"""Documents people attach (authority papers, scanned letters): what a file must really be.

The kind is judged by the file's first bytes, not by its name, and the stored name is made here:
the name the sender's computer gave the file (which may carry ``../`` or a misleading extension)
is never used on disk.
"""

import secrets

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# A scan at 600 dpi of an A3 sheet is ~70 megapixels; more is a decompression bomb, not a letter.
MAX_DOCUMENT_PIXELS = 80_000_000
SIGNATURES = ((b"%PDF-", "pdf"), (b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpg"))

TOO_LARGE = _("The file is larger than 10 MB.")
WRONG_KIND = _("Attach a PDF, JPEG or PNG file.")
TOO_MANY_PIXELS = _("The picture has too many pixels: scan it at a lower resolution.")


def document_kind(upload: UploadedFile) -> str | None:
    """``pdf``, ``png`` or ``jpg`` from the file's first bytes; ``None`` for anything else."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return next((kind for magic, kind in SIGNATURES if head.startswith(magic)), None)


def _image_size(upload: UploadedFile) -> tuple[int, int] | None:
    """Width and height from the image header (nothing is decoded); ``None`` if unreadable."""
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            return image.size
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError):
        return None
    finally:
        upload.seek(0)


def document_check(upload: UploadedFile | None, *, prefix: str = "document") -> None:
    """Refuse what is not a PDF, JPEG or PNG of at most 10 MB; name the file for storage."""
    if upload is None or not hasattr(upload, "content_type"):  # nothing new was uploaded
        return
    if (upload.size or 0) > MAX_DOCUMENT_BYTES:
        raise ValidationError(TOO_LARGE, code="too_large")
    kind = document_kind(upload)
    if kind is None:
        raise ValidationError(WRONG_KIND, code="wrong_kind")
    if kind != "pdf":
        size = _image_size(upload)
        if size is None:
            raise ValidationError(WRONG_KIND, code="wrong_kind")
        if size[0] * size[1] > MAX_DOCUMENT_PIXELS:
            raise ValidationError(TOO_MANY_PIXELS, code="too_many_pixels")
    upload.name = f"{prefix}-{secrets.token_hex(12)}.{kind}"
