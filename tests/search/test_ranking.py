"""Ranking: a question's best matches re-ranked by how much of it they hold (rerank.py), the
word counts it weighs them with (ranking.py), and ties by date."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection

from platu.knowledge.search import ITEM_INDEX, search_items
from platu.search import pending, ranking
from platu.search.query import parse
from platu.search.rerank import RERANK_DEPTH, rerank
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


def test_a_question_s_best_matches_are_reordered_by_how_much_of_it_they_hold(pond: SimpleNamespace) -> None:
    """bm25 over any word may put a short item holding one word first; the re-ranking puts the
    item holding more of the question's weight first, and leaves the rest in their order."""
    pending.flush()
    parsed = parse("มะละกอ ริม บ่อ ดิน")
    one_word, every_word, other = pond.fish[2].pk, pond.fish[0].pk, pond.fish[1].pk
    rows = [(one_word, 10.0), (every_word, 9.0), (other, 8.0)]
    assert [pk for pk, _ in rerank(ITEM_INDEX.table, parsed, rows)][:2] == [every_word, one_word]
    # Below the depth nothing moves.
    deep = [(pk, 1.0) for pk in range(10_000, 10_000 + RERANK_DEPTH)] + rows
    assert rerank(ITEM_INDEX.table, parsed, deep)[RERANK_DEPTH:] == rows
    # Through the search: a question nobody holds whole is answered by any word.
    results = search_items(pond.member.user, "มะละกอ ริม บ่อ ดิน ทุเรียน", facets=False)
    assert results.mode == "any" and results.hits[0].obj.pk == every_word


def test_word_counts_are_exact_when_small_and_estimated_from_the_newest_rows(
    pond: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor == "postgresql":
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


def test_the_score_bounds_give_the_top_that_scoring_every_match_gives(
    pond: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """topk.py proves a question's top k from the rare terms' lists and the common terms' bounds:
    whenever it answers, the answer is FTS5's own top k over every match, scores included."""
    if connection.vendor != "sqlite":
        return
    from platu.knowledge.models import Item
    from platu.search import service, topk
    from platu.search.backends import get_backend

    pending.flush()
    monkeypatch.setattr(topk, "RARE_MIN", 1)  # a word in two rows is already "common"
    monkeypatch.setattr(topk, "RARE_SHARE", 0.0)
    monkeypatch.setattr(topk, "FIRST_K", 2)
    backend = get_backend()
    table = ITEM_INDEX.table
    everyone = Item.objects.all()
    visible = service._visible(everyone, ITEM_INDEX.order)
    answered = 0
    for text in ("มะละกอ แดง บ่อ ปูน", "มะละกอ ริม ดิน บ่อ", "บ่อ ล้าง เดือน มะละกอ", "ปูน โต ช้า บ่อ"):
        parsed = parse(text)
        found = topk.best(table, parsed, 2, visible, lambda t: backend.exact_documents(table, t))
        every = service._best(table, backend.compile(parsed, any_word=True), 2, visible)
        if found is not None:
            answered += 1
            assert [pk for pk, _ in found] == [pk for pk, _ in every or []]
            for (_pk, ours), (_pk2, theirs) in zip(found, every or [], strict=True):
                assert ours == pytest.approx(theirs, rel=1e-6)
    assert answered >= 1


@pytest.mark.parametrize("budget,first_k", [(0.5, 2), (3.0, 3), (50.0, 5), (1e9, 500)])
def test_the_score_bounds_agree_with_scoring_every_match_on_random_questions(
    sw: SimpleNamespace, monkeypatch: pytest.MonkeyPatch, budget: float, first_k: int
) -> None:
    """A property of topk.py: on a random corpus and random questions, whatever terms count as
    common (COMMON_BUDGET) and however few rows are listed at first (FIRST_K), an answer is
    FTS5's own top k over every match (ids in order, scores), never a near miss."""
    if connection.vendor != "sqlite":
        return
    import random

    from platu.knowledge.models import Item
    from platu.search import service, topk
    from platu.search.backends import forget_counts, get_backend

    rng = random.Random(15 + int(first_k))
    common = ["บ่อ", "ปลา", "น้ำ"]  # in most rows
    rare = ["มะละกอ", "ตะไคร้", "ทุเรียน", "มังคุด", "กระท้อน", "ลำไย", "เงาะ", "ขนุน"]
    for n in range(40):
        words = [w for w in common if rng.random() < 0.8] + rng.sample(rare, rng.randint(0, 3))
        rng.shuffle(words)
        title = " ".join(words[:2]) or "บ่อ"
        body = " ".join(rng.choice(words or common) for _ in range(rng.randint(1, 12)))
        set_state(make_item(sw.owner, sw.a, title=title, body=f"<p>{body} {n}</p>"), "published")
    pending.flush()
    forget_counts()
    monkeypatch.setattr(topk, "RARE_MIN", 1)
    monkeypatch.setattr(topk, "RARE_SHARE", 0.0)
    monkeypatch.setattr(topk, "FIRST_K", first_k)
    monkeypatch.setattr(topk, "COMMON_BUDGET", budget)
    backend = get_backend()
    table = ITEM_INDEX.table
    visible = service._visible(Item.objects.all(), ITEM_INDEX.order)
    answered = 0
    for _ in range(25):
        text = " ".join(rng.sample(common, rng.randint(1, 2)) + rng.sample(rare, rng.randint(1, 3)))
        parsed = parse(text)
        if not parsed.can_relax():
            continue
        parsed.common = frozenset()
        for count in (1, 3, 6):
            found = topk.best(table, parsed, count, visible, lambda t: backend.exact_documents(table, t))
            every = service._best(table, backend.compile(parsed, any_word=True), count, visible) or []
            if found is None:
                continue
            answered += 1
            assert [pk for pk, _ in found] == [pk for pk, _ in every], text
            assert [s for _, s in found] == pytest.approx([s for _, s in every], rel=1e-9), text
    if budget >= 3.0:
        assert answered > 0


def test_a_pair_of_stopwords_scores_but_never_matches_a_question(sw: SimpleNamespace) -> None:
    """The any-word form's pairs score, its words match: an item holding only นำ ไป (two
    stopwords typed together) is no answer to "มะละกอนำไป ทุเรียน", an item holding มะละกอ is."""
    from platu.search.query import stopwords

    assert {"นำ", "ไป"} <= stopwords()
    only_pair = set_state(make_item(sw.owner, sw.a, title="นำไป", body="<p>นำ ไป</p>"), "published")
    word = set_state(make_item(sw.owner, sw.a, title="มะละกอ", body="<p>สวนมะละกอ</p>"), "published")
    pending.flush()
    results = search_items(sw.member.user, "มะละกอนำไป ทุเรียน", facets=False)
    found = [hit.obj.pk for hit in results.hits]
    assert results.mode == "any"
    assert found == [word.pk]
    assert only_pair.pk not in found
    # Without the stopwords' pair every candidate holds a word: no match to check.
    assert search_items(sw.member.user, "มะละกอ ทุเรียน", facets=False).hits[0].obj.pk == word.pk
