"""System checks of government sign-in's configuration (docs/govsignin.md): a provider whose
issuer URL is set needs its client id and secret, and an https issuer in production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security)
def oidc_providers(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    found: list[checks.CheckMessage] = []
    config: dict[str, Any] = settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {})
    for app in config.get("APPS", []):
        key = str(app.get("provider_id", "")).upper()
        url = str(app.get("settings", {}).get("server_url", ""))
        if not app.get("client_id") or not app.get("secret"):
            found.append(
                checks.Error(
                    f"PLATU_OIDC_{key}_URL is set but PLATU_OIDC_{key}_CLIENT_ID or PLATU_OIDC_{key}_SECRET "
                    "is not.",
                    hint="Set all three, or none (docs/govsignin.md).",
                    id="platu.accounts.E001",
                )
            )
        if getattr(settings, "PLATU_HTTPS", False) and not url.startswith("https://"):
            found.append(
                checks.Error(
                    f"PLATU_OIDC_{key}_URL must be an https:// address in production.",
                    id="platu.accounts.E002",
                )
            )
    return found
