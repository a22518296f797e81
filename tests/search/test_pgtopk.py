"""pgtopk.py: a question's top k on PostgreSQL from each word's best rows and score bounds is the
top k that scoring every match gives (ids, order, scores), visibility and ties included; the
lists (of words and of adjacent pairs) stay right as rows are written and deleted; common
words are counted from ANALYZE's statistics."""

from __future__ import annotations

import math
import random
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection

from platu.knowledge.models import Item
from platu.knowledge.search import ITEM_INDEX, search_items
from platu.search import pending, pgtopk, service
from platu.search.backends import forget_counts, get_backend
from platu.search.query import parse
from tests.search.conftest import make_item, set_state

pytestmark = pytest.mark.skipif("connection.vendor != 'postgresql'")

COMMON = ["บ่อ", "ปลา", "น้ำ"]  # in most rows
RARE = ["มะละกอ", "ตะไคร้", "ทุเรียน", "มังคุด", "กระท้อน", "ลำไย", "เงาะ", "ขนุน"]
STOP = ["ใน", "ของ"]  # stopwords: not words of a question, but in its pairs


def _corpus(sw: SimpleNamespace, rng: random.Random, n: int = 40) -> list[Item]:
    """Random items: most hold the common words, a few the rare ones; some twice (equal
    scores), some private or drafts (the member may not see them)."""
    items = []
    for i in range(n):
        words = [w for w in COMMON if rng.random() < 0.8] + rng.sample(RARE, rng.randint(0, 3))
        rng.shuffle(words)
        title = " ".join(words[:2]) or "บ่อ"
        body = " ".join(rng.choice((words or COMMON) + STOP) for _ in range(rng.randint(1, 12)))
        copies = 2 if rng.random() < 0.2 else 1
        for _ in range(copies):
            visibility = "private" if rng.random() < 0.2 else "organisation"
            item = make_item(sw.owner, sw.a, title=title, body=f"<p>{body} {i}</p>", visibility=visibility)
            if rng.random() < 0.9:
                item = set_state(item, "published")
            items.append(item)
    pending.flush()
    forget_counts()
    return items


def _every(parsed: Any, count: int, visible: Any) -> list[tuple[int, float]]:
    """The top `count` by scoring every match the user may see (ts_rank of each word and each
    pair read from the vectors here, not from the words' lists)."""
    table = ITEM_INDEX.table
    backend = get_backend()
    q = pgtopk.question(parsed, lambda t: backend.documents(table, t), backend.count_rows(table))
    assert q is not None
    ranked = [*q.words, *q.others]
    weights = pgtopk.letter_weights(table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid, "
            + ", ".join(f"ts_rank('{weights}'::float4[], vector, %s::tsquery, 1)" for _ in ranked)
            + "".join(", vector @@ %s::tsquery" for _ in q.pairs)
            + " FROM search_item WHERE vector @@ %s::tsquery",
            [f"'{w}'" for w in ranked]
            + [f"'{a}' <-> '{b}'" for a, b in q.pairs]
            + [backend.compile(parsed, any_word=True, pairs=False)],
        )
        rows = cursor.fetchall()
    score = {}
    for rowid, *values in rows:
        impact = dict(zip(ranked, (float(v) for v in values), strict=False))
        total = sum(q.weight[w] * impact[w] for w in q.words)
        for (a, b), near in zip(q.pairs, values[len(ranked) :], strict=True):
            if near:
                total += max(q.weight[a], q.weight[b]) * min(impact[a], impact[b])
        score[rowid] = total
    shown = visible(list(score))
    position = {pk: n for n, pk in enumerate(shown)}
    return [(pk, score[pk]) for pk in sorted(shown, key=lambda pk: (-score[pk], position[pk]))[:count]]


def _rebuild_lists() -> None:
    """The words' lists built again from the rows (with the patched TRUNCATE)."""
    with connection.cursor() as cursor:
        pgtopk.drop_impacts(cursor, ITEM_INDEX.table.name)
        pgtopk.create_impacts(cursor, ITEM_INDEX.table)


