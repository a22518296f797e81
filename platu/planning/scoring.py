"""Worksheets 2 and 4: criteria x columns (KPIs or needed knowledge), scored 5/3/1 by several
team members; totals per scorer, the average of the scorers' totals, and ranks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from platu.planning.models import Criterion, Kpi, NeededKnowledge, Plan, Score

SCORE_VALUES = (5, 3, 1)
# The default criteria of seed 003, in its order (the official form's own wording).
DEFAULT_CRITERIA = {
    2: (
        "เป็นตัวชี้วัดที่สำคัญและจำเป็นในกระบวนการตามประเด็นยุทธศาสตร์",
        "เกิดประโยชน์ต่อประชาชน/ผู้รับบริการ",
        "เกี่ยวข้องกับหลายส่วนราชการ หรือหลายองค์กร",
        "สามารถทำให้บรรลุเป้าหมายตัวชี้วัดได้ง่าย",
        "เป็นตัวชี้วัดที่มีน้ำหนักของการประเมินผลตามคำรับรองการปฏิบัติราชการ",
    ),
    4: (
        "สอดคล้องกับทิศทางและประเด็นยุทธศาสตร์",
        "เกี่ยวข้อง สอดคล้องกับปรัชญาเศรษฐกิจพอเพียง",
        "ปรับปรุงแล้วเห็นเป็นรูปธรรมได้ชัดเจน",
        "มีโอกาสทำได้สำเร็จสูง",
        "เป็นความรู้ที่ต้องจัดการเร่งด่วน",
        "ผู้บริหารให้การสนับสนุน",
    ),
}


def competition_ranks(totals: Sequence[float]) -> list[int]:
    """Rank 1 for the highest total; equal totals share a rank and the next rank skips
    ("1, 2, 2, 4"), as Excel's RANK does."""
    return [1 + sum(1 for other in totals if other > total) for total in totals]


@dataclass
class Column:
    obj: Any
    label: str
    cells: dict[int, dict[int, int]] = field(default_factory=dict)  # scorer -> criterion -> value
    totals: dict[int, int] = field(default_factory=dict)  # scorer -> total
    average: float = 0.0
    rank: int = 0
    mine: dict[int, int] = field(default_factory=dict)  # criterion -> the viewer's value
    my_total: int = 0
    my_rank: int = 0
    averages: dict[int, float] = field(default_factory=dict)  # criterion -> the scorers' average


@dataclass
class Matrix:
    sheet: int
    criteria: list[Criterion]
    columns: list[Column]
    scorers: list[Any]  # Person, in the order they first scored

    def column(self, pk: int) -> Column | None:
        return next((c for c in self.columns if c.obj.pk == pk), None)


def columns_of(plan: Plan, sheet: int, issue_id: int | None = None) -> list[Any]:
    if sheet == 2:
        kpis = Kpi.objects.filter(plan=plan).select_related("issue").order_by("issue__order", "order", "pk")
        if issue_id is not None:
            kpis = kpis.filter(issue_id=issue_id)
        return list(kpis)
    return list(
        NeededKnowledge.objects.filter(plan=plan)
        .select_related("process__kpi")
        .order_by("process__kpi__issue__order", "process__kpi__order", "process__order", "order", "pk")
    )


def build(plan: Plan, sheet: int, *, viewer: Any = None, issue_id: int | None = None) -> Matrix:
    """The scored matrix; `viewer` (a Person) gets their own cells, totals and ranks."""
    from platu.orgs.models import Person

    criteria = list(Criterion.objects.filter(plan=plan, sheet=sheet))
    objs = columns_of(plan, sheet, issue_id)
    columns = [Column(o, f"{o.number} {o.name}".strip() if sheet == 2 else o.name) for o in objs]
    by_pk = {c.obj.pk: c for c in columns}
    target = "kpi_id" if sheet == 2 else "knowledge_id"
    scores = Score.objects.filter(criterion__in=criteria, **{f"{target}__in": list(by_pk)}).order_by("pk")
    scorer_ids: dict[int, None] = {}
    for s in scores.values("scorer_id", "criterion_id", target, "value"):
        column = by_pk[s[target]]
        column.cells.setdefault(s["scorer_id"], {})[s["criterion_id"]] = s["value"]
        scorer_ids[s["scorer_id"]] = None
    people = Person.objects.in_bulk(list(scorer_ids))
    scorers = [people[pk] for pk in scorer_ids if pk in people]
    viewer_id = getattr(viewer, "pk", None)
    for column in columns:
        column.totals = {pk: sum(column.cells.get(pk, {}).values()) for pk in scorer_ids}
        column.average = sum(column.totals.values()) / len(scorer_ids) if scorer_ids else 0.0
        column.averages = {
            c.pk: sum(column.cells.get(pk, {}).get(c.pk, 0) for pk in scorer_ids) / len(scorer_ids)
            for c in criteria
            if scorer_ids
        }
        column.mine = dict(column.cells.get(viewer_id, {})) if viewer_id else {}
        column.my_total = sum(column.mine.values())
    for column, rank in zip(columns, competition_ranks([round(c.average, 6) for c in columns]), strict=True):
        column.rank = rank
    for column, rank in zip(columns, competition_ranks([c.my_total for c in columns]), strict=True):
        column.my_rank = rank
    return Matrix(sheet, criteria, columns, scorers)
