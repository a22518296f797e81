"""Lets a request's reads go to a replica, and keeps a client that wrote on the primary until the
replicas have its write (read-your-writes).

A GET, HEAD or OPTIONS may read from a replica; any other method reads from the primary. A
request that wrote through the ORM sets a signed cookie with the primary's WAL position after
the write; while it is valid (the longest lag a replica may have, plus the health-check interval),
only a replica that has replayed that position serves this client's reads.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from platu.dbrouting import router

COOKIE = "platu_wrote"
SALT = "platu.dbrouting.wrote"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def cookie_seconds() -> int:
    return math.ceil(settings.PLATU_REPLICA_MAX_LAG + settings.PLATU_REPLICA_CHECK_SECONDS) + 1


def written_lsn(request: HttpRequest) -> int | None:
    """The WAL position of the client's last write, while its cookie is valid."""
    try:
        value = request.get_signed_cookie(COOKIE, salt=SALT, max_age=cookie_seconds())
    except (KeyError, signing.BadSignature):
        return None
    return int(value) if value and value.isdigit() else None


def replica_reads(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        state = router.RequestReads(replicas=request.method in SAFE_METHODS, after_lsn=written_lsn(request))
        token = router.begin(state)
        try:
            response = get_response(request)
        finally:
            router.end(token)
        if state.wrote:
            lsn = router.primary_lsn()
            if lsn is not None:
                response.set_signed_cookie(
                    COOKIE,
                    str(lsn),
                    salt=SALT,
                    max_age=cookie_seconds(),
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Lax",
                )
        return response

    return middleware
