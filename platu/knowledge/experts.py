"""The expert finder: who knows about X.

People are ranked by what they did with the knowledge items that match X (wrote, co-wrote,
reviewed, reported applying) and by what they declared (the expertise on their profile), each
contribution weighted by how well the item matched. Only items and people the asking user may see
count, and the evidence is listed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from platu.knowledge.models import AppliedReport, Item, ReviewVote
from platu.orgs.models import Person
from platu.search import registry
from platu.search.query import Parsed, parse
from platu.search.segment import get_segmenter
from platu.search.service import match

ROLES = {
    "wrote": (3.0, _("wrote")),
    "cowrote": (2.0, _("co-wrote")),
    "reviewed": (1.5, _("reviewed")),
    "applied": (1.0, _("applied")),
}
DECLARED = 2.0  # a claim counts like co-writing one matching item
ITEMS_CONSIDERED = 200
EVIDENCE_SHOWN = 6


@dataclass
class Evidence:
    role: str
    label: str
    item: Item | None = None


@dataclass
class Expert:
    person: Person
    score: float = 0.0
    declared: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def find_experts(user: Any, text: str | None, *, limit: int = 20) -> tuple[Parsed, list[Expert]]:
    parsed = parse(text)
    if parsed.error:
        return parsed, []
    items_qs = Item.objects.visible_to(user).filter(state__in=Item.LIVE_STATES)
    matched, _mode, _n = match(items_qs, registry.get("items").table, parsed)
    top = list(matched.order_by("-score", "-pk").values_list("pk", "score", "owner_id")[:ITEMS_CONSIDERED])
    best = max((abs(s or 0) for _pk, s, _o in top), default=0) or 1.0
    weight_of = {pk: 0.5 + 0.5 * abs(score or 0) / best for pk, score, _o in top}
    ids = list(weight_of)

    roles: list[tuple[int, int, str]] = [(pk, owner, "wrote") for pk, _s, owner in top]
    roles += [
        (item_id, person_id, "cowrote")
        for item_id, person_id in Item.coauthors.through.objects.filter(item_id__in=ids).values_list(
            "item_id", "person_id"
        )
    ]
    roles += [
        (item_id, person_id, "reviewed")
        for item_id, person_id in ReviewVote.objects.filter(item_id__in=ids)
        .values_list("item_id", "reviewer_id")
        .distinct()
    ]
    roles += [
        (item_id, person_id, "applied")
        for item_id, person_id in AppliedReport.objects.filter(item_id__in=ids, person__isnull=False)
        .values_list("item_id", "person_id")
        .distinct()
    ]

    # Declared expertise: people whose profile keywords hold the words.
    segmenter = get_segmenter()
    words = set(parsed.words)
    declared: dict[int, list[str]] = {}
    people_matched, _m, _n2 = match(Person.objects.for_user(user), registry.get("people").table, parsed)
    for person in people_matched.only("pk", "expertise")[:500]:
        hits = [
            kw for kw in person.expertise_list if words & set(segmenter.tokens(kw)) or kw.lower() in words
        ]
        if hits:
            declared[person.pk] = hits

    candidates = {person_id for _i, person_id, _r in roles} | set(declared)
    people = {
        p.pk: p
        for p in Person.objects.for_user(user)
        .filter(pk__in=candidates)
        .prefetch_related("memberships__organisation")
    }
    titles = {i.pk: i for i in Item.objects.filter(pk__in=ids).only("pk", "title", "kind")}
    experts: dict[int, Expert] = {}
    for item_id, person_id, role in roles:
        if person_id not in people:
            continue
        expert = experts.setdefault(person_id, Expert(people[person_id]))
        expert.score += ROLES[role][0] * weight_of[item_id]
        expert.counts[role] += 1
        if len(expert.evidence) < EVIDENCE_SHOWN:
            expert.evidence.append(Evidence(role, str(ROLES[role][1]), titles.get(item_id)))
    for person_id, keywords in declared.items():
        if person_id not in people:
            continue
        expert = experts.setdefault(person_id, Expert(people[person_id]))
        expert.score += DECLARED
        expert.declared = keywords
    ranked = sorted(experts.values(), key=lambda e: (-e.score, e.person.sort_key, e.person.pk))
    return parsed, ranked[:limit]


def panel_context(user: Any, text: str) -> dict[str, Any]:
    """The people tab's "who knows about X" (a panel on the search page)."""
    return {"experts": find_experts(user, text)[1]}
