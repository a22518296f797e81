"""Platu's allauth social-account adapter: government sign-in never creates an account.

A first sign-in is tied to an existing (invited) account only when the provider says the e-mail
is verified and exactly one account has that e-mail; otherwise it waits as a ``LinkRequest`` for
an organisation administrator. Names are never used to match. The nonce sent with the
authorization request must come back in the ID token. Which ways a person may sign in is checked
for every log-in in ``PlatuAccountAdapter.pre_login``.
"""

from __future__ import annotations

from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthProcess
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from platu.accounts import actions, oidc, policy
from platu.accounts.models import User

PENDING_SESSION_KEY = "platu_signin_pending"


def refuse(request: HttpRequest, message: str) -> ImmediateHttpResponse:
    messages.error(request, message)
    return ImmediateHttpResponse(redirect("account_login"))


def _match_by_verified_email(claims: dict[str, Any]) -> User | None:
    email = str(claims.get("email") or "").strip()
    if not email or not email.isascii() or not oidc.is_true(claims.get("email_verified")):
        return None  # (a non-ASCII address could match another by Unicode case folding)
    # The account's own address (set when it was invited), or one Platu has verified; an extra,
    # unverified address a person added on allauth's e-mail page does not count.
    users = list(
        User.objects.filter(
            Q(email__iexact=email) | Q(emailaddress__email__iexact=email, emailaddress__verified=True)
        ).distinct()[:2]
    )
    if len(users) != 1 or not users[0].is_active or users[0].is_staff or users[0].is_superuser:
        return None  # the installation's staff tie their digital ID themselves, signed in
    return users[0]


def _suggestion(claims: dict[str, Any]) -> User | None:
    """The account an unverified e-mail points to: only where the request is shown, never a link."""
    email = str(claims.get("email") or "").strip()
    if not email:
        return None
    users = list(User.objects.filter(email__iexact=email)[:2])
    return users[0] if len(users) == 1 else None


class PlatuSocialAccountAdapter(DefaultSocialAccountAdapter):  # type: ignore[misc]
    def get_provider(self, request: HttpRequest, provider: Any, client_id: Any = None) -> Any:
        instance = super().get_provider(request, provider, client_id=client_id)
        if type(instance) is OpenIDConnectProvider:
            instance = oidc.PlatuOIDCProvider(request, app=instance.app)
        return instance

    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        account = sociallogin.account
        provider_id = str(account.provider)
        if provider_id in oidc.providers():
            expected = sociallogin.state.get("nonce")
            got = (account.extra_data.get("id_token") or {}).get("nonce")
            if not expected or got != expected:
                raise refuse(request, _("The sign-in could not be verified. Please try again."))
        if sociallogin.is_existing or sociallogin.state.get("process") == AuthProcess.CONNECT:
            return  # a known identity (pre_login checks the policy), or a signed-in person's own
        claims = oidc.claims_of(account.extra_data)
        user = _match_by_verified_email(claims)
        if user is not None:
            if not policy.may_use(user, provider_id):
                raise refuse(request, policy.refusal(user, provider_id))
            sociallogin.connect(request, user)
            actions.record_link(user, provider=provider_id, how="verified_email")
            return
        row = actions.request_link(
            provider=provider_id,
            uid=str(account.uid),
            extra_data=account.extra_data,
            suggested_user=_suggestion(claims),
        )
        request.session[PENDING_SESSION_KEY] = row.reference
        raise ImmediateHttpResponse(redirect("signin_pending"))
