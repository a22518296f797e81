from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from platu.orgs import access

SESSION_ORG_KEY = "platu_org"


class ThaiFirstLocaleMiddleware:
    """Thai unless the person chose English with the switch (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, which
    on most office PCs is English; Thai users expect Thai.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.codes = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.codes else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class CurrentOrganisationMiddleware:
    """``request.org``: the organisation the person is working in (the switcher)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.org = None  # type: ignore[attr-defined]
        if request.user.is_authenticated:
            memberships = access.memberships_of(request.user)
            chosen = request.session.get(SESSION_ORG_KEY)
            current = next((m.organisation for m in memberships if m.organisation_id == chosen), None)
            if current is None and memberships:
                current = memberships[0].organisation
            request.org = current  # type: ignore[attr-defined]
        return self.get_response(request)


class ThaiDigitsMiddleware:
    """Pages in Thai for an organisation that asked for Thai digits show every number of their
    text in them (platu.lib.htmldigits): one style of digits on a page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        org = getattr(request, "org", None)
        if (
            not getattr(org, "thai_digits", False)
            or getattr(request, "LANGUAGE_CODE", "") != "th"
            or response.streaming
            or not response.get("Content-Type", "").startswith("text/html")
        ):
            return response
        from platu.lib.htmldigits import convert

        charset = response.charset or "utf-8"
        response.content = convert(response.content.decode(charset)).encode(charset)  # type: ignore[attr-defined]
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))  # type: ignore[attr-defined]
        return response
