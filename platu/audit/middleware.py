"""Remembers the client IP of the current request for audit rows written by actions."""

from __future__ import annotations

import contextvars
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from platu.lib.clientip import client_ip

__all__ = ["AuditContextMiddleware", "client_ip", "current_ip"]

current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("current_ip", default=None)


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
