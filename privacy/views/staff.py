"""Staff-only access to personal files (scans, documents): never served by a public URL."""

import mimetypes

from django.contrib.admin.views.decorators import staff_member_required
from django.http import FileResponse, Http404, HttpRequest
from django.utils._os import safe_join

from privacy.storage import private_storage

# Only the privacy app's own folders; other apps' private files are theirs to serve.
ALLOWED_PREFIX = "privacy/"


@staff_member_required
def private_file_view(request: HttpRequest, name: str) -> FileResponse:
    if not name.startswith(ALLOWED_PREFIX) or not request.user.has_perm("privacy.view_claim"):
        raise Http404
    try:
        safe_join(private_storage.location, name)
    except Exception as error:  # SuspiciousFileOperation: ../ outside the folder
        raise Http404 from error
    if not private_storage.exists(name):
        raise Http404
    content_type, _encoding = mimetypes.guess_type(name)
    response = FileResponse(
        private_storage.open(name, "rb"),
        as_attachment=True,
        filename=name.rsplit("/", 1)[-1],
        content_type=content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response
