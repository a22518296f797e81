"""The HTTP API (django-ninja, OpenAPI at /api/v1/openapi.json, its page at /api/v1/docs with no CDN).

Sign in with the session (the browser) or a token: `Authorization: Bearer <key>`, made on one's
profile page or by `python manage.py platu_api_token USERNAME`. A token has scopes ("read";
"write" to change anything), expires, records when it was last used and can be revoked.
Every call goes through the same access helpers and actions as the pages: what the caller's
organisation may not see answers 404, refusals 403, invalid requests 400 (422 for a malformed
body or parameter), an edit based on an old revision 409. Calls are limited per token (429, with
Retry-After: the seconds to wait).

The shared pieces (errors, paging, the write scope) are defined before the routers are added:
each app's `api.py` imports them from here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema, Swagger
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.security import HttpBearer, django_auth
from ninja.throttling import SimpleRateThrottle

from platu.accounts.models import ApiToken
from platu.lib.errors import ActionRefused, EditConflict, InvalidAction
from platu.lib.ids import MAX_ID

DEFAULT_RATE = "600/m"
MAX_LIMIT = 100


class TokenAuth(HttpBearer):
    """A usable token (not revoked, not expired, its user active); the token is `request.auth`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if len(token) > 200:
            return None
        found = ApiToken.objects.select_related("user").filter(digest=ApiToken.hash(token)).first()
        if found is None or not found.user.is_active or not found.is_usable:
            return None
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found


class TokenRateThrottle(SimpleRateThrottle):
    """So many calls per token (per user when signed in with the session) in a window; the rate
    is the setting PLATU_API_RATE ("600/m" unless set), read on every call."""

    rate = DEFAULT_RATE

    def allow_request(self, request: HttpRequest) -> bool:
        self.num_requests, self.duration = self.parse_rate(getattr(settings, "PLATU_API_RATE", DEFAULT_RATE))
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        auth = getattr(request, "auth", None)
        if isinstance(auth, ApiToken):
            ident = f"t{auth.pk}"
        elif getattr(request.user, "is_authenticated", False):
            ident = f"u{request.user.pk}"
        else:
            ident = hashlib.sha256(str(self.get_ident(request)).encode()).hexdigest()[:16]
        return f"platu_api_rate_{ident}"


class Problem(Schema):
    """Every error: a message for people; `errors` lists a malformed request's fields (422),
    `field` names the field an action refused (400), `current_revision` the revision an edit
    conflicted with (409)."""

    detail: str
    field: str | None = None
    current_revision: int | None = None
    errors: list[dict[str, Any]] | None = None


ERRORS: dict[int, Any] = {
    400: Problem,
    401: Problem,
    403: Problem,
    404: Problem,
    409: Problem,
    422: Problem,
    429: Problem,
}


def responses(ok: Any, code: int = 200, *extra: int) -> dict[int, Any]:
    """The documented responses of a call: its success and every error."""
    found = {code: ok, **ERRORS}
    for status in extra:
        found[status] = Problem
    return found


class PageParams(Schema):
    limit: int = 20
    offset: int = 0


def page(query: QuerySet[Any], params: PageParams) -> tuple[int, list[Any], int, int]:
    """(total, rows, limit, offset) with the limit between 1 and 100."""
    limit = max(1, min(params.limit, MAX_LIMIT))
    offset = max(0, min(params.offset, 1_000_000))
    return query.count(), list(query[offset : offset + limit]), limit, offset


def ident(pk: int) -> int:
    """A path's id: one that no row can have answers 404 (not an overflow in the database)."""
    if not 0 < pk <= MAX_ID:
        raise Http404
    return pk


def clean(value: str, limit: int = 200) -> str:
    """A query parameter as text the databases accept (no NUL), cut to ``limit`` characters."""
    return value.replace("\x00", "")[:limit].strip()


def moment(value: dt.datetime | None) -> dt.datetime | None:
    """A date-time parameter the databases can hold (400 for one out of their range)."""
    if value is None:
        return None
    try:
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        value.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        raise HttpError(400, _("That date and time is out of range.")) from None
    if not 1900 <= value.year <= 2999:
        raise HttpError(400, _("That date and time is out of range."))
    return value