def _check(sw: SimpleNamespace, rng: random.Random, questions: int = 25) -> tuple[int, int]:
    """(answered, not proved) over random questions; every answer must be exact."""
    table = ITEM_INDEX.table
    backend = get_backend()
    visible = service._visible(ITEM_INDEX.visible(sw.member.user, {}), ITEM_INDEX.order)
    answered = refused = paired = 0
    for _ in range(questions):
        words = rng.sample(COMMON, rng.randint(1, 2)) + rng.sample(RARE, rng.randint(1, 3))
        words += rng.sample(STOP, rng.randint(0, 1))
        rng.shuffle(words)
        # Words typed together are pairs too (scored where adjacent in a row).
        text = "".join(w + rng.choice(("", " ")) for w in words)
        parsed = parse(text)
        if not parsed.can_relax():
            continue
        paired += bool(parsed.pairs)
        for count in (1, 3, 6):
            found = backend.topk(table, parsed, count, visible)
            if found is None:
                refused += 1
                continue
            answered += 1
            every = _every(parsed, count, visible)
            assert [pk for pk, _ in found] == [pk for pk, _ in every], text
            assert [s for _, s in found] == pytest.approx([s for _, s in every], rel=1e-9, abs=1e-12), text
    assert paired > 0  # questions with pairs were asked
    return answered, refused


@pytest.mark.parametrize(
    "truncate,full,depth,batch",
    [(1000, 1000, 64, 64), (3, 2, 1, 1), (5, 0, 2, 3), (1, 0, 1, 2), (1000, 0, 1, 1)],
)
def test_the_top_k_is_what_scoring_every_match_gives(
    sw: SimpleNamespace, monkeypatch: pytest.MonkeyPatch, truncate: int, full: int, depth: int, batch: int
) -> None:
    """However short the lists are cut (TRUNCATE), read whole (FULL) or read at first (the
    depth), and however few candidates are scored at a time, an answer is the exact top k of
    every match the member may see (private items and drafts of others left out; equal scores
    in the index's order), and a question the bounds cannot prove is refused (None)."""
    rng = random.Random(truncate * 7 + depth)
    monkeypatch.setattr(pgtopk, "TRUNCATE", truncate)
    monkeypatch.setattr(pgtopk, "FULL", full)
    monkeypatch.setattr(pgtopk, "FIRST_DEPTH", depth)
    monkeypatch.setattr(pgtopk, "BATCH", batch)
    monkeypatch.setattr(pgtopk, "VISIBLE", batch + 1)
    _corpus(sw, rng)
    _rebuild_lists()
    answered, refused = _check(sw, rng)
    assert answered > 0
    if truncate == 1:
        assert refused > 0  # a list of one row cannot prove most questions
    # Rows written after the lists were cut (new, changed, deleted) keep them right.
    more = _corpus(sw, rng, 12)
    for item in more[:4]:
        item.delete()
    for item in more[4:8]:
        item.title = "มะละกอ มะละกอ " + item.title
        item.save()
    pending.flush()
    forget_counts()
    answered, _refused = _check(sw, rng, 15)
    assert answered > 0 or truncate == 1


