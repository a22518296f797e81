"""Uploaded files that anyone may see (organisation logos), served by Platu itself.

Whitenoise serves static files only, and Django serves ``/media/`` only with DEBUG on, so without
this view a logo answers 404 under gunicorn. Only files named by a public file field are served —
knowledge attachments and evidence have their own access-checked views (knowledge/views/acts.py),
exports theirs (planning) — and never as anything a browser would run: images by their type,
everything else as a download, with ``nosniff`` and a sandboxing Content-Security-Policy.
"""

from __future__ import annotations

import posixpath
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.templatetags.static import static
from django.views.decorators.http import require_safe

from platu.orgs.models import Organisation

# Shown inline; every other type is sent as an attachment.
IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}


def is_public(name: str) -> bool:
    """A stored name that a public file field points to: an organisation's logo."""
    return name.startswith("logos/") and Organisation.objects.filter(logo=name).exists()


def _clean_name(path: str) -> str | None:
    """The stored name for a URL path, or None for anything but a plain relative path."""
    if not path or "\\" in path or "\x00" in path or path.startswith("/"):
        return None
    parts = path.split("/")
    if any(part in {"", ".", ".."} for part in parts):
        return None
    name = posixpath.normpath(path)
    return name if name == path else None


@require_safe
def media(request: HttpRequest, path: str) -> HttpResponseBase:
    name = _clean_name(path)
    if name is None or not is_public(name):
        raise Http404
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, IsADirectoryError, SuspiciousFileOperation, OSError) as exc:
        raise Http404 from exc
    content_type = IMAGE_TYPES.get(PurePosixPath(name).suffix.lower())
    response = FileResponse(
        handle,
        as_attachment=content_type is None,
        filename=PurePosixPath(name).name,
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = f"public, max-age={settings.PLATU_MEDIA_MAX_AGE}"
    return response


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico by themselves (the admin, files): the fish in static."""
    response = HttpResponseRedirect(static("platu/favicon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response
