"""Platu's allauth adapter: no public sign-up, per-account login throttling, the client's address
as the audit log reads it, and each organisation's choice of the ways its members may sign in."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from platu.lib.clientip import client_ip


class PlatuAccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _(
            "This account has had 5 failed log-in attempts in the last 30 minutes, so log-in "
            "is locked for now. Wait 30 minutes, or reset the password."
        ),
    }

    def get_client_ip(self, request: HttpRequest) -> str:
        """The address the audit log records: X-Forwarded-For only from a trusted proxy."""
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are created by organisation admins (invite a member).
        return False

    def pre_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse | None:
        """Refuse a way of signing in that none of the person's organisations allows."""
        response: HttpResponse | None = super().pre_login(request, user, **kwargs)
        if response is not None:
            return response
        from platu.accounts import policy

        sociallogin = (kwargs.get("signal_kwargs") or {}).get("sociallogin")
        method = str(sociallogin.account.provider) if sociallogin is not None else policy.PASSWORD
        if policy.may_use(user, method):
            return None
        from allauth.account.internal.stagekit import clear_login

        clear_login(request)
        messages.error(request, policy.refusal(user, method))
        return redirect("account_login")

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """Count failures per account, whether the login typed was its e-mail or username."""
        from platu.accounts.models import User

        login = str(credentials.get("email", credentials.get("username", ""))).strip()
        user = (
            User.objects.filter(Q(username__iexact=login) | Q(email__iexact=login)).only("pk").first()
            if login
            else None
        )
        if user is not None:
            return f"user:{user.pk}"
        return super()._get_login_attempts_cache_key(request, **credentials)
