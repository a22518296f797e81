from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from platu.orgs.models import ADMIN_ROLES, Membership, Organisation


def organisation(code: str) -> Organisation:
    org = Organisation.objects.filter(code=code).first()
    if org is None:
        raise CommandError(f"No organisation with the code {code!r}.")
    return org


def user(username: str | None, org: Organisation | None = None) -> Any:
    """The named active user; without a name, an administrator of the organisation."""
    users = get_user_model().objects.filter(is_active=True)
    if username:
        found = users.filter(username=username).first()
        if found is None:
            raise CommandError(f"No active user {username!r}.")
        return found
    if org is not None:
        membership = (
            Membership.objects.filter(
                organisation=org, person__user__is_active=True, role_rows__role__in=list(ADMIN_ROLES)
            )
            .select_related("person__user")
            .order_by("pk")
            .first()
        )
        if membership is not None:
            return membership.person.user
    raise CommandError(
        "Name a user with --as USERNAME (the organisation has no administrator with an account)."
    )
