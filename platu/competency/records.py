"""A person's development record: assessments over the years, hours by kind (PLC from the
communities' logbook, development items through the sessions linked to their Form 2
activities), awards and the knowledge they wrote; and an item's evidence (sessions, hours)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone

from platu.communities import hours as plc_hours
from platu.communities.models import Attendance, Session
from platu.competency import frameworks
from platu.competency.models import Assessment, Competency, Cycle, DevItem, Push, Rating, Way
from platu.knowledge.models import Item
from platu.lib import thaidate
from platu.orgs.models import Organisation, Person


@dataclass
class CycleLevels:
    cycle: Cycle
    rows: list[tuple[Competency, int, int | None, int | None, int | None, int | None]]
    # (competency, depth, expected, own, supervisor's, gap)


@dataclass
class Attended:
    session: Session
    hours: Decimal
    item: DevItem


@dataclass
class YearHours:
    fiscal_year: int
    plc: Decimal = Decimal(0)
    by_way: dict[str, Decimal] = field(default_factory=dict)

    @property
    def development(self) -> Decimal:
        return sum(self.by_way.values(), Decimal(0))

    def ways(self) -> list[tuple[str, Decimal]]:
        labels = dict(Way.choices)
        return [(str(labels.get(w, w)), h) for w, h in sorted(self.by_way.items())]


@dataclass
class Record:
    person: Person
    organisation: Organisation
    cycles: list[CycleLevels]
    years: list[YearHours]
    items: list[DevItem]
    attended: list[Attended]
    knowledge: list[Item]
    awards: list[Any]


def _pushed_sessions(item_ids: list[int]) -> dict[int, list[int]]:
    """Session id → the development items whose Form 2 activities it carried out."""
    out: dict[int, list[int]] = {}
    activity_items: dict[int, list[int]] = {}
    for item_id, activity_id in Push.objects.filter(item_id__in=item_ids, activity__isnull=False).values_list(
        "item_id", "activity_id"
    ):
        activity_items.setdefault(activity_id, []).append(item_id)
    for session_id, activity_id in Session.activities.through.objects.filter(
        activity_id__in=list(activity_items)
    ).values_list("session_id", "activity_id"):
        for item_id in activity_items[activity_id]:
            if item_id not in out.setdefault(session_id, []):
                out[session_id].append(item_id)
    return out


def item_evidence(item: DevItem) -> list[tuple[Session, list[Attendance]]]:
    """The held sessions linked to the activities the item created, with who attended."""
    sessions = _pushed_sessions([item.pk])
    rows = (
        Session.objects.filter(pk__in=list(sessions))
        .exclude(state=Session.State.CANCELLED)
        .select_related("community")
        .order_by("starts_at")
    )
    came: dict[int, list[Attendance]] = {}
    for a in Attendance.objects.filter(session_id__in=list(sessions)).select_related("person").order_by("pk"):
        came.setdefault(a.session_id, []).append(a)
    return [(s, came.get(s.pk, [])) for s in rows]


def items_for(person: Person, org: Organisation) -> list[DevItem]:
    from platu.competency.actions import target_people

    out = []
    for item in (
        DevItem.objects.filter(plan__organisation=org)
        .select_related("plan__organisation")
        .prefetch_related("people")
    ):
        if any(p.pk == person.pk for p in target_people(item)):
            out.append(item)
    return out


def levels_over_years(person: Person, org: Organisation) -> list[CycleLevels]:
    cycles = list(
        Cycle.objects.filter(
            organisation=org, assessments__person=person, assessments__submitted_at__isnull=False
        )
        .distinct()
        .select_related("framework")
        .order_by("-year")
    )
    out = []
    for cycle in cycles:
        expected = frameworks.expected(cycle.framework, person.position)
        own: dict[int, int] = {}
        sup: dict[int, int] = {}
        for kind, cid, level in Rating.objects.filter(
            assessment__cycle=cycle, assessment__person=person, assessment__submitted_at__isnull=False
        ).values_list("assessment__kind", "competency_id", "level"):
            (own if kind == Assessment.Kind.SELF else sup)[cid] = level
        rows = []
        for node in frameworks.tree(cycle.framework):
            cid = node.competency.pk
            if cid not in expected and cid not in own and cid not in sup:
                continue
            agreed = sup.get(cid, own.get(cid))
            exp = expected.get(cid)
            gap = exp - agreed if exp is not None and agreed is not None else None
            rows.append((node.competency, node.depth, exp, own.get(cid), sup.get(cid), gap))
        out.append(CycleLevels(cycle, rows))
    return out


def build(person: Person, org: Organisation, viewer: Any) -> Record:
    items = items_for(person, org)
    sessions = _pushed_sessions([i.pk for i in items])
    by_pk = {i.pk: i for i in items}
    attended = []
    for a in (
        Attendance.objects.filter(person=person, session_id__in=list(sessions))
        .exclude(session__state=Session.State.CANCELLED)
        .select_related("session__community")
        .order_by("session__starts_at")
    ):
        attended.append(Attended(a.session, a.hours, by_pk[sessions[a.session_id][0]]))
    current = thaidate.fiscal_year(timezone.localdate())
    first = current - 2
    for done in attended:
        first = min(first, thaidate.fiscal_year(timezone.localtime(done.session.starts_at).date()))
    years = []
    for fy in range(max(first, current - 5), current + 1):
        row = YearHours(fy, plc=plc_hours.logbook(person, fy).total)
        for done in attended:
            if thaidate.fiscal_year(timezone.localtime(done.session.starts_at).date()) == fy:
                row.by_way[done.item.way] = row.by_way.get(done.item.way, Decimal(0)) + done.hours
        years.append(row)
    years.reverse()
    knowledge = list(
        Item.objects.live()
        .visible_to(viewer)
        .filter(Q(owner=person) | Q(coauthors=person))
        .distinct()
        .order_by("-published_at", "-pk")[:100]
    )
    return Record(
        person, org, levels_over_years(person, org), years, items, attended, knowledge, awards_of(person)
    )


def awards_of(person: Person) -> list[str]:
    """Awards won by the person (platu/awards: the winning nomination names them, or a
    certificate of an award was issued to them and not revoked), announced results only."""
    from platu.awards.models import Award, Programme

    rows = (
        Award.objects.filter(programme__state=Programme.State.ANNOUNCED)
        .filter(
            Q(nomination__person=person)
            | Q(certificates__person=person, certificates__revoked_at__isnull=True)
        )
        .select_related("programme", "category")
        .distinct()
        .order_by("-programme__fiscal_year", "rank", "pk")
    )
    return [
        f"{a.placement} {a.category.name} — {a.programme.title} ปีงบประมาณ {a.programme.fiscal_year}"
        + (f" ({a.work_title})" if a.work_title else "")
        for a in rows
    ]
