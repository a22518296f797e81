"""Writing many rows at once: on PostgreSQL a bulk write at least as large as the index loads a
new table and swaps it in (PLATU_SEARCH_BULK_MIN); on both databases the index then answers as
before, keeps the rows the bulk did not rewrite, and its tsvectors are the literals the
indexer built (PostgreSQL)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection, transaction

from platu.knowledge.models import Item
from platu.knowledge.search import ITEM_INDEX, search_items
from platu.search import indexer
from platu.search.backends import get_backend
from platu.search.segment import get_segmenter, segment_row, tsvector
from tests.search.conftest import ids, make_item, set_state


def _oid() -> int:
    """PostgreSQL: the index table's identity (a swap gives a new one)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'search_item'::regclass::oid")
        return int(cursor.fetchone()[0])


def _indexes() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'search_item'")
        return {row[0] for row in cursor.fetchall()}


@pytest.fixture
def ponds(sw: SimpleNamespace, monkeypatch: pytest.MonkeyPatch, settings: Any) -> SimpleNamespace:
    for n in range(6):
        set_state(make_item(sw.owner, sw.a, title=f"บ่อที่ {n} เลี้ยงปลานิล", body="<p>น้ำในบ่อ</p>"), "published")
    monkeypatch.setattr(indexer, "BATCH", 2)  # several batches: the bulk path
    settings.PLATU_SEARCH_BULK_MIN = 2
    settings.PLATU_INDEX_WORKERS = 0
    return sw


def _answers(w: SimpleNamespace) -> dict[str, set[int]]:
    return {
        q: ids(search_items(w.member.user, q))
        for q in ("ปลานิล", "สมุนไพร", "โรงเรียน", '"เลี้ยงปลานิล"', "บ่อ -ปลานิล", "google")
    }


def test_a_bulk_rebuild_swaps_in_a_complete_index(ponds: SimpleNamespace) -> None:
    before = _answers(ponds)
    assert len(before["ปลานิล"]) == 6 and before["สมุนไพร"] == {ponds.herbs.pk}
    if connection.vendor == "postgresql":
        expected = {"search_item_pkey", "search_item_vector", "search_item_raw"}
        assert _indexes() == expected
        table = _oid()
    result = indexer.reindex_all()
    assert result["items"] == Item.objects.count()
    assert _answers(ponds) == before
    assert get_backend().ids(ITEM_INDEX.table) == set(Item.objects.values_list("pk", flat=True))
    if connection.vendor == "postgresql":
        assert _oid() != table  # a new table was loaded and swapped in
        assert _indexes() == expected  # its indexes, under the same names
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('search_item_new')")
            assert cursor.fetchone()[0] is None


def test_a_bulk_of_part_of_the_items_keeps_the_others(ponds: SimpleNamespace) -> None:
    everyone = set(Item.objects.values_list("pk", flat=True))
    fish = sorted(ids(search_items(ponds.member.user, "ปลานิล")))
    # Rename five of the ten items' ponds in the database only (no signal), then index just
    # those five: half the table, so PostgreSQL loads a new table, which must take the other
    # five rows over.
    assert len(everyone) == 10
    renamed = fish[:5]
    Item.objects.filter(pk__in=renamed).update(title="บ่อเลี้ยงกุ้งก้ามกราม", body_text="กุ้ง")
    table = _oid() if connection.vendor == "postgresql" else 0
    with transaction.atomic():
        assert indexer.index_rows(ITEM_INDEX, renamed + renamed) == 5  # duplicates are written once
    if connection.vendor == "postgresql":
        assert _oid() != table
    assert get_backend().ids(ITEM_INDEX.table) == everyone
    assert ids(search_items(ponds.member.user, "ก้ามกราม")) == set(renamed)
    assert ids(search_items(ponds.member.user, "ปลานิล")) == set(fish[5:])
    assert ids(search_items(ponds.member.user, "สมุนไพร")) == {ponds.herbs.pk}


def test_the_tsvector_literal_is_what_postgresql_would_build(sw: SimpleNamespace) -> None:
    """Weights by column, positions running on across columns, a word's repeats together."""
    texts = ["บ่อ ปลา", "ปลา นิล", "", "บ่อ"]
    assert tsvector(texts, "ABCD") == "'บ่อ':1A,5D 'ปลา':2A,3B 'นิล':4B"
    if connection.vendor != "postgresql":
        return
    row = segment_row(get_segmenter(), (1, ["บ่อปลานิลของโรงเรียน", "ปลา", "", ""], None), "ABCDD")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::tsvector = (setweight(to_tsvector('simple', %s), 'A') || "
            "setweight(to_tsvector('simple', %s), 'B') || setweight(to_tsvector('simple', %s), 'C') || "
            "setweight(to_tsvector('simple', %s), 'D') || setweight(to_tsvector('simple', %s), 'D'))",
            [row[3], *row[1]],
        )
        assert cursor.fetchone()[0] is True
