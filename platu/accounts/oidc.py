"""Government sign-in through allauth's OpenID Connect provider (docs/govsignin.md).

allauth's ``openid_connect`` provider does discovery, PKCE and state; Platu's subclass adds the
nonce (sent with the authorization request, kept in the state, compared with the ID token's in
``socialadapter``) and removes the citizen id from the claims before allauth keeps them in
``SocialAccount.extra_data``: what remains is its HMAC-SHA256, never the number.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.conf import settings
from django.http import HttpRequest, HttpResponse

HMAC_CLAIM = "citizen_id_hmac"


def providers() -> dict[str, str]:
    """The configured government providers, id → name, in settings order."""
    config: dict[str, Any] = settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {})
    apps: list[dict[str, Any]] = config.get("APPS", [])
    return {str(app["provider_id"]): str(app.get("name") or app["provider_id"]) for app in apps}


def _key() -> bytes:
    key = getattr(settings, "PLATU_OIDC_HASH_KEY", "") or ""
    if key:
        return str(key).encode()
    secret = str(settings.SECRET_KEY)
    return hashlib.sha256(b"platu.accounts.oidc.citizen-id:" + secret.encode()).digest()


def citizen_id_hmac(value: str) -> str:
    """The keyed hash that stands for a citizen id (digits only, so "1-2345-…" is the same)."""
    digits = "".join(c for c in value if c.isdigit()) or value.strip()
    return hmac.new(_key(), digits.encode(), hashlib.sha256).hexdigest()


def scrub(claims: dict[str, Any]) -> dict[str, Any]:
    """The claims without any citizen-id claim; its HMAC under ``HMAC_CLAIM`` instead."""
    names = set(getattr(settings, "PLATU_OIDC_CITIZEN_ID_CLAIMS", ()))
    out = {k: v for k, v in claims.items() if k not in names}
    for name in names:
        value = claims.get(name)
        if value not in (None, ""):
            out[HMAC_CLAIM] = citizen_id_hmac(str(value))
    return out


def scrub_response(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` as allauth's provider gets it: {"userinfo": {...}, "id_token": {...}}."""
    return {k: scrub(v) if isinstance(v, dict) else v for k, v in data.items()}


def claims_of(extra_data: dict[str, Any]) -> dict[str, Any]:
    """The claims allauth prefers (userinfo, else the ID token), with the ID token's filling gaps."""
    id_token = extra_data.get("id_token") or {}
    userinfo = extra_data.get("userinfo") or {}
    claims = {**id_token, **userinfo}
    # The e-mail and whether it is verified come from one source (the ID token first): a userinfo
    # e-mail is never vouched for by the ID token's email_verified, and a disagreement is unverified.
    source = id_token if id_token.get("email") else userinfo
    claims["email"] = source.get("email") or ""
    claims["email_verified"] = is_true(source.get("email_verified")) and (
        not userinfo.get("email")
        or not id_token.get("email")
        or userinfo.get("email") == id_token.get("email")
    )
    return claims


def is_true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


class PlatuOIDCProvider(OpenIDConnectProvider):  # type: ignore[misc]
    """allauth's provider with a nonce and without the citizen id (see the module's docstring)."""

    def redirect(
        self, request: HttpRequest, process: Any, next_url: Any = None, data: Any = None, **kwargs: Any
    ) -> HttpResponse:
        nonce = secrets.token_urlsafe(24)
        auth_params = kwargs.pop("auth_params", None)
        if auth_params is None:
            auth_params = self.get_auth_params()
        auth_params = {**auth_params, "nonce": nonce}
        response: HttpResponse = super().redirect(
            request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs
        )
        return response

    def sociallogin_from_response(self, request: HttpRequest, response: Any) -> Any:
        if isinstance(response, dict):
            nested = "userinfo" in response or "id_token" in response
            response = scrub_response(response) if nested else scrub(response)
        return super().sociallogin_from_response(request, response)
