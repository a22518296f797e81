"""Issue 19 part 6: the committee scores independently (each member sees only their own scores
until the chair announces), weighted totals averaged across the members who scored, ties share
a rank, the chair announces (frozen, audited) and the winners show on the organisation's page."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from platu.audit.models import AuditEntry
from platu.awards import actions, scoring
from platu.awards.models import Award, Category, Certificate, Criterion, Nomination, Programme, Score
from platu.lib.errors import ActionRefused, InvalidAction
from tests.awards.conftest import client_for
from tests.awards.test_nominations import STATEMENT


@pytest.fixture
def scored(aw: SimpleNamespace, open_programme: Programme) -> SimpleNamespace:
    work = Category.objects.get(programme=open_programme, kind="work")
    person = Category.objects.get(programme=open_programme, kind="person")
    aw.n1 = actions.nominate(open_programme, work, "item", aw.item, STATEMENT, acting_user=aw.teacher.user)
    aw.n2 = actions.nominate(open_programme, work, "item", aw.item2, STATEMENT, acting_user=aw.judge1.user)
    aw.n3 = actions.nominate(
        open_programme, person, "person", aw.teacher, STATEMENT, acting_user=aw.owner.user
    )
    actions.close_nominations(open_programme, acting_user=aw.chair.user)
    aw.c1, aw.c2 = Criterion.objects.filter(programme=open_programme)
    aw.programme = open_programme
    return aw


def _sheet(w: SimpleNamespace, values: dict[tuple[Nomination, Criterion], Any]) -> dict[str, str]:
    return {f"s-{n.pk}-{c.pk}": str(v) for (n, c), v in values.items()}


def _score_all(w: SimpleNamespace) -> None:
    url = reverse("awards:scores", args=[w.programme.pk])
    client_for(w.judge1).post(
        url, _sheet(w, {(w.n1, w.c1): 5, (w.n1, w.c2): 5, (w.n3, w.c1): 3, (w.n3, w.c2): 3})
    )
    client_for(w.judge2).post(url, _sheet(w, {(w.n1, w.c1): 3, (w.n1, w.c2): 3, (w.n2, w.c1): 5, (w.n2, w.c2): 5,
                                              (w.n3, w.c1): 5, (w.n3, w.c2): 1}))  # fmt: skip
    client_for(w.chair).post(
        url, _sheet(w, {(w.n1, w.c1): 5, (w.n1, w.c2): 3, (w.n2, w.c1): 3, (w.n2, w.c2): 5})
    )


def test_members_score_independently(scored: SimpleNamespace) -> None:
    w = scored
    url = reverse("awards:scores", args=[w.programme.pk])
    judge1 = client_for(w.judge1)
    page = judge1.get(url).content.decode()
    assert f'name="s-{w.n1.pk}-{w.c1.pk}"' in page
    assert f'name="s-{w.n2.pk}-{w.c1.pk}"' not in page  # judge1 nominated it: not theirs to score
    response = judge1.post(url, _sheet(w, {(w.n1, w.c1): 4, (w.n1, w.c2): 5}))  # 4 is not on the 5/3/1 scale
    assert response.status_code == 200 and not Score.objects.exists()
    judge1.post(url, _sheet(w, {(w.n1, w.c1): 5, (w.n1, w.c2): 5}))
    assert Score.objects.filter(scorer=w.judge1).count() == 2
    judge1.post(url, _sheet(w, {(w.n2, w.c1): 5}))
    assert not Score.objects.filter(nomination=w.n2).exists()  # refused: a conflict of interest
    # judge2 sees nothing of judge1's; neither do the managers before the announcement.
    page = client_for(w.judge2).get(url).content.decode()
    assert " selected>" not in page and w.judge1.full_name not in page
    page = client_for(w.lead).get(w.programme.get_absolute_url()).content.decode()
    assert "ให้คะแนนครบแล้ว" in page or "ยังให้คะแนนไม่ครบ" in page
    assert client_for(w.member).get(url).status_code == 404
    assert client_for(w.outsider).post(url, _sheet(w, {(w.n1, w.c1): 1})).status_code == 404
    assert Score.objects.count() == 2


def test_the_chair_announces_ranked_by_the_weighted_average(scored: SimpleNamespace) -> None:
    w = scored
    _score_all(w)
    matrix = scoring.build(w.programme)
    averages = {r.nomination.pk: (r.average, r.rank) for r in matrix.rows}
    # n1: (15 + 9 + 13) / 3; n2: (15 + 11) / 2 (judge1 did not score it); n3: (9 + 11) / 2.
    assert averages == {
        w.n1.pk: (Decimal("12.33"), 2),
        w.n2.pk: (Decimal("13.00"), 1),
        w.n3.pk: (Decimal("10.00"), 1),
    }
    assert matrix.finished == {w.chair.pk: False, w.judge1.pk: True, w.judge2.pk: True}
    action = reverse("awards:programme_action", args=[w.programme.pk])
    client_for(w.judge1).post(action, {"op": "announce"})
    assert not Award.objects.exists()  # a member is not the chair
    client_for(w.chair).post(action, {"op": "announce"})
    w.programme.refresh_from_db()
    assert w.programme.state == Programme.State.ANNOUNCED and w.programme.announced_by_id == w.chair.pk
    awards = {
        a.nomination_id: (a.rank, a.placement, a.winner_name, a.work_title) for a in Award.objects.all()
    }
    assert awards == {
        w.n2.pk: (1, "รางวัลชนะเลิศ", w.teacher.full_name, w.item2.title),
        w.n3.pk: (1, "รางวัลชนะเลิศ", w.teacher.full_name, ""),
    }
    assert Certificate.objects.filter(person=w.teacher).count() == 2
    entry = AuditEntry.objects.get(action="awards.announce")
    assert entry.data["unfinished"] == [w.chair.pk]
    # Frozen: no more scores, no second announcement, no review.
    with pytest.raises(InvalidAction):
        actions.save_scores(w.programme, {(w.n1.pk, w.c1.pk): 1}, acting_user=w.judge1.user)
    with pytest.raises(InvalidAction):
        actions.announce(w.programme, acting_user=w.chair.user)
    with pytest.raises(InvalidAction):
        actions.review(w.n1, False, "ไม่ผ่าน", acting_user=w.chair.user)
    # Now the committee sees everybody's totals.
    page = client_for(w.judge2).get(reverse("awards:scores", args=[w.programme.pk])).content.decode()
    assert w.judge1.full_name in page and "12.33" in page
    # The winners are on the organisation's page under ผลงานเด่น, in constant queries.
    org_url = reverse("organisation_detail", args=[w.a.code])
    client = client_for(w.member)
    with CaptureQueriesContext(connection) as few:
        page = client.get(org_url).content.decode()
    assert "ผลงานเด่น" in page and w.item2.title in page and w.teacher.full_name in page
    assert w.item.title not in page  # not a winner
    _another_round(w)
    with CaptureQueriesContext(connection) as more:
        client.get(org_url)
    assert Award.objects.count() == 3 and len(more) == len(few)


def _another_round(w: SimpleNamespace) -> None:
    from tests.awards.conftest import programme_data

    p = actions.create_programme(w.a, programme_data(title="รางวัลรอบสอง"), categories=[("cop", 1)],
                                 criteria=[("ก", 1)], acting_user=w.lead.user)  # fmt: skip
    actions.set_committee(p, [], w.chair, acting_user=w.lead.user)
    actions.open_programme(p, acting_user=w.lead.user)
    n = actions.nominate(p, Category.objects.get(programme=p), "community", w.community, STATEMENT,
                         acting_user=w.judge1.user)  # fmt: skip
    actions.close_nominations(p, acting_user=w.lead.user)
    actions.save_scores(p, {(n.pk, Criterion.objects.get(programme=p).pk): 5}, acting_user=w.chair.user)
    actions.announce(p, acting_user=w.chair.user)


def test_ties_share_a_rank_and_both_win(scored: SimpleNamespace) -> None:
    w = scored
    for n in (w.n1, w.n2):
        actions.save_scores(w.programme, {(n.pk, w.c1.pk): 5, (n.pk, w.c2.pk): 3}, acting_user=w.judge2.user)
    actions.save_scores(w.programme, {(w.n3.pk, w.c1.pk): 1}, acting_user=w.judge2.user)
    ranks = [(r.nomination.pk, r.rank) for r in scoring.build(w.programme).rows]
    assert ranks == [(w.n1.pk, 1), (w.n2.pk, 1), (w.n3.pk, 1)]
    actions.announce(w.programme, acting_user=w.chair.user)
    assert {a.nomination_id for a in Award.objects.filter(category__kind="work")} == {w.n1.pk, w.n2.pk}


def test_nothing_scored_cannot_be_announced_and_others_may_not(scored: SimpleNamespace) -> None:
    w = scored
    with pytest.raises(InvalidAction):
        actions.announce(w.programme, acting_user=w.chair.user)
    with pytest.raises(ActionRefused):
        actions.announce(w.programme, acting_user=w.owner.user)
    with pytest.raises(ActionRefused):
        actions.save_scores(w.programme, {(w.n1.pk, w.c1.pk): 5}, acting_user=w.member.user)


def test_the_ten_point_scale(aw: SimpleNamespace) -> None:
    from tests.awards.conftest import programme_data

    p = actions.create_programme(aw.a, programme_data(scale="10"), categories=[("innovation", 1)],
                                 criteria=[("ความใหม่", 3), ("ประโยชน์", 2)], acting_user=aw.lead.user)  # fmt: skip
    actions.set_committee(p, [aw.judge1], aw.chair, acting_user=aw.lead.user)
    actions.open_programme(p, acting_user=aw.lead.user)
    n = actions.nominate(
        p, Category.objects.get(programme=p), "item", aw.item, STATEMENT, acting_user=aw.teacher.user
    )
    actions.close_nominations(p, acting_user=aw.lead.user)
    c1, c2 = Criterion.objects.filter(programme=p)
    actions.save_scores(p, {(n.pk, c1.pk): 7, (n.pk, c2.pk): 0}, acting_user=aw.judge1.user)
    with pytest.raises(InvalidAction):
        actions.save_scores(p, {(n.pk, c1.pk): 11}, acting_user=aw.judge1.user)
    row = scoring.build(p).rows[0]
    assert row.average == Decimal("21.00") and scoring.build(p).max_total == 50
