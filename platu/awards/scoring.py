"""The committee's matrix: nominations x criteria, each member scoring 5/3/1 (as the worksheets)
or 0-10, with the criteria's weights. A member's total for a nomination is the weighted sum of
their values; a nomination's score is the average of the totals of the members who scored it;
ranks are given per category with ties sharing a rank (the planning worksheets' rule, from
platu.planning.scoring)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from platu.awards import access
from platu.awards.models import Category, CommitteeMember, Criterion, Nomination, Programme, Score
from platu.planning.scoring import competition_ranks

PLACEMENTS = ("รางวัลชนะเลิศ", "รางวัลรองชนะเลิศอันดับ 1", "รางวัลรองชนะเลิศอันดับ 2")
HONOURABLE = "รางวัลชมเชย"


def placement(rank: int) -> str:
    """The Thai name of an award for a rank (printed on certificates)."""
    return PLACEMENTS[rank - 1] if 0 < rank <= len(PLACEMENTS) else HONOURABLE


@dataclass
class Row:
    nomination: Nomination
    cells: dict[int, dict[int, int]] = field(default_factory=dict)  # scorer -> criterion -> value
    totals: dict[int, int] = field(default_factory=dict)  # scorer -> weighted total
    average: Decimal = Decimal(0)
    rank: int = 0
    mine: dict[int, int] = field(default_factory=dict)  # criterion -> the viewer's value
    my_total: int = 0
    conflicted: bool = False  # the viewer may not score it

    @property
    def scored(self) -> bool:
        return bool(self.totals)


@dataclass
class Group:
    category: Category
    rows: list[Row]  # in the order nominated (the scoring form never hints at a rank)

    @property
    def ranked(self) -> list[Row]:
        return sorted(self.rows, key=lambda r: (r.rank, r.nomination.pk))


@dataclass
class Matrix:
    programme: Programme
    criteria: list[Criterion]
    groups: list[Group]
    scorers: list[Any]  # Person, committee order
    finished: dict[int, bool]  # scorer -> every nomination they may score has all criteria

    @property
    def rows(self) -> list[Row]:
        return [r for g in self.groups for r in g.rows]

    @property
    def max_total(self) -> int:
        return self.programme.max_value * sum(c.weight for c in self.criteria)


def scored_nominations(programme: Programme) -> list[Nomination]:
    return list(
        Nomination.objects.filter(programme=programme, state__in=Nomination.SCORED_STATES)
        .select_related("category", "item", "session", "person", "community")
        .prefetch_related("item__coauthors")
        .order_by("category__order", "category_id", "created_at", "pk")
    )


def build(programme: Programme, *, viewer: Any = None) -> Matrix:
    """The scored matrix; `viewer` (a Person) gets their own cells and which rows they may not
    score. Everybody's cells are in it: views show them only after the announcement."""
    criteria = list(Criterion.objects.filter(programme=programme))
    weights = {c.pk: c.weight for c in criteria}
    nominations = scored_nominations(programme)
    rows = {n.pk: Row(n) for n in nominations}
    for s in Score.objects.filter(nomination__in=list(rows), criterion__in=criteria).values(
        "nomination_id", "scorer_id", "criterion_id", "value"
    ):
        rows[s["nomination_id"]].cells.setdefault(s["scorer_id"], {})[s["criterion_id"]] = s["value"]
    members = list(CommitteeMember.objects.filter(programme=programme).select_related("person"))
    scorers = [m.person for m in members]
    about = {
        n.pk: access.nominee_people(n) | ({n.nominator_id} if n.nominator_id else set()) for n in nominations
    }
    conflicts = {(p.pk, n.pk) for p in scorers for n in nominations if p.pk in about[n.pk]}
    if viewer is not None and viewer.pk not in {p.pk for p in scorers}:
        conflicts |= {(viewer.pk, n.pk) for n in nominations}
    viewer_id = getattr(viewer, "pk", None)
    for row in rows.values():
        row.totals = {
            pk: sum(v * weights.get(c, 0) for c, v in cells.items())
            for pk, cells in row.cells.items()
            if cells
        }
        if row.totals:
            mean = Decimal(sum(row.totals.values())) / len(row.totals)
            row.average = mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        row.mine = dict(row.cells.get(viewer_id, {})) if viewer_id else {}
        row.my_total = sum(v * weights.get(c, 0) for c, v in row.mine.items())
        row.conflicted = viewer is not None and (viewer_id, row.nomination.pk) in conflicts
    groups: list[Group] = []
    for category in Category.objects.filter(programme=programme):
        in_group = [rows[n.pk] for n in nominations if n.category_id == category.pk]
        for row, rank in zip(in_group, competition_ranks([float(r.average) for r in in_group]), strict=True):
            row.rank = rank
        groups.append(Group(category, in_group))
    finished = {
        p.pk: bool(nominations)
        and all(
            len(rows[n.pk].cells.get(p.pk, {})) >= len(criteria)
            for n in nominations
            if (p.pk, n.pk) not in conflicts
        )
        for p in scorers
    }
    return Matrix(programme, criteria, groups, scorers, finished)


def winners(matrix: Matrix) -> list[Row]:
    """The awarded rows: per category, the ranks within its number of awards among the scored
    nominations (tied rows share a rank, so a tie at the last place awards both)."""
    out = []
    for group in matrix.groups:
        out += [r for r in group.ranked if r.scored and r.average > 0 and r.rank <= group.category.places]
    return out
