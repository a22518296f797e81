"""The HTTP API (django-ninja, OpenAPI at /api/v1/docs). Sign in with the session (the browser)
or a token: `Authorization: Bearer <key>` from `python manage.py platu_api_token USERNAME`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI, Swagger
from ninja.security import HttpBearer, django_auth

from platu.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.objects.select_related("user").filter(digest=ApiToken.hash(token)).first()
        if found is None or not found.user.is_active:
            return None
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 300:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


api = NinjaAPI(
    title="Platu API",
    version="1",
    urls_namespace="api",
    auth=[django_auth, TokenAuth()],
    docs_url="/docs",
    # Swagger UI from django-ninja's static files ("ninja" in INSTALLED_APPS); no badge fetched
    # from the validator's site: the page loads nothing from another host.
    docs=Swagger(settings={"validatorUrl": None}),
)

api.add_router("/search", "platu.search.api.router")
