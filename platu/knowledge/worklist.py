"""What knowledge work waits for a user: their drafts, items returned for changes, theirs in
review, and (on a brain-bank committee) items waiting for their vote or due for review. The
"my work" page and the home page read it."""

from __future__ import annotations

import functools
import operator
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from platu.knowledge import access
from platu.knowledge.models import Item, ReviewVote, Tag
from platu.orgs import access as org_access


def list_qs(qs: QuerySet[Item]) -> QuerySet[Item]:
    return qs.select_related("organisation", "owner", "category").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("name"))
    )


def worklist(user: Any) -> dict[str, Any]:
    person = org_access.person_of(user)
    mine = Item.objects.none()
    if person is not None:
        mine = Item.objects.filter(Q(owner=person) | Q(coauthors=person)).distinct()
    drafts = list_qs(mine.filter(state=Item.State.DRAFT)).order_by("-updated_at")
    needs_changes = list_qs(mine.filter(state=Item.State.NEEDS_CHANGES)).order_by("-updated_at")
    in_review = list_qs(mine.filter(state__in=["submitted", "in_review", "approved"])).order_by("-updated_at")
    paths = sorted(set(access.brain_bank_paths(user).values()))
    to_review: list[Item] = []
    due: list[Item] = []
    if paths and person is not None:
        under = functools.reduce(operator.or_, (Q(organisation__path__startswith=p) for p in paths))
        others = Item.objects.filter(under).exclude(owner=person).exclude(coauthors=person)
        voted = set(ReviewVote.objects.filter(reviewer=person).values_list("item_id", "round"))
        # Whether the user sits on the committee that vets an organisation: once per organisation.
        on_committee: dict[int, bool] = {}

        def reviews(item: Item) -> bool:
            if item.organisation_id not in on_committee:
                on_committee[item.organisation_id] = person.pk in {p.pk for p in access.committee(item)}
            return on_committee[item.organisation_id]

        queue = list_qs(others.filter(state__in=["submitted", "in_review"])).order_by("submitted_at")
        to_review = [i for i in queue if (i.pk, i.review_round) not in voted and reviews(i)]
        stale = list_qs(others.filter(state=Item.State.STALE)).order_by("review_due")
        due = [i for i in stale if reviews(i)]
    return {
        "drafts": list(drafts),
        "needs_changes": list(needs_changes),
        "in_review": list(in_review),
        "to_review": to_review,
        "due": due,
        "reviewer": bool(paths),
    }
