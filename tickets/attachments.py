"""What a buyer's uploaded file really is, judged by its first bytes rather than its name."""

from django.core.files.uploadedfile import UploadedFile

# (magic bytes at offset 0, content type, human name)
SIGNATURES: list[tuple[bytes, str]] = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
]
ALLOWED_NAMES = "PDF, JPEG, PNG, GIF, WEBP"


def sniff_content_type(upload: UploadedFile) -> str | None:
    """The content type of an allowed kind of file, or ``None`` for anything else."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, content_type in SIGNATURES:
        if head.startswith(magic):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None
