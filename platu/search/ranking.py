"""How many documents hold a word, on SQLite, without reading every list on every query.

The re-ranking of a question's best matches (rerank.py) weighs each word by its idf, which needs
the number of documents that hold it. FTS5 can count them only by reading the word's whole list
of documents (about 20 ns an entry on the 2-core machine of docs/benchmarks.md: 20 ms for a word
in a million items). So a word's count is taken among the newest rows (SAMPLE) and counted in
full only when it is rare there (a short list), then cached for a few minutes. FTS5's row count
is read from its averages record.
"""

from __future__ import annotations

import threading
import time
import unicodedata
from collections.abc import Callable, Sequence

from django.conf import settings
from django.db import connection, transaction

from platu.search.registry import Table

SAMPLE = 20_000  # the newest row ids a word's frequency is estimated from
EXACT_BELOW = 200  # words seen fewer times than this in the sample are counted exactly
CACHE_SECONDS = 300.0

Phrase = tuple[str, ...]

TIE_DIGITS = 9  # scores equal to this many decimals are ties (numpy, FTS5 add in other orders)


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


def averages(table: Table) -> tuple[int, float]:
    """(documents, average tokens a document) from FTS5's "averages" record (row 1 of the %_data
    table: the row count, then each column's tokens; counting the rows would read them all).
    Inside the transaction that wrote the first rows FTS5 has not saved it yet: the rows' sizes
    are added up instead (one varint a column each)."""
    if connection.in_atomic_block:
        # FTS5 writes a transaction's new rows, and its totals, when a savepoint begins: without
        # one the totals read here would be those before this transaction's writes.
        with transaction.atomic():
            pass
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT block FROM {table.name}_data WHERE id = 1")
        row = cursor.fetchone()
    count, tokens = 0, 0
    if row and row[0]:
        data = bytes(row[0])
        count, i = _varint(data, 0)
        for _ in table.columns:
            value, i = _varint(data, i)
            tokens += value
    if count == 0:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT sz FROM {table.name}_docsize")
            for (blob,) in cursor.fetchall():
                data, i = bytes(blob), 0
                count += 1
                while i < len(data):
                    value, i = _varint(data, i)
                    tokens += value
    return count, (tokens / count if count else 0.0)


def rows(table: Table) -> int:
    """How many rows the FTS5 table has (`averages`)."""
    return averages(table)[0]


def stored_words(
    table: Table, rowids: Sequence[int], split: Callable[[str], list[str]] | None = None
) -> dict[int, list[list[str]]]:
    """Each row's segmented text as FTS5 stores it: its tokens (`tokens`), or the pieces
    `split` makes of the lower-cased text, a list for each column."""
    split = split or tokens
    if not rowids:
        return {}
    columns = ", ".join(table.columns)
    marks = ", ".join(["%s"] * len(rowids))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid, {columns} FROM {table.name} WHERE rowid IN ({marks})", list(rowids))
        if split is tokens:
            return {int(r): [tokens(t or "") for t in texts] for r, *texts in cursor.fetchall()}
        return {int(r): [split((t or "").lower()) for t in texts] for r, *texts in cursor.fetchall()}


_pieces: dict[str, list[str]] = {}


def _piece(word: str) -> list[str]:
    """FTS5's tokens of one word of the stored text: runs of letters, digits and marks
    (unicode61 with categories 'L* N* Co M*'), lower-cased; ค.ศ. is two, ( none."""
    out, run = [], []
    for char in word.lower():
        category = unicodedata.category(char)
        if category[0] in "LNM" or category == "Co":
            run.append(char)
        elif run:
            out.append("".join(run))
            run = []
    if run:
        out.append("".join(run))
    return out


def tokens(text: str) -> list[str]:
    """The stored (segmented) text's tokens as FTS5 counts them: its words, split further where
    FTS5 separates (punctuation), so that lengths and counts are FTS5's own."""
    out: list[str] = []
    for word in text.split():
        pieces = _pieces.get(word)
        if pieces is None:
            if len(_pieces) > 200_000:
                _pieces.clear()
            pieces = _pieces[word] = _piece(word)
        out.extend(pieces)
    return out


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


def common_words(table: Table, words: Sequence[str]) -> frozenset[str]:
    """The words held by more than half of the documents, in a collection of at least
    PLATU_SEARCH_COMMON_MIN: bm25 gives them an idf of 1e-6 (log((N - n + 0.5) / (n + 0.5)) is
    not positive there), so they add nothing to a score, yet matching any of them makes nearly
    every document a match to score. Works on both backends (their own document counts)."""
    from platu.search.backends import get_backend

    backend = get_backend()
    total = backend.count_rows(table)
    if total < int(getattr(settings, "PLATU_SEARCH_COMMON_MIN", 10_000)) or not words:
        return frozenset()
    return frozenset(w for w in words if backend.documents(table, (w,)) > total / 2)
