"""Ranking broad queries on SQLite without reading the lists of the most common words.

FTS5's `bm25()` learns how many documents hold each phrase of the query by reading the phrase's
whole list of documents, on every query: about 20 ns an entry on the 2-core machine of
docs/benchmarks.md, so 20 ms for a word in a million items; a query of three such words spends
60 ms there before ranking anything. Yet a word in more than half of the documents adds nothing
to the score: bm25 gives it an idf of 1e-6 (idf = log((N - n + 0.5) / (n + 0.5)) is not
positive there). So when a query has such a word (and the collection is large enough for its list
to cost: more than PLATU_SEARCH_COMMON_MIN documents), the search

1. matches all the words without scoring: the newest matches come first, in a few ms;
2. scores those rows with bm25 over the query without its common words, limited to the rows'
   range of ids, so FTS5 reads only the other words' lists.

The scores differ from bm25 over every word by the common words' share, at most 2.2e-6 a word,
so the order is the same but for near ties. Which words are common is counted among the newest rows
(SAMPLE) and cached for a few minutes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

from django.conf import settings
from django.db import connection

from platu.search.backends import Table
from platu.search.query import Parsed, Unit

SAMPLE = 20_000  # the newest row ids a word's frequency is estimated from
EXACT_BELOW = 200  # words seen fewer times than this in the sample are counted exactly
CACHE_SECONDS = 300.0

Phrase = tuple[str, ...]


def _varint(data: bytes, i: int) -> tuple[int, int]:
    """SQLite's variable-length integer at data[i]: (value, next index)."""
    value = 0
    for n in range(9):
        byte = data[i + n]
        if n == 8:
            return (value << 8) | byte, i + 9
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, i + n + 1
    raise ValueError("bad varint")  # pragma: no cover - the loop always returns


def rows(table: Table) -> int:
    """How many rows FTS5 says the table has (the first number of its "averages" record, row 1
    of the %_data table; counting the rows would read them all)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT block FROM {table.name}_data WHERE id = 1")
        row = cursor.fetchone()
    return _varint(bytes(row[0]), 0)[0] if row and row[0] else 0


def _quoted(phrase: Phrase) -> str:
    return '"' + " ".join(phrase) + '"'


_cache: dict[tuple[str, Phrase], tuple[float, int]] = {}
_cache_lock = threading.Lock()


def _id_range(table: Table) -> tuple[int, int] | None:
    """The lowest and highest row id (two subqueries: SQLite reads min() or max() from the
    index only when it is alone)."""
    content = f"{table.name}_content"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT min(id) FROM {content}), (SELECT max(id) FROM {content})")
        low, high = cursor.fetchone()
    return None if low is None else (int(low), int(high))


def documents(table: Table, phrase: Phrase, total: int, ids: tuple[int, int] | None = None) -> int:
    """How many rows hold `phrase`: counted among the SAMPLE newest row ids, and counted in
    full when that finds it rarely (reading a short list is cheap); cached. `ids`: the table's
    row id range, when the caller has read it already."""
    key = (table.name, phrase)
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get(key)
        if hit and now - hit[0] < CACHE_SECONDS:
            return hit[1]
    ids = ids or _id_range(table)
    if ids is None:
        return 0
    low, high = ids
    span = high - low + 1
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {table.name} WHERE {table.name} MATCH %s AND rowid > %s",
            [_quoted(phrase), high - SAMPLE],
        )
        seen = int(cursor.fetchone()[0])
        if span <= SAMPLE:
            count = seen
        elif seen < EXACT_BELOW:
            cursor.execute(
                f"SELECT count(*) FROM {table.name} WHERE {table.name} MATCH %s", [_quoted(phrase)]
            )
            count = int(cursor.fetchone()[0])
        else:  # the rows spread evenly over the row ids
            count = min(total, round(seen * span / SAMPLE))
    with _cache_lock:
        if len(_cache) > 50_000:
            _cache.clear()
        _cache[key] = (now, count)
    return count


def common_units(table: Table, parsed: Parsed) -> tuple[list[Unit], list[Unit]]:
    """(the units worth scoring, the common ones), by their (main) phrase's document count."""
    if len(parsed.units) < 2:  # nothing to leave out: no query on one-word searches
        return list(parsed.units), []
    total = rows(table)
    floor = int(getattr(settings, "PLATU_SEARCH_COMMON_MIN", 100_000))
    ids = _id_range(table) if total > floor else None
    if ids is None:
        return list(parsed.units), []
    counts = [documents(table, unit.words, total, ids) for unit in parsed.units]
    common = [u for u, n in zip(parsed.units, counts, strict=True) if n > total / 2 and n > floor]
    if not common:
        return list(parsed.units), []
    kept = [u for u in parsed.units if u not in common]
    if not kept:  # every word is common: their scores are all alike, keep the rarest one's
        rarest = counts.index(min(counts))
        kept = [parsed.units[rarest]]
        common = [u for u in common if u is not kept[0]]
    return kept, common


def scores(table: Table, parsed: Parsed, kept: list[Unit], rowids: Sequence[int]) -> dict[int, float]:
    """bm25 (negated: higher is better, with the table's column weights) of each of `rowids`
    for the query's `kept` units."""
    if not rowids:
        return {}
    expression = Parsed(parsed.text, units=kept).fts5()
    weights = ", ".join(str(w) for w in table.weights)
    wanted = set(rowids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, -bm25({table.name}, {weights}) FROM {table.name} "
            f"WHERE {table.name} MATCH %s AND rowid BETWEEN %s AND %s",
            [expression, min(wanted), max(wanted)],
        )
        return {rowid: score for rowid, score in cursor.fetchall() if rowid in wanted}
