"""Which ways of signing in a person may use: what any of their organisations allows.

An organisation's ``SignInPolicy`` lists them; one without follows its nearest parent office that
has one; with none on the way up, every way is allowed. Site staff, and accounts with no
organisation, may use every way (so an administrator can never lock everyone out).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from platu.accounts import oidc
from platu.accounts.models import SignInPolicy
from platu.orgs.models import Membership, Organisation

PASSWORD = "password"


def all_methods() -> dict[str, str]:
    """Every way of signing in this installation offers, id → label."""
    return {PASSWORD: _("Username and password"), **oidc.providers()}


def effective(org: Organisation) -> tuple[set[str] | None, Organisation | None]:
    """The ways ``org``'s members may use and the organisation whose policy says so;
    (None, None): no policy on the way up, every way."""
    chain: list[Organisation] = []
    node: Organisation | None = org
    while node is not None and len(chain) < 50:
        chain.append(node)
        node = node.parent
    policies = {p.organisation_id: p for p in SignInPolicy.objects.filter(organisation__in=chain)}
    for node in chain:
        policy = policies.get(node.pk)
        if policy is not None:
            # a provider the installation no longer offers is left out; with nothing left, the
            # password, so that turning a provider off locks no one out
            return (set(policy.method_list) & set(all_methods())) or {PASSWORD}, node
    return None, None


def allowed_for(user: Any) -> set[str] | None:
    """The ways ``user`` may sign in; None: every way."""
    if user.is_staff or user.is_superuser:
        return None
    orgs = [
        m.organisation
        for m in Membership.objects.filter(person__user=user).select_related("organisation__parent")
    ]
    if not orgs:
        return None
    allowed: set[str] = set()
    for org in orgs:
        methods, _source = effective(org)
        if methods is None:
            return None
        allowed |= methods
    return allowed


def may_use(user: Any, method: str) -> bool:
    allowed = allowed_for(user)
    return allowed is None or method in allowed


def refusal(user: Any, method: str) -> str:
    """The message for a person whose organisations do not allow ``method``."""
    labels = all_methods()
    allowed = allowed_for(user) or set()
    ways = ", ".join(labels[m] for m in labels if m in allowed)
    return _("Your organisation does not allow signing in with %(method)s. Sign in with: %(ways)s.") % {
        "method": labels.get(method, method),
        "ways": ways or "—",
    }
