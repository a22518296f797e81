"""Who may read and act on knowledge items.

Readers: only live (published or review-due) items are seen beyond their authors and
the organisation's brain bank, and then by visibility:
- private: authors only;
- organisation: the organisation's members and its supervising offices (ancestors);
- network: also everyone under the organisation's parent (parent, siblings, their units);
- public: anyone, without logging in.
Authors see their items in every state; brain-bank reviewers see their organisation's
items from submission on. Anything else answers 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from platu.knowledge.models import Item
from platu.lib.errors import ActionRefused
from platu.orgs import access as org_access
from platu.orgs.models import Organisation, Person, Team, TeamMember

_LIVE = Item.LIVE_STATES


def _cache(user: Any) -> dict[str, Any]:
    return org_access._cache(user)


def brain_bank_paths(user: Any) -> dict[int, str]:
    """{organisation id: path} of the organisations whose brain bank the user sits on."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cache = _cache(user)
    if "brain_bank_paths" not in cache:
        cache["brain_bank_paths"] = dict(
            TeamMember.objects.filter(person__user=user, team__kind=Team.Kind.BRAIN_BANK).values_list(
                "team__organisation_id", "team__organisation__path"
            )
        )
    result: dict[int, str] = cache["brain_bank_paths"]
    return result


def brain_bank_orgs(user: Any) -> set[int]:
    return set(brain_bank_paths(user))


def committee_org_id(org: Organisation) -> int | None:
    """The organisation whose brain bank vets this organisation's knowledge: its own,
    else the nearest ancestor's (a provincial brain bank vets its agencies')."""
    chain = [int(x) for x in org.path.strip("/").split("/") if x] or [org.pk]
    has_bank = set(
        Team.objects.filter(
            kind=Team.Kind.BRAIN_BANK, organisation_id__in=chain, members__person__user__isnull=False
        ).values_list("organisation_id", flat=True)
    )
    for org_id in reversed(chain):
        if org_id in has_bank:
            return org_id
    return None


def visible_items_q(user: Any) -> Q:
    public = Q(state__in=_LIVE, visibility=Item.Visibility.PUBLIC)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return public
    if user.is_staff:
        return Q()
    q = public
    q |= Q(state__in=_LIVE, visibility__in=["organisation", "network"]) & org_access.visible_q(
        user, "organisation__path"
    )
    prefixes = org_access.path_prefixes(user)
    if prefixes:
        q |= Q(state__in=_LIVE, visibility="network", network_path__in=prefixes)
    q |= Q(owner__user=user)
    q |= Q(pk__in=Item.coauthors.through.objects.filter(person__user=user).values("item_id"))
    for path in sorted(set(brain_bank_paths(user).values())):
        q |= Q(organisation__path__startswith=path, state__in=(*Item.REVIEW_STATES, *_LIVE))
    return q


def get_item_for_user(request: HttpRequest, pk: int, *, related: bool = True) -> Item:
    qs = Item.objects.visible_to(request.user).filter(pk=pk)
    if related:
        qs = qs.select_related("organisation", "owner", "category").prefetch_related("coauthors")
    item = qs.first()
    if item is None:
        raise Http404
    return item


def author_ids(item: Item) -> set[int]:
    """Person ids of the owner and co-authors."""
    ids = {item.owner_id}
    cached = getattr(item, "_prefetched_objects_cache", {}).get("coauthors")
    if cached is not None:
        ids |= {p.pk for p in cached}
    else:
        ids |= set(item.coauthors.values_list("pk", flat=True))
    return ids


def is_author(user: Any, item: Item) -> bool:
    person = org_access.person_of(user)
    return person is not None and person.pk in author_ids(item)


def committee(item: Item) -> list[Person]:
    """The brain bank that vets the item (people with accounts), Thai-sorted."""
    cache = item.__dict__.setdefault("_committee", {})
    if "people" in cache:
        return list(cache["people"])
    org_id = committee_org_id(item.organisation)
    if org_id is None:
        cache["people"] = []
        return []
    cache["people"] = list(
        Person.objects.filter(
            team_memberships__team__organisation_id=org_id,
            team_memberships__team__kind=Team.Kind.BRAIN_BANK,
            user__isnull=False,
            user__is_active=True,
        )
        .select_related("user")
        .distinct()
        .order_by("sort_key")
    )
    return list(cache["people"])


def reviewers(item: Item) -> list[Person]:
    """Committee members who may vote on the item: not its authors."""
    authors = author_ids(item)
    return [p for p in committee(item) if p.pk not in authors]


def is_reviewer(user: Any, item: Item) -> bool:
    person = org_access.person_of(user)
    paths = brain_bank_paths(user).values()
    if person is None or not any(item.organisation.path.startswith(p) for p in paths):
        return False
    return person.pk in {p.pk for p in reviewers(item)}


def is_member(user: Any, org_id: int) -> bool:
    return any(m.organisation_id == org_id for m in org_access.memberships_of(user))


def require(condition: bool, message: str | None = None) -> None:
    if not condition:
        raise ActionRefused(message or _("You may not do this."))
