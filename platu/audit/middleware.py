"""Remembers the client IP of the current request for audit rows written by actions."""

from __future__ import annotations

import contextvars
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("current_ip", default=None)


def client_ip(request: HttpRequest) -> str | None:
    if getattr(settings, "PLATU_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
