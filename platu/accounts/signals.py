"""Audit rows for log-ins, log-outs and failed log-ins."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.dispatch import receiver

from platu.audit.log import record
from platu.audit.middleware import client_ip


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record("auth.login", actor=user, obj=user, ip=client_ip(request) if request else None)


@receiver(user_logged_out)
def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record("auth.logout", actor=user, obj=user, ip=client_ip(request) if request else None)


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    from platu.accounts.models import User

    login = str(credentials.get("username") or credentials.get("email") or "")[:150]
    user = (
        User.objects.filter(username__iexact=login).first()
        or User.objects.filter(email__iexact=login).first()
    )
    record(
        "auth.login_failed",
        obj=user,
        actor_repr=login,
        ip=client_ip(request) if request is not None else None,
        data={"login": login},
    )
