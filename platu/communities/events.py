"""Events: who may see them, and the actions on them (create, publish, register, waiting list,
sessions and booths, presented works). Views go through these helpers; anything else is 404."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from platu.communities.models import Community
from platu.orgs import access as org_access


def visible_events_q(user: Any) -> Q:
    """Like communities: public to everyone, organisation events to its members and the offices
    above it, network events also to the organisations of its network. Drafts only to the
    organiser's administrators (checked by the views)."""
    public = Q(visibility=Community.Visibility.PUBLIC)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return public & ~Q(state="draft")
    if user.is_staff:
        return Q()
    q = public | org_access.visible_q(user, "organisation__path")
    prefixes = org_access.path_prefixes(user)
    if prefixes:
        q |= Q(visibility=Community.Visibility.NETWORK, network_path__in=prefixes)
    return q
