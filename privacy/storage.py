"""Storage for personal files (scans, documents, attachments): never served by a public URL.

Files live under ``settings.PRIVATE_MEDIA_ROOT`` (read at use time, so tests can move it) and
their URL points at a staff-only view that checks permissions before streaming the file.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from django.utils.deconstruct import deconstructible


@deconstructible(path="privacy.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> None:  # type: ignore[override]  # private files have no public URL
        return None

    def url(self, name: str | None) -> str:
        return reverse("privacy:private_file", kwargs={"name": name or ""})


private_storage = PrivateStorage()
