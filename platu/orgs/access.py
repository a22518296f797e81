"""Tenant access: what a user may see and edit. Views go through these helpers.

A user sees the organisations they are a member of and all their descendants
(a parent office reads its children). Site staff see everything. Anything else
answers 404, so that other organisations' existence is not disclosed.
"""

from __future__ import annotations

import functools
import operator
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from platu.lib.errors import ActionRefused
from platu.orgs.models import (
    ADMIN_ROLES,
    Membership,
    MembershipRole,
    Organisation,
    Person,
)

_CACHE = "_platu_access"


def _cache(user: Any) -> dict[str, Any]:
    cache = getattr(user, _CACHE, None)
    if cache is None:
        cache = {}
        setattr(user, _CACHE, cache)
    return cache


def forget(user: Any) -> None:
    """Drop what was cached on ``user`` (after their memberships changed)."""
    if getattr(user, _CACHE, None) is not None:
        setattr(user, _CACHE, None)


def person_of(user: Any) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    cache = _cache(user)
    if "person" not in cache:
        cache["person"] = Person.objects.filter(user=user).first()
        if cache["person"] is not None:  # `user.person` in templates reuses it
            user._state.fields_cache["person"] = cache["person"]
    person: Person | None = cache["person"]
    return person


def memberships_of(user: Any) -> list[Membership]:
    """The user's own memberships, with organisation and roles, Thai-sorted by organisation."""
    if not getattr(user, "is_authenticated", False):
        return []
    cache = _cache(user)
    if "memberships" not in cache:
        cache["memberships"] = list(
            Membership.objects.filter(person__user=user)
            .select_related("organisation")
            .prefetch_related(Prefetch("role_rows", queryset=MembershipRole.objects.all()))
            .order_by("organisation__name_sort")
        )
    memberships: list[Membership] = cache["memberships"]
    return memberships


def _visible_paths(user: Any) -> set[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    return {m.organisation.path for m in memberships_of(user)}


def path_prefixes(user: Any) -> list[str]:
    """Every ancestor path of the user's organisations (theirs included): the networks they are
    in, for what is shared with a network (its `network_path` is one of these)."""
    prefixes: set[str] = set()
    for path in _visible_paths(user):
        parts = path.strip("/").split("/")
        for n in range(1, len(parts) + 1):
            prefixes.add("/".join(parts[:n]) + "/")
    return sorted(prefixes)


def visible_q(user: Any, path_field: str = "path") -> Q:
    """A condition on ``path_field`` (an organisation's materialised path) that holds for
    the organisations ``user`` may see: their own and everything below them. Site staff see
    everything. Prefixes, not id lists, so the SQL stays small for a ministry's tree."""
    if getattr(user, "is_staff", False) and user.is_active:
        return Q()
    paths = _visible_paths(user)
    if not paths:
        return Q(pk__in=[])
    return functools.reduce(operator.or_, (Q(**{f"{path_field}__startswith": p}) for p in paths))


def can_see(user: Any, org: Organisation) -> bool:
    if getattr(user, "is_staff", False) and user.is_active:
        return True
    return any(org.path.startswith(p) for p in _visible_paths(user))


def can_admin(user: Any, org: Organisation) -> bool:
    """Organisation admins (CEO, CKO, KM team lead, secretary) and site staff."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_staff:
        return True
    return any(
        m.organisation_id == org.pk and any(r in ADMIN_ROLES for r in m.roles) for m in memberships_of(user)
    )


def require_admin(user: Any, org: Organisation) -> None:
    if not can_admin(user, org):
        raise ActionRefused(_("Only the organisation's CEO, CKO, KM team lead or secretary may do this."))


def get_organisation_for_user(request: HttpRequest, code: str) -> Organisation:
    org = Organisation.objects.filter(code=code).select_related("parent").first()
    if org is None or not can_see(request.user, org):
        raise Http404
    return org


def get_person_for_user(request: HttpRequest, pk: int) -> Person:
    person = Person.objects.for_user(request.user).filter(pk=pk).select_related("user").first()
    if person is None:
        raise Http404
    return person


def can_edit_person(user: Any, person: Person) -> bool:
    """The person themself, site staff, or an admin of one of their organisations."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or (person.user_id is not None and person.user_id == user.pk):
        return True
    org_ids = set(person.memberships.values_list("organisation_id", flat=True))
    return any(
        m.organisation_id in org_ids and any(r in ADMIN_ROLES for r in m.roles) for m in memberships_of(user)
    )


def network_people(org: Organisation, user: Any) -> QuerySet[Person]:
    """People an admin of ``org`` may add: those they see, and the members of the
    organisation's network (its parent's whole subtree: parent, siblings, their units)."""
    root = org.parent if org.parent_id else org
    assert root is not None
    network = Membership.objects.filter(organisation__path__startswith=root.path).values("person_id")
    return Person.objects.filter(Q(pk__in=network) | Q(pk__in=Person.objects.for_user(user).values("pk")))
