"""The words' arrays (impacts.py): a question's best matches scored from them are FTS5's own
ranking of every match (ids in order, scores), before and after rows change, for what the user
may see; the search page answers the same with them as without."""

from __future__ import annotations

import random
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection

from platu.knowledge.models import Item
from platu.knowledge.search import ITEM_INDEX, search_items
from platu.search import impacts, pending, service, topk
from platu.search.backends import forget_counts, get_backend
from platu.search.query import parse
from platu.search.ranking import TIE_DIGITS
from tests.search.conftest import make_item, set_state

COMMON = ["บ่อ", "ปลา", "น้ำ"]
RARE = ["มะละกอ", "ตะไคร้", "ทุเรียน", "มังคุด", "กระท้อน", "ลำไย", "เงาะ", "Korolev"]


def _every(parsed: Any, count: int, visible: Any, expression: str = "") -> list[tuple[int, float]]:
    """FTS5's bm25 of every match, ties in the visibility query's order: the reference."""
    table = ITEM_INDEX.table
    weights = ", ".join(str(w) for w in table.weights)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, -bm25({table.name}, {weights}) FROM {table.name} WHERE {table.name} MATCH %s",
            [expression or topk._expression(topk.terms_of(parsed) or [])],
        )
        score = {int(r): round(float(s), TIE_DIGITS) for r, s in cursor.fetchall()}
    position = {pk: n for n, pk in enumerate(visible(list(score)))}
    ranked = sorted(position, key=lambda pk: (-score[pk], position[pk]))[:count]
    return [(pk, score[pk]) for pk in ranked]


def _corpus(sw: SimpleNamespace, rng: random.Random, n: int) -> list[Item]:
    items = []
    for k in range(n):
        words = [w for w in COMMON if rng.random() < 0.8] + rng.sample(RARE, rng.randint(0, 3))
        rng.shuffle(words)
        title = " ".join(words[:2]) or "บ่อ"
        # Some bodies are long: a column of 128 words or more has a two-byte size in FTS5.
        length = rng.choice([rng.randint(1, 12), rng.randint(130, 300)])
        body = " ".join(rng.choice(words or COMMON) for _ in range(length))
        item = make_item(sw.owner, sw.a, title=title, body=f"<p>{body} ค.ศ. 2556–2557 {k}</p>")
        items.append(set_state(item, "published"))
    pending.flush()
    forget_counts()
    return items


def _questions(rng: random.Random, n: int) -> list[str]:
    out = []
    for _ in range(n):
        words = rng.sample(COMMON, rng.randint(1, 2)) + rng.sample(RARE, rng.randint(1, 3))
        if rng.random() < 0.2:
            words.append("ค.ศ. 2556–2557")  # not one FTS5 token: scored as a phrase
        out.append(" ".join(words))
    return out


def _check(rng: random.Random, visible: Any) -> int:
    table = ITEM_INDEX.table
    backend = get_backend()
    answered = 0
    for text in _questions(rng, 20):
        parsed = parse(text)
        if not parsed.can_relax():
            continue
        parsed.common = frozenset()
        for count in (1, 3, 6, 50):
            found = impacts.best(table, parsed, count, visible, lambda t: backend.exact_documents(table, t))
            assert found is not None, text
            expected = _every(parsed, count, visible)
            assert [pk for pk, _ in found] == [pk for pk, _ in expected], (text, count)
            assert [s for _, s in found] == pytest.approx([s for _, s in expected], rel=1e-9), text
            answered += 1
    return answered


def _check_all_words(rng: random.Random, visible: Any) -> int:
    """The all-words form from the arrays (impacts.best_all) against FTS5's ranking of
    `"a" AND "b"`: one common word (most rows tie-break), two or three words."""
    table = ITEM_INDEX.table
    backend = get_backend()
    answered = 0
    texts = ["บ่อ", "Korolev", "ไม่มีคำนี้"]
    texts += [" ".join(rng.sample(COMMON + RARE, rng.randint(1, 3))) for _ in range(15)]
    for text in texts:
        parsed = parse(text)
        expression = backend.compile(parsed)
        for count in (1, 3, 6, 50):
            found = impacts.best_all(
                table, parsed, count, visible, lambda t: backend.exact_documents(table, t)
            )
            assert found is not None, text
            expected = _every(parsed, count, visible, expression)
            assert [pk for pk, _ in found] == [pk for pk, _ in expected], (text, count)
            assert [s for _, s in found] == pytest.approx([s for _, s in expected], rel=1e-9), text
            answered += bool(found)
    return answered