def test_the_lists_hold_each_row_above_its_terms_floor(
    sw: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A term's list (a word's, or a pair's: the rows where its words are adjacent, the pair's
    impact the lesser of its words') is its best rows and a floor no row left out exceeds; a
    row written later is listed when above the floor; a deleted row leaves the lists."""
    monkeypatch.setattr(pgtopk, "TRUNCATE", 2)
    items = _corpus(sw, random.Random(3), 20)
    _rebuild_lists()
    name = pgtopk.impacts(ITEM_INDEX.table)
    weights = pgtopk.letter_weights(ITEM_INDEX.table)
    words = COMMON + RARE
    pairs = [(a, b) for a in words for b in words]

    def rank(word: str) -> dict[int, float]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, ts_rank('{weights}'::float4[], vector, %s::tsquery, 1) FROM search_item "
                "WHERE vector @@ %s::tsquery",
                [f"'{word}'", f"'{word}'"],
            )
            return {int(r): float(s) for r, s in cursor.fetchall()}

    def adjacent(a: str, b: str) -> set[int]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT rowid FROM search_item WHERE vector @@ %s::tsquery", [f"'{a}' <-> '{b}'"])
            return {int(r) for (r,) in cursor.fetchall()}

    def listed(term: str) -> tuple[dict[int, float], float]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid, impact FROM {name} WHERE term = %s", [term])
            rows = {int(r): float(s) for r, s in cursor.fetchall()}
            cursor.execute(f"SELECT floor FROM {pgtopk.floors(ITEM_INDEX.table)} WHERE term = %s", [term])
            floor = cursor.fetchone()
        return rows, float(floor[0]) if floor else 0.0

    def check() -> int:
        ranks = {word: rank(word) for word in words}
        truths = {word: ranks[word] for word in words}
        for a, b in pairs:
            truths[pgtopk.pair_term(a, b)] = {r: min(ranks[a][r], ranks[b][r]) for r in adjacent(a, b)}
        for term, actual in truths.items():
            rows, floor = listed(term)
            assert all(actual[r] == s for r, s in rows.items()), term  # listed rows: their impact
            assert all(s <= floor for r, s in actual.items() if r not in rows), term
        return sum(1 for a, b in pairs if truths[pgtopk.pair_term(a, b)])

    assert check() > 10  # many pairs are adjacent somewhere
    rows, floor = listed("บ่อ")
    assert len(rows) == 2 and floor > 0
    set_state(make_item(sw.owner, sw.a, title="บ่อ บ่อ บ่อ", body="<p>บ่อ มะละกอ</p>"), "published")
    items[0].delete()
    pending.flush()
    check()
    assert items[0].pk not in listed("บ่อ")[0]
    assert len(listed("บ่อ")[0]) >= 2
    assert listed(pgtopk.pair_term("บ่อ", "บ่อ"))[0]


def test_rows_whose_terms_are_all_listed_are_scored_without_their_vectors(
    sw: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When every list is read whole, whether a pair's words are adjacent in a row is read from
    the pair's list: the top k is found (exact) without reading a vector."""
    monkeypatch.setattr(pgtopk, "TRUNCATE", 1000)
    monkeypatch.setattr(pgtopk, "FULL", 1000)
    monkeypatch.setattr(pgtopk, "FIRST_DEPTH", 1000)
    rng = random.Random(11)
    _corpus(sw, rng)
    _rebuild_lists()
    table = ITEM_INDEX.table
    visible = service._visible(ITEM_INDEX.visible(sw.member.user, {}), ITEM_INDEX.order)
    statements: list[str] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append(sql)
        return execute(sql, params, many, context)

    asked = 0
    for text in ("บ่อปลามะละกอ", "ปลาน้ำทุเรียน ลำไย", "มะละกอบ่อ ปลาขนุน", "ปลาในบ่อ"):
        parsed = parse(text)
        assert pgtopk.question(parsed, lambda t: 1, 100) is not None
        asked += len(pgtopk.question(parsed, lambda t: 1, 100).pairs)  # type: ignore[union-attr]
        with connection.execute_wrapper(record):
            found = get_backend().topk(table, parsed, 5, visible)
        assert found is not None
        assert [pk for pk, _ in found] == [pk for pk, _ in _every(parsed, 5, visible)], text
    assert asked > 0
    assert statements and not [sql for sql in statements if "vector" in sql and "rowid = ANY" in sql]


def test_lists_without_pairs_are_built_again(sw: SimpleNamespace) -> None:
    """Lists made before the pairs were listed (no FORMAT comment) are built again when the
    index tables are created (after a migration); current ones are left as they are."""
    _corpus(sw, random.Random(4), 10)
    table = ITEM_INDEX.table
    name = pgtopk.impacts(table)
    backend = get_backend()

    def pairs() -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {name} WHERE position(' ' IN term) > 0")
            return int(cursor.fetchone()[0])

    with connection.cursor() as cursor:
        assert pgtopk.current(cursor, table)
        listed = pairs()
        assert listed > 0
        cursor.execute(f"DELETE FROM {name} WHERE position(' ' IN term) > 0")
        backend.create(cursor)
        assert pairs() == 0  # current: not rebuilt
        cursor.execute(f"COMMENT ON TABLE {name} IS NULL")
        assert not pgtopk.current(cursor, table)
        backend.create(cursor)
        assert pgtopk.current(cursor, table)
    assert pairs() == listed


def test_search_ranks_an_any_word_question_by_the_lists(sw: SimpleNamespace) -> None:
    """Through the search: a question nobody holds whole is answered from the words' lists, by
    the score above (re-ranked), the member seeing only what they may."""
    rng = random.Random(9)
    _corpus(sw, rng)
    results = search_items(sw.member.user, "มะละกอ ตะไคร้ ทุเรียน บ่อ", facets=False)
    assert results.mode == "any" and results.hits
    table = ITEM_INDEX.table
    visible = service._visible(ITEM_INDEX.visible(sw.member.user, {}), ITEM_INDEX.order)
    parsed = parse("มะละกอ ตะไคร้ ทุเรียน บ่อ")
    found = get_backend().topk(table, parsed, 30, visible)
    assert found is not None
    assert {hit.obj.pk for hit in results.hits} <= {pk for pk, _ in found}
    seen = set(ITEM_INDEX.visible(sw.member.user, {}).values_list("pk", flat=True))
    assert {pk for pk, _ in found} <= seen


def test_common_words_are_counted_from_analyze_and_rare_words_exactly(
    sw: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counting a word in most rows reads most of the table: above ESTIMATE_SHARE of a large
    table, ANALYZE's share of its sample stands in; rarer words are counted."""
    from platu.search import backends

    _corpus(sw, random.Random(5))
    set_state(make_item(sw.owner, sw.a, title="ทับทิม", body="<p>ทับทิม</p>"), "published")
    pending.flush()
    table = ITEM_INDEX.table
    backend = get_backend()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table.name}")
    monkeypatch.setattr(backends, "ESTIMATE_MIN_ROWS", 1)
    backends._shares.clear()
    rows = backend.count_rows(table)
    share = backends.common_shares(table)["บ่อ"]
    assert backend._documents(table, ("บ่อ",)) == min(rows, round(share * rows))
    assert math.isclose(
        backend._documents(table, ("บ่อ",)), backend._exact_documents(table, ("บ่อ",)), rel_tol=0.05
    )
    assert backends.common_shares(table).get("ทับทิม", 0.0) < backends.ESTIMATE_SHARE
    assert backend._documents(table, ("ทับทิม",)) == backend._exact_documents(table, ("ทับทิม",)) == 1
    monkeypatch.setattr(backends, "ESTIMATE_MIN_ROWS", 10**9)  # a small table: every word counted
    assert backend._documents(table, ("บ่อ",)) == backend._exact_documents(table, ("บ่อ",))
    backends._shares.clear()


def test_a_match_is_read_from_the_gin_index_not_by_walking_the_rows(sw: SimpleNamespace) -> None:
    """Counting the matches (up to a LIMIT) reads them from the GIN index: not a walk of the
    index table testing each row's vector (a sequential scan, or an index scan of its row ids),
    nor parallel workers; the settings are back to the defaults after the statement."""
    _corpus(sw, random.Random(6), 60)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_item")
        cursor.execute("ANALYZE knowledge_item")
    backend = get_backend()
    table = ITEM_INDEX.table
    expression = backend.compile(parse("บ่อ มะละกอ"), any_word=True, pairs=False)
    matches = backend.match(ITEM_INDEX.visible(sw.member.user, {}), table, expression, score=False)
    sql, params = matches.order_by().values("pk")[:1001].query.sql_with_params()
    with backend.narrow(Item), connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN SELECT COUNT(*) FROM ({sql}) AS matched", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SHOW enable_indexscan")
        after = cursor.fetchone()[0]
    assert "Bitmap Index Scan on search_item_vector" in plan, plan
    assert "Index Scan using search_item_pkey" not in plan, plan
    assert "Seq Scan on search_item" not in plan and "Gather" not in plan, plan
    assert after == "on"


