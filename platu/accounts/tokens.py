"""Making and revoking API tokens (the profile page and the command go through these)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from platu.accounts.models import ApiToken
from platu.audit.log import record
from platu.lib.errors import ActionRefused, InvalidAction

MAX_ACTIVE = 20


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def issue(
    user: Any, name: str, *, scopes: Iterable[str], days: int | None, acting_user: Any
) -> tuple[ApiToken, str]:
    """A new token for ``user``; the key is returned once and never stored."""
    name = (name or "").replace("\x00", "").strip()
    if not name:
        raise InvalidAction(_("Give the token a name: what it is for."), field="name")
    if len(name) > 100:
        raise InvalidAction(_("A token's name may have at most 100 characters."), field="name")
    if days is not None and not 1 <= days <= ApiToken.MAX_DAYS:
        raise InvalidAction(_("A token lasts from 1 to 366 days."), field="days")
    if acting_user.pk != user.pk and not acting_user.is_staff:
        raise ActionRefused(_("You may only make tokens for yourself."))
    active = [t for t in tokens_of(user) if t.is_usable]
    if len(active) >= MAX_ACTIVE:
        raise InvalidAction(_("You have 20 tokens in use; revoke one you no longer need first."))
    token, key = ApiToken.issue(user, name, scopes=scopes, days=days)
    record(
        "api.token",
        actor=acting_user,
        obj=token,
        data={"scopes": token.scopes, "expires": token.expires_at.isoformat() if token.expires_at else None},
    )
    return token, key


def revoke(token: ApiToken, *, acting_user: Any) -> bool:
    """Stop a token now (its owner, or site staff; anyone else is refused)."""
    if acting_user is not None and acting_user.pk != token.user_id and not acting_user.is_staff:
        raise ActionRefused(_("You may only revoke your own tokens."))
    if not token.revoke():
        return False
    record("api.token_revoked", actor=acting_user, obj=token, data={"user": token.user_id})
    return True
