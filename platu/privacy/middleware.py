"""A signed-in person who has not acknowledged the current privacy notice is sent to it first.

The check costs no query on most pages: the session remembers the version acknowledged and when
it was last compared with the current one (at sign-in, and again every few minutes so a new
version is asked for soon after it is published). With no notice published nothing is asked."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

SESSION_KEY = "privacy_notice"
RECHECK_SECONDS = 300
ALLOWED_PREFIXES = ("/static/", "/media/", "/accounts/", "/api/", "/i18n/", "/favicon.ico", "/line/webhook/")


def check(request: HttpRequest) -> bool:
    """Compare with the current notice now; remember the answer in the session. True: fine."""
    from platu.privacy.models import NoticeAcceptance, PrivacyNotice

    notice = PrivacyNotice.current()
    ok = (
        notice is None
        or NoticeAcceptance.objects.filter(user_id=request.user.pk or 0, notice=notice).exists()
    )
    request.session[SESSION_KEY] = [notice.version if notice else 0, time.time(), ok]
    return ok


def remember(request: HttpRequest, version: int) -> None:
    request.session[SESSION_KEY] = [version, time.time(), True]


def safe_next(request: HttpRequest, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, {request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return "/"


class PrivacyNoticeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not request.path.startswith(ALLOWED_PREFIXES):
            notice_url = reverse("privacy:notice")
            if request.path != notice_url:
                seen = request.session.get(SESSION_KEY)
                if isinstance(seen, list) and len(seen) == 3 and time.time() - seen[1] < RECHECK_SECONDS:
                    ok = bool(seen[2])
                else:
                    ok = check(request)
                if not ok:
                    target = f"{notice_url}?{urlencode({'next': request.get_full_path()})}"
                    if request.headers.get("HX-Request"):
                        response = HttpResponse(status=204)
                        response["HX-Redirect"] = target
                        return response
                    return HttpResponseRedirect(target)
        return self.get_response(request)
