"""Who may see and act on a community (views go through these helpers; anything else is 404).

- See: public communities, anyone; organisation communities, members of the home organisation
  and the offices above it; network communities, also the organisations of its network (the
  parent's subtree); a network CoP (kind "network") also to everyone in its home organisation's
  subtree (all Thai-language teachers of a district office's schools); and always the
  community's own members.
- Create: any member of the organisation (a group of teachers starts its own PLC); the creator
  is its facilitator.
- Manage (edit, members, sessions, attendance): its facilitators, and the home organisation's
  administrators.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404, HttpRequest

from platu.communities.models import Community, Member, Session
from platu.orgs import access as org_access
from platu.orgs.models import Organisation


def visible_communities_q(user: Any) -> Q:
    public = Q(visibility=Community.Visibility.PUBLIC)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return public
    if user.is_staff:
        return Q()
    q = public | org_access.visible_q(user, "organisation__path")
    prefixes = org_access.path_prefixes(user)
    if prefixes:
        q |= Q(visibility=Community.Visibility.NETWORK, network_path__in=prefixes)
        # A network CoP is open to its home organisation's whole subtree.
        q |= Q(kind=Community.Kind.NETWORK, organisation__path__in=prefixes)
    # Its members, and those invited (they read it before they accept).
    q |= Q(pk__in=Member.objects.filter(person__user=user, state__in=[Member.State.MEMBER, Member.State.INVITED])
           .values("community_id"))  # fmt: skip
    return q


def membership(user: Any, community: Community) -> Member | None:
    person = org_access.person_of(user)
    if person is None:
        return None
    return Member.objects.filter(community=community, person=person).first()


def is_member(user: Any, community: Community) -> bool:
    m = membership(user, community)
    return m is not None and m.state == Member.State.MEMBER


def can_manage(user: Any, community: Community) -> bool:
    if org_access.can_admin(user, community.organisation):
        return True
    m = membership(user, community)
    return m is not None and m.state == Member.State.MEMBER and m.role == Member.Role.FACILITATOR


def can_create(user: Any, org: Organisation) -> bool:
    if getattr(user, "is_staff", False) and user.is_active:
        return True
    return any(m.organisation_id == org.pk for m in org_access.memberships_of(user))


def can_join_directly(user: Any, community: Community) -> bool:
    """Members of the home organisation join at once, and for a network CoP everyone in the home
    organisation's subtree (the district office's schools); others ask and a facilitator decides."""
    mine = org_access.memberships_of(user)
    if community.kind == Community.Kind.NETWORK:
        home = community.organisation.path
        return bool(home) and any(m.organisation.path.startswith(home) for m in mine)
    return any(m.organisation_id == community.organisation_id for m in mine)


def get_community_for_user(request: HttpRequest, pk: int) -> Community:
    community = (
        Community.objects.visible_to(request.user).filter(pk=pk).select_related("organisation").first()
    )
    if community is None:
        raise Http404
    return community


def get_session_for_user(request: HttpRequest, pk: int) -> Session:
    session = (
        Session.objects.filter(pk=pk, community__in=Community.objects.visible_to(request.user))
        .select_related("community__organisation", "series")
        .first()
    )
    if session is None:
        raise Http404
    return session
