"""Uploaded files: the type is read from the content, never from the name.

Allowed: PDF, Word/Excel/PowerPoint (OOXML), PNG, JPEG, GIF, WebP. Video is linked,
and embedded only from an allow-list of hosts.
"""

from __future__ import annotations

import hashlib
import unicodedata
import zipfile
from typing import IO, Any, TypeVar
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from platu.lib.errors import InvalidAction

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
EXTENSIONS = {
    PDF: ".pdf",
    DOCX: ".docx",
    XLSX: ".xlsx",
    PPTX: ".pptx",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
}
StoredT = TypeVar("StoredT")
_OOXML_PARTS = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX), ("ppt/presentation.xml", PPTX))


def allowed_types_text() -> str:
    return "PDF, DOCX, XLSX, PPTX, PNG, JPG, GIF, WebP"


def sniff(head: bytes, stream: IO[bytes] | None = None) -> str | None:
    """The content type of a file from its first bytes (and its zip directory), or None."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"PK\x03\x04") and stream is not None:
        try:
            stream.seek(0)
            with zipfile.ZipFile(stream) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        if "[Content_Types].xml" not in names:
            return None
        for part, content_type in _OOXML_PARTS:
            if part in names:
                return content_type
    return None


def clean_name(name: str) -> str:
    """Refuse names that try to reach outside (``../``, slashes, NUL, control characters)."""
    name = unicodedata.normalize("NFC", name or "")
    if (
        not name.strip()
        or "\x00" in name
        or "/" in name
        or "\\" in name
        or ".." in name
        or any(unicodedata.category(ch) == "Cc" for ch in name)
    ):
        raise InvalidAction(
            _(
                "The file name is not allowed (no slashes, “..” or control characters). Rename the file and try again."
            ),
            field="file",
        )
    return name.strip()[:200]


def check_upload(upload: Any) -> tuple[str, str, str, int]:
    """Validate an uploaded file: (clean name, content type, sha256, size). Raises
    InvalidAction with a message for the user; nothing is stored."""
    name = clean_name(getattr(upload, "name", "") or "")
    size = int(getattr(upload, "size", 0) or 0)
    limit = settings.PLATU_UPLOAD_MAX_BYTES
    if size > limit:
        raise InvalidAction(
            _("The file is too large: %(size)s MB. The limit is %(limit)s MB.")
            % {"size": f"{size / 1048576:.1f}", "limit": f"{limit / 1048576:.0f}"},
            field="file",
        )
    if size == 0:
        raise InvalidAction(_("The file is empty."), field="file")
    upload.seek(0)
    head = upload.read(16)
    content_type = sniff(head, upload)
    if content_type is None:
        raise InvalidAction(
            _("This kind of file is not accepted. Allowed: %(types)s.") % {"types": allowed_types_text()},
            field="file",
        )
    if content_type.startswith("image/"):
        _verify_image(upload)
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return name, content_type, digest.hexdigest(), size


def store_upload(row: StoredT, upload: Any) -> StoredT:
    """Check an upload (as above) and store it in ``row``, a model with ``uid``, ``file``,
    ``name``, ``content_type``, ``size`` and ``sha256`` (a knowledge attachment, a session's
    photo, evidence of progress, a nomination's file): stored under a random name, row saved."""
    stored: Any = row
    stored.name, stored.content_type, stored.sha256, stored.size = check_upload(upload)
    stored.file.save(stored.uid.hex, upload, save=False)
    stored.save()
    return row


def _verify_image(upload: Any) -> None:
    from PIL import Image

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.verify()
    except Exception as exc:
        raise InvalidAction(_("The image file is damaged or not an image."), field="file") from exc


def download_name(name: str, content_type: str) -> str:
    """The stored display name with the extension its real type has."""
    ext = EXTENSIONS.get(content_type, "")
    return name if name.lower().endswith(ext) else f"{name}{ext}"


def file_response(fieldfile: Any, name: str, content_type: str, *, inline: bool) -> Any:
    """A stored upload served safely: its sniffed type, no sniffing by the browser, sandboxed,
    never cached by shared caches; 404 when the file is gone."""
    from django.http import FileResponse, Http404

    try:
        handle = fieldfile.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=not inline, filename=download_name(name, content_type),
                            content_type=content_type)  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# Video ------------------------------------------------------------------------

VIDEO_HOSTS = ("youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be", "vimeo.com", "www.vimeo.com")


def video_embed_url(url: str) -> str:
    """An embed address for allow-listed hosts (YouTube, Vimeo); '' otherwise."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme != "https" or parts.hostname not in VIDEO_HOSTS:
        return ""
    host = parts.hostname or ""
    video_id = ""
    if host == "youtu.be":
        video_id = parts.path.strip("/")
    elif "youtube.com" in host:
        if parts.path == "/watch":
            video_id = (parse_qs(parts.query).get("v") or [""])[0]
        elif parts.path.startswith(("/embed/", "/shorts/")):
            video_id = parts.path.split("/")[2]
        if video_id:
            return f"https://www.youtube-nocookie.com/embed/{video_id}" if _safe_id(video_id) else ""
        return ""
    elif "vimeo.com" in host:
        video_id = parts.path.strip("/").split("/")[0]
        return f"https://player.vimeo.com/video/{video_id}" if video_id.isdigit() else ""
    return f"https://www.youtube-nocookie.com/embed/{video_id}" if _safe_id(video_id) else ""


def _safe_id(value: str) -> bool:
    return 0 < len(value) <= 32 and all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in value)
