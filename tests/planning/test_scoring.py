"""Worksheets 2 and 4: totals, ranks with ties, averages across scorers, edited criteria."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from platu.lib.errors import ActionRefused, InvalidAction
from platu.planning import actions, scoring
from platu.planning.models import Criterion


def score_all(plan, person, sheet: int, column, values: list[int | None]) -> None:
    criteria = list(Criterion.objects.filter(plan=plan, sheet=sheet))
    for criterion, value in zip(criteria, values, strict=False):
        actions.set_score(plan, sheet=sheet, criterion_id=criterion.pk, column_id=column.pk, value=value,
                          acting_user=person.user)  # fmt: skip


def test_competition_ranks_share_ties_and_skip() -> None:
    assert scoring.competition_ranks([10, 25, 25, 7, 25]) == [4, 1, 1, 5, 1]
    assert scoring.competition_ranks([]) == []


@given(st.lists(st.integers(min_value=0, max_value=40), max_size=12))
def test_ranks_agree_with_totals(totals: list[int]) -> None:
    ranks = scoring.competition_ranks(totals)
    for i, a in enumerate(totals):
        for j, b in enumerate(totals):
            if a > b:
                assert ranks[i] < ranks[j]
            elif a == b:
                assert ranks[i] == ranks[j]
    assert all(1 <= r <= len(totals) for r in ranks)
    if totals:
        assert min(ranks) == 1


def test_totals_ranks_with_ties_and_the_average_of_scorers(pw: SimpleNamespace) -> None:
    plan = pw.plan
    assert Criterion.objects.filter(plan=plan, sheet=2).count() == 5  # the seed's defaults
    score_all(plan, pw.lead, 2, pw.kpi1, [5, 5, 3, 3, 1])  # 17
    score_all(plan, pw.lead, 2, pw.kpi2, [5, 3, 3, 3, 3])  # 17
    score_all(plan, pw.lead, 2, pw.kpi3, [1, 1, 1, 1, 1])  # 5
    score_all(plan, pw.km, 2, pw.kpi1, [5, 5, 5, 5, 5])  # 25
    score_all(plan, pw.km, 2, pw.kpi2, [1, 1, 1, 1, None])  # 4
    matrix = scoring.build(plan, 2, viewer=pw.lead, issue_id=pw.issue1.pk)
    by = {c.obj.pk: c for c in matrix.columns}
    assert [c.obj.pk for c in matrix.columns] == [pw.kpi1.pk, pw.kpi2.pk, pw.kpi3.pk]
    assert {s.pk for s in matrix.scorers} == {pw.lead.pk, pw.km.pk}
    assert by[pw.kpi1.pk].totals == {pw.lead.pk: 17, pw.km.pk: 25}
    assert by[pw.kpi1.pk].average == 21 and by[pw.kpi2.pk].average == 10.5 and by[pw.kpi3.pk].average == 2.5
    assert [by[k.pk].rank for k in (pw.kpi1, pw.kpi2, pw.kpi3)] == [1, 2, 3]
    # The lead's own ranks: kpi1 and kpi2 tie at 17.
    assert [by[k.pk].my_total for k in (pw.kpi1, pw.kpi2, pw.kpi3)] == [17, 17, 5]
    assert [by[k.pk].my_rank for k in (pw.kpi1, pw.kpi2, pw.kpi3)] == [1, 1, 3]
    # Clearing a cell changes the total.
    first = Criterion.objects.filter(plan=plan, sheet=2).first()
    actions.set_score(
        plan, sheet=2, criterion_id=first.pk, column_id=pw.kpi1.pk, value=None, acting_user=pw.lead.user
    )
    assert scoring.build(plan, 2, viewer=pw.lead, issue_id=pw.issue1.pk).column(pw.kpi1.pk).my_total == 12


def test_edited_and_added_criteria_count(pw: SimpleNamespace) -> None:
    plan = pw.plan
    Criterion.objects.create(plan=plan, sheet=4, order=9, text="อื่น ๆ: ใช้ได้ทุกโรงเรียนในเครือข่าย")
    assert Criterion.objects.filter(plan=plan, sheet=4).count() == 7
    score_all(plan, pw.lead, 4, pw.k1, [5, 5, 5, 5, 5, 5, 5])
    score_all(plan, pw.lead, 4, pw.k2, [3, 3, 3, 3, 3, 3, 5])
    matrix = scoring.build(plan, 4)
    assert matrix.column(pw.k1.pk).average == 35
    assert matrix.column(pw.k2.pk).average == 23
    Criterion.objects.filter(plan=plan, sheet=4, order=9).delete()  # removing a criterion drops its scores
    matrix = scoring.build(plan, 4)
    assert matrix.column(pw.k1.pk).average == 30 and matrix.column(pw.k2.pk).average == 18


def test_choose_top_ranked_carries_forward(pw: SimpleNamespace) -> None:
    plan = pw.plan
    score_all(plan, pw.lead, 2, pw.kpi1, [5, 5, 5, 5, 5])
    score_all(plan, pw.lead, 2, pw.kpi2, [3, 3, 3, 3, 3])
    score_all(plan, pw.lead, 2, pw.kpi4, [1, 1, 1, 1, 1])
    ids = actions.top_ranked(plan, 2, 1)  # rank 1 of each strategic issue
    assert set(ids) == {pw.kpi1.pk, pw.kpi4.pk}
    actions.set_chosen(plan, sheet=2, chosen_ids=ids, acting_user=pw.lead.user)
    pw.kpi1.refresh_from_db()
    pw.kpi2.refresh_from_db()
    assert pw.kpi1.chosen and not pw.kpi2.chosen


def test_bad_scores_and_foreign_cells_are_refused(pw: SimpleNamespace) -> None:
    plan = pw.plan
    criterion = Criterion.objects.filter(plan=plan, sheet=2).first()
    with pytest.raises(InvalidAction):
        actions.set_score(
            plan, sheet=2, criterion_id=criterion.pk, column_id=pw.kpi1.pk, value=4, acting_user=pw.lead.user
        )
    with pytest.raises(InvalidAction):  # a knowledge row is no column of worksheet 2
        actions.set_score(
            plan,
            sheet=2,
            criterion_id=criterion.pk,
            column_id=pw.k1.pk + 999,
            value=5,
            acting_user=pw.lead.user,
        )
    with pytest.raises(ActionRefused):  # a plain member does not score
        actions.set_score(
            plan,
            sheet=2,
            criterion_id=criterion.pk,
            column_id=pw.kpi1.pk,
            value=5,
            acting_user=pw.member.user,
        )
