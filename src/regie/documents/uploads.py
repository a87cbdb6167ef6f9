"""What an upload may be: its type checked from its content (magic bytes), its size, its file name.

The browser's content type and the file's extension are claims; the first bytes decide. Accepted: PDF, JPEG, PNG,
TIFF and HEIC/HEIF (what scanners and phones produce). Anything else, a renamed program included, is refused with a
Dutch message naming the field. The size limit is ``settings.REGIE_DOCUMENT_MAX_BYTES`` (default 25 MB, an
assumption); :class:`SizeLimitUploadHandler` stops reading a request as soon as it is over the limit, so a huge body
is neither held in memory nor written to disk.
"""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

# (content type, extension) by leading bytes; HEIC/HEIF is an ISO base media file with one of these brands.
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
EXTENSIONS = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/tiff": "tif",
    "image/heic": "heic",
}
TYPE_LABELS = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG-foto",
    "image/png": "PNG-afbeelding",
    "image/tiff": "TIFF-scan",
    "image/heic": "HEIC-foto",
}
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/tiff", "image/heic"})
# Margin over the file limit for the rest of a multipart body (the other fields and the part headers).
FORM_MARGIN = 64 * 1024


def max_bytes() -> int:
    """The size limit; a missing setting is an error (fail closed), not an unlimited upload."""
    return int(settings.REGIE_DOCUMENT_MAX_BYTES)


def sniff(head: bytes) -> str | None:
    """The content type of a file from its first bytes (at least 12), or None when it is not an accepted type."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "image/tiff"
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "image/heic"
    return None


_UNSAFE = re.compile(r"[^\w .()+,-]")


def clean_filename(name: str, content_type: str | None = None, *, limit: int = 120) -> str:
    """A file name safe to show and to send in Content-Disposition: no directory part, no control or shell
    characters, no leading dots, at most ``limit`` characters, and the extension of its real type."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE.sub("_", name).strip(" .")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = re.sub(r"_+", "_", stem).strip(" ._")[: limit - 6] or "document"
    ext = EXTENSIONS.get(content_type or "", name.rsplit(".", 1)[-1].lower() if "." in name else "")
    return f"{stem}.{ext}" if ext else stem


class SizeLimitUploadHandler(FileUploadHandler):
    """First of ``settings.FILE_UPLOAD_HANDLERS``: a multipart body whose Content-Length is over the limit is not read
    at all (empty POST and FILES), and a file is no longer read once it passes the limit (a body without a
    Content-Length). Either way ``request.upload_too_large`` is set, and the upload view answers 413 naming the
    field. It runs for every upload, before the middleware that reads forms (NUL check, CSRF)."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = max_bytes()
        self.received = 0
        if request is not None:
            request.upload_too_large = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > self.limit + FORM_MARGIN:
            self.request.upload_too_large = True
            return QueryDict(encoding=encoding), MultiValueDict()
        return None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None
