"""Ranking queries with words in most items (platu/search/ranking.py): the match runs without
scoring and the rows are scored without the common words, in the same order bm25 over every word
gives."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection

from platu.knowledge.search import ITEM_INDEX, search_items
from platu.search import ranking
from platu.search.backends import get_backend
from platu.search.query import parse
from tests.search.conftest import make_item, set_state


def _ranked(person: Any, text: str) -> list[tuple[int, float]]:
    results = search_items(person.user, text, facets=False)
    return [(hit.obj.pk, hit.score) for hit in results.hits]


@pytest.fixture
def pond(sw: SimpleNamespace) -> SimpleNamespace:
    """บ่อ (pond) is in most items; มะละกอ (papaya) in a few, in titles or bodies."""
    w = sw
    w.fish = [
        set_state(
            make_item(w.owner, w.a, title="มะละกอริมบ่อดิน", body="<p>บ่อของโรงเรียนปลูกมะละกอ</p>"), "published"
        ),
        set_state(make_item(w.owner, w.a, title="บ่อปูน", body="<p>มะละกอข้างบ่อปูนโตช้ากว่า</p>"), "published"),
        set_state(
            make_item(w.owner, w.a, title="มะละกอแดง", body="<p>บ่อ มะละกอ มะละกอ มะละกอ</p>"), "published"
        ),
    ]
    w.ponds = [
        set_state(make_item(w.owner, w.a, title=f"บ่อที่ {n}", body="<p>ล้างบ่อทุกเดือน</p>"), "published")
        for n in range(6)
    ]
    return w


def test_common_words_are_left_out_of_the_ranking_in_the_same_order(
    pond: SimpleNamespace, settings: Any
) -> None:
    parsed = parse("มะละกอ บ่อ")
    backend = get_backend()
    in_match = _ranked(pond.member, "มะละกอ บ่อ")
    assert {pk for pk, _ in in_match} == {f.pk for f in pond.fish}
    settings.PLATU_SEARCH_COMMON_MIN = 0  # a small collection counts as large
    scorer = backend.scorer(ITEM_INDEX.table, parsed)
    if connection.vendor == "postgresql":
        assert scorer is None  # ts_rank is computed in the database's match
        return
    assert scorer is not None
    kept, common = ranking.common_units(ITEM_INDEX.table, parsed)
    assert [u.words for u in kept] == [("มะละกอ",)] and [u.words for u in common] == [("บ่อ",)]
    afterwards = _ranked(pond.member, "มะละกอ บ่อ")
    assert [pk for pk, _ in afterwards] == [pk for pk, _ in in_match]
    # The title with the word three times in the body first, the body-only one last.
    assert afterwards[0][0] == pond.fish[2].pk and afterwards[-1][0] == pond.fish[1].pk
    for (_, score), (_, before) in zip(afterwards, in_match, strict=True):
        assert score == pytest.approx(before, abs=1e-5)


def test_a_query_of_only_common_words_is_scored_by_the_rarest(pond: SimpleNamespace, settings: Any) -> None:
    settings.PLATU_SEARCH_COMMON_MIN = 0
    parsed = parse("บ่อ โรงเรียน")
    if connection.vendor == "postgresql":
        assert get_backend().scorer(ITEM_INDEX.table, parsed) is None
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_item")
        assert ranking.rows(ITEM_INDEX.table) == cursor.fetchone()[0]  # FTS5's own count, read directly
    counts = {
        w: ranking.documents(ITEM_INDEX.table, (w,), ranking.rows(ITEM_INDEX.table))
        for w in ("บ่อ", "โรงเรียน")
    }
    assert counts["บ่อ"] > ranking.rows(ITEM_INDEX.table) / 2
    if counts["โรงเรียน"] > ranking.rows(ITEM_INDEX.table) / 2:
        kept, common = ranking.common_units(ITEM_INDEX.table, parsed)
        rarest = min(counts, key=lambda w: counts[w])
        assert [u.words for u in kept] == [(rarest,)] and len(common) == 1
    found = search_items(pond.member.user, "บ่อ โรงเรียน", facets=False)
    assert {h.obj.pk for h in found.hits} == {pond.fish[0].pk}


def test_word_counts_are_exact_when_small_and_estimated_from_the_newest_rows(
    pond: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor == "postgresql":
        assert get_backend().scorer(ITEM_INDEX.table, parse("บ่อ มะละกอ")) is None
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_item WHERE search_item MATCH 'บ่อ'")
        truth = cursor.fetchone()[0]
    total = ranking.rows(ITEM_INDEX.table)
    assert ranking.documents(ITEM_INDEX.table, ("บ่อ",), total) == truth
    # Sampling the newest rows only (every one of the six newest holds บ่อ).
    monkeypatch.setattr(ranking, "SAMPLE", 6)
    ranking._cache.clear()
    estimate = ranking.documents(ITEM_INDEX.table, ("บ่อ",), total)
    assert estimate >= truth and estimate <= total  # all of the newest hold it: "most rows"
    # Rarely seen in the sample: counted in full.
    monkeypatch.setattr(ranking, "EXACT_BELOW", 100)
    ranking._cache.clear()
    assert ranking.documents(ITEM_INDEX.table, ("บ่อ",), total) == truth


def test_equal_scores_put_the_most_recently_published_first_and_an_undated_one_last(
    sw: SimpleNamespace,
) -> None:
    """The probe hands the dates over as the database returns them (text on SQLite): the order of
    ties is still by date, to the microsecond, with an item without a date last."""
    import datetime as dt

    from platu.knowledge.models import Item

    same = [
        set_state(make_item(sw.owner, sw.a, title="ตะไคร้หอมไล่ยุง", body="<p>ตะไคร้</p>"), "published")
        for _ in range(4)
    ]
    base = dt.datetime(2025, 3, 1, 8, 0, 0, tzinfo=dt.UTC)
    dates = [base, base + dt.timedelta(microseconds=5), None, base - dt.timedelta(days=400)]
    for item, when in zip(same, dates, strict=True):
        Item.objects.filter(pk=item.pk).update(published_at=when)
    order = [pk for pk, _ in _ranked(sw.member, "ตะไคร้หอม")]
    assert order == [same[1].pk, same[0].pk, same[3].pk, same[2].pk]
