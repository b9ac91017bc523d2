"""Reading an uploaded picture's header safely: its format and size, never decoding a bomb."""

import warnings

from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError


class NotAPicture(Exception):
    """Pillow does not recognise the content as a picture."""


class DamagedPicture(NotAPicture):
    """The content claims to be a picture but its data is broken."""


class TooManyPixels(Exception):
    """The header claims more pixels than allowed: a decompression bomb or simply too big."""


def picture_header(upload: UploadedFile, *, max_pixels: int) -> tuple[str, int, int]:
    """Return the picture's format, width and height; raise one of the errors above.

    Only the header is read and ``verify()`` checks the data without decoding the canvas, so a
    small file claiming a huge canvas costs nothing. The upload is rewound afterwards.
    """
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format, (width, height) = image.format, image.size
                if width * height > max_pixels:
                    raise TooManyPixels
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise TooManyPixels from None
    except UnidentifiedImageError:
        raise NotAPicture from None
    except (OSError, SyntaxError, ValueError):
        raise DamagedPicture from None
    finally:
        upload.seek(0)
    if image_format is None:  # Pillow read the header but cannot name the format
        raise NotAPicture
    return image_format, width, height
