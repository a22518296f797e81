from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    """Standard claims from the user's ``Claims`` row, and ThaID's citizen id ("pid") for the
    "pid" scope, in the ID token and at userinfo."""

    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "pid": "pid"}

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        c = request.user.claims
        claims: dict[str, Any] = {
            "given_name": c.given_name,
            "family_name": c.family_name,
            "name": f"{c.given_name} {c.family_name}".strip(),
            "email": c.email,
            "email_verified": c.email_verified,
        }
        if c.pid:
            claims["pid"] = c.pid
        return claims