@pytest.fixture
def based(sw: SimpleNamespace, settings: Any) -> SimpleNamespace:
    settings.PLATU_SEARCH_IMPACT_MIN = 1
    sw.rng = random.Random(15)
    sw.items = _corpus(sw, sw.rng, 45)
    assert impacts.build(ITEM_INDEX.table)
    return sw


def test_the_arrays_rank_every_match_as_fts5_does(based: SimpleNamespace) -> None:
    visible = service._visible(Item.objects.all(), ITEM_INDEX.order)
    assert _check(based.rng, visible) > 40
    assert _check_all_words(based.rng, visible) > 40


def test_the_all_words_form_takes_fts5_for_more_than_words(based: SimpleNamespace) -> None:
    """Phrases and exclusions are FTS5's to match; the search page still finds them."""
    table = ITEM_INDEX.table
    visible = service._visible(Item.objects.all(), ITEM_INDEX.order)
    for text in ['"บ่อ ปลา"', "บ่อ -ปลา"]:
        assert impacts.best_all(table, parse(text), 5, visible, lambda t: 1) is None, text
        assert search_items(based.owner.user, text).hits, text


def test_a_full_cache_of_arrays_lets_the_least_recent_words_go_without_losing_one(
    based: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(impacts, "CACHE_POSTINGS", 60)  # full after a word or two
    visible = service._visible(Item.objects.all(), ITEM_INDEX.order)
    assert _check(based.rng, visible) > 40
    assert _check_all_words(based.rng, visible) > 40
    table = ITEM_INDEX.table
    with connection.cursor() as cursor:
        base = impacts._base(cursor, table)
        assert base is not None
        impacts._postings(cursor, table, base, ["บ่อ"])
        impacts._postings(cursor, table, base, ["มะละกอ", "ลำไย"])
    # The words asked last stay; the cache holds no more than its size (or the last words).
    assert list(base.postings)[-2:] == ["มะละกอ", "ลำไย"]
    assert base.size == sum(len(rows) for rows, _weights in base.postings.values())
    assert base.size <= 60 or list(base.postings) == ["มะละกอ", "ลำไย"]


def test_rows_written_after_the_base_are_scored_from_their_text_until_the_next_base(
    based: SimpleNamespace,
) -> None:
    table = ITEM_INDEX.table
    first, second, gone = based.items[:3]
    first.title, first.body = "มะละกอ มะละกอ ลำไย", "<p>มะละกอ ตะไคร้ บ่อ</p>"
    first.save()
    second.body = "<p>" + " ".join(["ทุเรียน"] * 200) + "</p>"
    second.save()
    gone_pk = gone.pk
    gone.delete()
    _corpus(based, based.rng, 4)  # new rows, above the base's highest row id
    with connection.cursor() as cursor:
        logged = impacts._logged(cursor, table)
    assert {first.pk, second.pk, gone_pk} <= set(logged)
    visible = service._visible(Item.objects.all(), ITEM_INDEX.order)
    assert _check(based.rng, visible) > 40
    assert _check_all_words(based.rng, visible) > 40
    with connection.cursor() as cursor:
        before = impacts._base(cursor, table)
    assert impacts.build(table)
    with connection.cursor() as cursor:
        assert impacts._logged(cursor, table) == []
        after = impacts._base(cursor, table)
    assert before is not None and after is not None and after.generation != before.generation
    assert _check(based.rng, visible) > 40


def test_only_what_the_user_may_see_is_ranked(based: SimpleNamespace) -> None:
    hidden = {item.pk for item in based.items[::3]}
    visible = service._visible(Item.objects.exclude(pk__in=hidden), ITEM_INDEX.order)
    _check(based.rng, visible)
    _check_all_words(based.rng, visible)
    for text in ["บ่อ", "ปลา น้ำ"]:
        found = impacts.best_all(ITEM_INDEX.table, parse(text), 50, visible, lambda t: 1)
        assert found and not {pk for pk, _ in found} & hidden
    parsed = parse("มะละกอ บ่อ ลำไย")
    parsed.common = frozenset()
    table = ITEM_INDEX.table
    found = impacts.best(table, parsed, 50, visible, lambda t: get_backend().exact_documents(table, t))
    assert found and not {pk for pk, _ in found} & hidden


def test_the_search_page_answers_the_same_with_the_arrays_as_without(based: SimpleNamespace) -> None:
    with connection.cursor() as cursor:
        impacts.clear(cursor, ITEM_INDEX.table)
    questions = ["มะละกอ บ่อ ลำไย ตะไคร้", "ปลา Korolev เงาะ", "น้ำ ทุเรียน มังคุด กระท้อน", "บ่อ", "ปลา น้ำ"]
    without = [[(h.obj.pk, h.score) for h in search_items(based.owner.user, q).hits] for q in questions]
    assert all(without)
    assert impacts.build(ITEM_INDEX.table)
    used: list[Any] = []
    real, real_all = impacts.best, impacts.best_all

    def spy(*args: Any, **kwargs: Any) -> Any:
        used.append(found := real(*args, **kwargs))
        return found

    def spy_all(*args: Any, **kwargs: Any) -> Any:
        used.append(found := real_all(*args, **kwargs))
        return found

    impacts.best, impacts.best_all = spy, spy_all  # type: ignore[assignment]
    try:
        with_arrays = [
            [(h.obj.pk, h.score) for h in search_items(based.owner.user, q).hits] for q in questions
        ]
    finally:
        impacts.best, impacts.best_all = real, real_all  # type: ignore[assignment]
    for ours, theirs in zip(with_arrays, without, strict=True):
        assert [pk for pk, _ in ours] == [pk for pk, _ in theirs]
        assert [s for _, s in ours] == pytest.approx([s for _, s in theirs], rel=1e-9, abs=1e-8)
    assert len(used) >= len(questions) and all(found is not None for found in used)


def test_a_small_index_has_no_arrays_and_many_changes_queue_a_new_base(
    based: SimpleNamespace,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    table = ITEM_INDEX.table
    monkeypatch.setattr(impacts, "REBUILD_AFTER", 3)
    with connection.cursor() as cursor:
        before = impacts._base(cursor, table)
    with django_capture_on_commit_callbacks(execute=True):
        for item in based.items[:4]:
            item.body = "<p>เงาะ ลำไย</p>"
            item.save()
            pending.flush()
    # The third change queued a new base (built here at "commit"): it holds all four.
    with connection.cursor() as cursor:
        assert impacts._logged(cursor, table) == []
        after = impacts._base(cursor, table)
    assert before is not None and after is not None and after.generation != before.generation
    settings.PLATU_SEARCH_IMPACT_MIN = 10_000
    assert not impacts.build(table)
    parsed = parse("มะละกอ บ่อ")
    assert impacts.best(table, parsed, 5, lambda ids: ids, lambda t: 1) is None


def test_which_words_a_row_holds_comes_from_the_arrays_as_from_the_text(based: SimpleNamespace) -> None:
    """The re-ranking asks which of a question's words each best row holds."""
    from platu.search import ranking

    table = ITEM_INDEX.table
    rows = [item.pk for item in based.items[:20]]
    words = [*COMMON, *RARE]
    found = impacts.holding(table, rows, words)
    assert found is not None
    wanted = {w.lower(): w for w in words}
    expected = {
        rowid: {wanted[t] for column in columns for t in column if t in wanted}
        for rowid, columns in ranking.stored_words(table, rows).items()
    }
    assert found == expected
    assert any(found.values())
    based.items[0].title = "ลำไย กระท้อน"
    based.items[0].save()  # changed since the base: the text must tell
    pending.flush()
    assert impacts.holding(table, rows, words) is None
    assert impacts.holding(table, rows, ["ค.ศ."]) is None  # two FTS5 tokens


def test_with_too_many_rows_changed_since_the_base_questions_go_the_other_way(
    based: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = ITEM_INDEX.table
    monkeypatch.setattr(impacts, "LOG_MAX", 1)
    parsed = parse("มะละกอ บ่อ ลำไย")
    visible = service._visible(Item.objects.all(), ITEM_INDEX.order)
    documents = lambda t: get_backend().exact_documents(table, t)  # noqa: E731
    based.items[0].title = "ลำไย"
    based.items[0].save()
    pending.flush()
    assert impacts.best(table, parsed, 5, visible, documents) is not None  # one row logged
    based.items[1].title = "มะละกอ"
    based.items[1].save()
    pending.flush()
    assert impacts.best(table, parsed, 5, visible, documents) is None
    assert impacts.holding(table, [based.items[5].pk], ["บ่อ"]) is None
    # The search page still answers, from FTS5.
    assert search_items(based.owner.user, "มะละกอ บ่อ ลำไย").hits