def test_a_bulk_rebuild_leaves_the_lists_to_a_build_after_it_that_loses_no_row_written_meanwhile(
    sw: SimpleNamespace,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Making the lists is 80 % of a bulk rebuild's time (100k items): the rebuild swaps in
    the index without them, questions rank every match until they are made (after the commit,
    or by `optimize`), and the rows written meanwhile are logged and listed by the build."""
    from django.db import transaction

    from platu.search import indexer
    from platu.search.tasks import rebuild_impacts

    rng = random.Random(21)
    items = _corpus(sw, rng, 20)
    table = ITEM_INDEX.table
    settings.PLATU_SEARCH_BULK_MIN = 2
    settings.PLATU_INDEX_WORKERS = 0
    monkeypatch.setattr(indexer, "BATCH", 4)  # several batches: the bulk path
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        indexer.bulk_indexing(),
        transaction.atomic(),
    ):
        indexer.index_rows(ITEM_INDEX, [item.pk for item in items])
    assert callbacks  # the build is queued for after the commit
    with connection.cursor() as cursor:
        assert not pgtopk.ready(cursor, table)
    parsed = parse("มะละกอ บ่อ ลำไย")
    visible = service._visible(Item.objects.all(), ITEM_INDEX.order)
    assert get_backend().topk(table, parsed, 5, visible) is None  # every match ranked instead
    assert search_items(sw.member.user, "มะละกอ บ่อ ลำไย").hits
    written = set_state(make_item(sw.owner, sw.a, title="ขนุน ขนุน ลำไย", body="<p>ขนุน</p>"), "published")
    items[0].delete()
    pending.flush()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {pgtopk.log(table)}")
        assert {written.pk} <= {int(r) for (r,) in cursor.fetchall()}
    assert rebuild_impacts.call(table.name) is True
    assert rebuild_impacts.call(table.name) is False  # nothing left to make
    with connection.cursor() as cursor:
        assert pgtopk.ready(cursor, table)
        cursor.execute(f"SELECT count(*) FROM {pgtopk.log(table)}")
        assert cursor.fetchone()[0] == 0
        cursor.execute(f"SELECT DISTINCT rowid FROM {pgtopk.impacts(table)} WHERE term = 'ขนุน'")
        assert written.pk in {int(r) for (r,) in cursor.fetchall()}
    forget_counts()
    answered, _refused = _check(sw, rng)
    assert answered > 0


def test_a_one_word_query_is_ranked_from_its_list(sw: SimpleNamespace) -> None:
    """A one-word query's rows by the word's impact, read from its list: the same as scoring
    every row holding it, visibility and ties included; the search page shows them so."""
    rng = random.Random(5)
    _corpus(sw, rng, 30)
    _rebuild_lists()
    table = ITEM_INDEX.table
    backend = get_backend()
    visible = service._visible(Item.objects.visible_to(sw.member.user), ITEM_INDEX.order)
    for word in [*COMMON, "มะละกอ", "ขนุน"]:
        parsed = parse(word)
        for count in (1, 5, 30):
            found = backend.all_words(table, parsed, count, visible)
            assert found is not None, word
            every = _every(parsed, count, visible)
            assert [pk for pk, _ in found] == [pk for pk, _ in every], word
    assert backend.all_words(table, parse("บ่อ ปลา"), 5, visible) is None  # two words: ts_rank
    assert backend.all_words(table, parse('"บ่อ ปลา"'), 5, visible) is None
    page = search_items(sw.member.user, "บ่อ")
    assert [h.obj.pk for h in page.hits][:5] == [pk for pk, _ in _every(parse("บ่อ"), 5, visible)]


def test_lists_dropped_under_a_question_or_missing_at_a_migrate_are_no_error(
    sw: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bulk rebuild committing while a question reads the lists drops them: the question
    ranks every match instead (no error page); a migrate finding no lists makes them."""
    rng = random.Random(8)
    _corpus(sw, rng, 12)
    _rebuild_lists()
    table = ITEM_INDEX.table
    real = pgtopk.read_lists

    def dropped_meanwhile(*args: Any, **kwargs: Any) -> Any:
        with connection.cursor() as cursor:
            pgtopk.drop_impacts(cursor, table.name)
        return real(*args, **kwargs)

    monkeypatch.setattr(pgtopk, "read_lists", dropped_meanwhile)
    parsed = parse("มะละกอ บ่อ ลำไย")
    visible = service._visible(Item.objects.all(), ITEM_INDEX.order)
    assert get_backend().topk(table, parsed, 5, visible) is None
    assert search_items(sw.member.user, "มะละกอ บ่อ ลำไย").hits
    monkeypatch.setattr(pgtopk, "read_lists", real)
    with connection.cursor() as cursor:
        pgtopk.drop_impacts(cursor, table.name)
        assert not pgtopk.ready(cursor, table)
        get_backend().create(cursor)  # what post_migrate runs
        assert pgtopk.ready(cursor, table)
    forget_counts()
    answered, _refused = _check(sw, rng)
    assert answered > 0