def require_write(request: HttpRequest) -> None:
    """A token without the "write" scope may only read (the session may do what its user may)."""
    auth = getattr(request, "auth", None)
    if isinstance(auth, ApiToken) and not auth.allows(ApiToken.WRITE):
        raise HttpError(403, _("This token may only read. Make a token with the write scope."))


def base_revision(request: HttpRequest, given: int | None) -> int:
    """The revision a write is based on: the body's `base_revision` or the `If-Match` header
    (`"3"`, `W/"3"` or `3`). One of them is required."""
    header = request.headers.get("If-Match", "").strip()
    if header:
        value = header.removeprefix("W/").strip('"')
        if not value.isdigit() or len(value) > 9:
            raise HttpError(400, _("If-Match must be the revision number the change is based on."))
        return int(value)
    if given is None:
        raise HttpError(400, _("Say which revision the change is based on (If-Match or base_revision)."))
    return given


RETRY_AFTER = {
    "description": "Seconds to wait before the token's next call is accepted (RFC 9110).",
    "schema": {"type": "integer", "minimum": 0},
}


class PlatuAPI(NinjaAPI):
    """Every operation documents every error answer (the search router's too)."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        problem = {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
        schema.setdefault("components", {}).setdefault("schemas", {}).setdefault(
            "Problem", Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        )
        for operations in schema["paths"].values():
            for operation in operations.values():
                answers = operation.setdefault("responses", {})
                for status in ERRORS:
                    answers.setdefault(status, {"description": "Error", "content": problem})
                limited = answers.get(429) or answers.get("429")
                if isinstance(limited, dict):
                    limited.setdefault("headers", {})["Retry-After"] = RETRY_AFTER
        return schema


class PlatuSwagger(Swagger):
    """django-ninja's Swagger UI page with a viewport (phones), the page's language and a link
    back to Platu."""

    template = "api/swagger.html"


api = PlatuAPI(
    title="Platu API",
    version="1",
    description=__doc__ or "",
    urls_namespace="api",
    auth=[django_auth, TokenAuth()],
    throttle=[TokenRateThrottle(DEFAULT_RATE)],
    docs_url="/docs",
    # Swagger UI from django-ninja's static files ("ninja" in INSTALLED_APPS); no badge fetched
    # from the validator's site: the page loads nothing from another host.
    docs=PlatuSwagger(settings={"validatorUrl": None}),
)


def _problem(request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {
            "loc": [str(p) for p in e.get("loc", ())],
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in exc.errors
    ]
    return _problem(request, 422, _("The request is not valid."), errors=errors)


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _problem(request, 401, _("Sign in, or send a valid token: Authorization: Bearer <key>."))


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    # django-ninja adds Retry-After (whole seconds) to this answer from the throttle's wait.
    response = _problem(request, 429, _("Too many calls with this token. Wait and try again."))
    if exc.wait is not None:
        response["Retry-After"] = str(max(1, math.ceil(exc.wait)))
    return response


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _problem(request, 404, _("Not found."))


@api.exception_handler(ActionRefused)
def _refused(request: HttpRequest, exc: ActionRefused) -> HttpResponse:
    return _problem(request, 403, exc.message)


@api.exception_handler(PermissionDenied)
def _denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _problem(request, 403, str(exc) or _("You may not do this."))


@api.exception_handler(InvalidAction)
def _invalid_action(request: HttpRequest, exc: InvalidAction) -> HttpResponse:
    return _problem(request, 400, exc.message, field=exc.field)


@api.exception_handler(EditConflict)
def _conflict(request: HttpRequest, exc: EditConflict) -> HttpResponse:
    return _problem(
        request,
        409,
        _("Someone saved a newer revision (%(n)s). Read it and send your change again based on it.")
        % {"n": exc.current_version},
        current_revision=exc.current_version,
    )


api.add_router("/search", "platu.search.api.router")
api.add_router("/orgs", "platu.orgs.api.router")
api.add_router("/people", "platu.orgs.api.people_router")
api.add_router("/knowledge", "platu.knowledge.api.router")
api.add_router("/plans", "platu.planning.api.router")
api.add_router("/communities", "platu.communities.api.router")
api.add_router("/sessions", "platu.communities.api.sessions_router")
api.add_router("/rounds", "platu.tracking.api.router")
api.add_router("/dashboards", "platu.dashboards.api.router")
api.add_router("/surveys", "platu.surveys.api.router")
