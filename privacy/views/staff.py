"""Staff-only access to personal files (scans, documents): never served by a public URL."""

import mimetypes

from django.http import FileResponse, Http404, HttpRequest
from django.utils._os import safe_join

from eventum.admin_security import staff_privileged
from privacy.storage import private_storage

# Only the privacy app's own folders, each readable with the view permission of its register;
# other apps' private files are theirs to serve.
FOLDER_PERMISSIONS = {
    "privacy/withdrawals/": "privacy.view_consentwithdrawal",
    "privacy/blocking/": "privacy.view_blockingrequest",
    "privacy/access/": "privacy.view_subjectaccessrequest",
    "privacy/claims/": "privacy.view_claim",
}


def private_file_view(request: HttpRequest, name: str) -> FileResponse:
    """Staff with a second factor in this session and the register's view permission; to
    everyone else the file does not exist (404)."""
    permission = next(
        (perm for folder, perm in FOLDER_PERMISSIONS.items() if name.startswith(folder)), None
    )
    if permission is None or not staff_privileged(request) or not request.user.has_perm(permission):
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
