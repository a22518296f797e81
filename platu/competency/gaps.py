"""Gaps: the expected level of a person's position minus the agreed level (the supervisor's,
else the person's own), from submitted assessments; and a cycle's summary in numbers."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from platu.competency import frameworks
from platu.competency.models import Assessment, Competency, Cycle, Need, Rating, Way
from platu.lib.thainames import name_sort_key
from platu.orgs.models import Person


def people_of(cycle: Cycle) -> QuerySet[Person]:
    return Person.objects.filter(memberships__organisation=cycle.organisation).distinct()


@dataclass
class Result:
    person: Person
    expected: dict[int, int] = field(default_factory=dict)
    own: dict[int, int] = field(default_factory=dict)
    supervisor: dict[int, int] = field(default_factory=dict)
    self_state: str = ""  # "", "draft", "submitted"
    supervisor_state: str = ""

    @property
    def agreed(self) -> dict[int, int]:
        out = dict(self.own)
        out.update(self.supervisor)
        return out

    @property
    def gaps(self) -> dict[int, int]:
        agreed = self.agreed
        return {cid: level - agreed[cid] for cid, level in self.expected.items() if cid in agreed}

    @property
    def total_gap(self) -> int:
        return sum(g for g in self.gaps.values() if g > 0)


def results(cycle: Cycle, people: list[Person] | None = None) -> list[Result]:
    """Each person's expected, own, supervisor's and agreed levels in the cycle (Thai name order)."""
    if people is None:
        people = list(people_of(cycle))
    expectations = frameworks.Expectations(cycle.framework)
    out = {p.pk: Result(p, expectations.for_position(p.position)) for p in people}
    for a in Assessment.objects.filter(cycle=cycle, person_id__in=list(out)):
        state = "submitted" if a.submitted_at else "draft"
        if a.kind == Assessment.Kind.SELF:
            out[a.person_id].self_state = state
        else:
            out[a.person_id].supervisor_state = state
    ratings = Rating.objects.filter(
        assessment__cycle=cycle, assessment__person_id__in=list(out), assessment__submitted_at__isnull=False
    ).values_list("assessment__person_id", "assessment__kind", "competency_id", "level")
    for person_id, kind, competency_id, level in ratings:
        target = out[person_id].own if kind == Assessment.Kind.SELF else out[person_id].supervisor
        target[competency_id] = level
    return sorted(out.values(), key=lambda r: name_sort_key(r.person.first_name, r.person.last_name))


@dataclass
class Row:
    competency: Competency
    depth: int
    expected: int = 0  # people of whom a level is expected
    assessed: int = 0  # of them, with an agreed level
    below: int = 0  # of them, below the expected level
    gap_sum: int = 0
    level_sum: int = 0

    @property
    def average_gap(self) -> Decimal | None:
        return (Decimal(self.gap_sum) / self.assessed).quantize(Decimal("0.01")) if self.assessed else None

    @property
    def average_level(self) -> Decimal | None:
        return (Decimal(self.level_sum) / self.assessed).quantize(Decimal("0.01")) if self.assessed else None


@dataclass
class Summary:
    cycle: Cycle
    people: int
    self_done: int
    supervisor_done: int
    needs_done: int
    rows: list[Row]
    ways: list[tuple[str, int]]
    wanted: list[tuple[Competency, int]]

    @property
    def top_gaps(self) -> list[Row]:
        rows = [r for r in self.rows if r.below]
        return sorted(rows, key=lambda r: (-(r.average_gap or 0), -r.below))[:5]


def summary(cycle: Cycle) -> Summary:
    """The cycle in numbers: per competency, how many people are below the expected level and
    the average gap; the ways of developing most asked for and the competencies most wanted."""
    res = results(cycle)
    nodes = frameworks.tree(cycle.framework)
    rows = {n.competency.pk: Row(n.competency, n.depth) for n in nodes}
    for r in res:
        agreed = r.agreed
        for cid, level in r.expected.items():
            row = rows.get(cid)
            if row is None:
                continue
            row.expected += 1
            if cid in agreed:
                row.assessed += 1
                row.level_sum += agreed[cid]
                gap = max(level - agreed[cid], 0)
                row.gap_sum += gap
                row.below += gap > 0
    needs = list(Need.objects.filter(cycle=cycle).prefetch_related("competencies"))
    labels = dict(Way.choices)
    ways = Counter(w for n in needs for w in n.ways if w in labels)
    wanted = Counter(c.pk for n in needs for c in n.competencies.all())
    by_pk = {n.competency.pk: n.competency for n in nodes}
    return Summary(
        cycle=cycle,
        people=len(res),
        self_done=sum(r.self_state == "submitted" for r in res),
        supervisor_done=sum(r.supervisor_state == "submitted" for r in res),
        needs_done=len(needs),
        rows=[rows[n.competency.pk] for n in nodes],
        ways=[(str(labels[w]), n) for w, n in ways.most_common()],
        wanted=[(by_pk[c], n) for c, n in wanted.most_common(5) if c in by_pk],
    )
