"""The 400 page: a request Platu cannot read (``raise BadRequest(message)``) says why, in the
site's shell, as the 403 page does."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception is not None and exception.args else ""
    return render(request, "400.html", {"message": message}, status=400)
