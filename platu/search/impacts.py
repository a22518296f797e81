"""A question's best matches from per-word arrays of occurrences (SQLite, large collections).

FTS5 ranks the rows a question matches by calling bm25 once a row, about 3.5 µs a row on the
2-core machine of docs/benchmarks.md (the row's sizes, its phrases' instances). A natural
question's words are in thousands of rows each (ไทย, ประเทศ, ชื่อ in 5 % of 100k items), so the
95th-percentile question of the relevance benchmark matches 30,000 rows: 100 ms of ranking.
Score bounds (topk.py) cannot skip them: such a word adds up to 6 to a score when the 30th best
score is 12.

bm25 is a sum over the question's phrases of idf x a saturated frequency, and a word's share in
a row needs only its column-weighted count there and the row's length. So, like a search
engine's postings, each word's rows and weighted counts are kept as two arrays (`<table>_impact`,
built from FTS5's own occurrence list, `fts5vocab` 'instance'), and the rows' lengths as one
(`<table>_impact_base`, FTS5's own sizes). A question's word shares are then added up with
numpy, ~10 ns a (word, row): the whole collection is scored in milliseconds, with FTS5's
formula, weights, counts and lengths, so the scores are FTS5's (tests compare, to 1e-9).
Pairs of words typed together (phrases, whose positions matter) are scored by FTS5 on the few
rows holding one; bm25 being a sum over phrases, the parts add up to FTS5's score.

A short query's all-words form (`best_all`) is served the same way: a one-word query of a KM
word (คณะกรรมการ, in 81 % of the search bench's 100k items) had FTS5 call bm25 on 80,000 rows
(150-250 ms); here the rows holding every word are the shortest word's list kept where each
other list holds the row, and their shares are added up as above.

The arrays are a snapshot (a "base", numbered by its generation, cached per process). Rows
written or deleted after it are logged (`<table>_impact_log`): a question ignores their old
arrays and scores those of them it matches from their stored text (topk's exact bm25). The base
is rebuilt after a rebuild of the index (`optimize`) and in the background once REBUILD_AFTER
rows are logged; with more than LOG_MAX logged, or below PLATU_SEARCH_IMPACT_MIN rows (where
FTS5 is fast enough), questions take topk.py's path instead. Nothing is dropped: every match is
scored, and ties at the k-th score come in the visibility query's order.
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np
from django.conf import settings
from django.db import connection, transaction

from platu.search.query import Parsed
from platu.search.ranking import TIE_DIGITS, averages, stored_words
from platu.search.registry import Table
from platu.search.topk import K1, MAX_COUNT, B, Stats, Term, common_part, terms_of

REBUILD_AFTER = 2000  # rows logged since the base when a rebuild is queued
LOG_MAX = 8000  # beyond this many logged rows, questions do not use the base
TIES_MAX = 5000  # rows tied at the k-th score that are ordered by the visibility query at most
CACHE_POSTINGS = 8_000_000  # (word, row) pairs kept in memory per process (~96 MB)


def _impact(table: Table) -> str:
    return f"{table.name}_impact"


def _base_table(table: Table) -> str:
    return f"{table.name}_impact_base"


def _log(table: Table) -> str:
    return f"{table.name}_impact_log"


def minimum_rows() -> int:
    return int(getattr(settings, "PLATU_SEARCH_IMPACT_MIN", 20_000))


# -- schema and writing ------------------------------------------------------------------------
def create(cursor: Any, table: Table) -> None:
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {_impact(table)} "
        "(term TEXT PRIMARY KEY, docs BLOB NOT NULL, weights BLOB NOT NULL)"
    )
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {_base_table(table)} (id INTEGER PRIMARY KEY CHECK (id = 1), "
        "generation INTEGER NOT NULL, top INTEGER NOT NULL, lengths BLOB NOT NULL)"
    )
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {_log(table)} "
        "(seq INTEGER PRIMARY KEY AUTOINCREMENT, doc INTEGER NOT NULL)"
    )


def drop(cursor: Any, table: Table) -> None:
    for name in (_impact(table), _base_table(table), _log(table)):
        cursor.execute(f"DROP TABLE IF EXISTS {name}")


def clear(cursor: Any, table: Table) -> None:
    """Forget the base (the index is emptied; a rebuild makes a new one)."""
    for name in (_impact(table), _base_table(table), _log(table)):
        cursor.execute(f"DELETE FROM {name}")


def changed(cursor: Any, table: Table, rowids: Sequence[int]) -> None:
    """Log rows written or deleted since the base (nothing to log without one); queue a
    rebuild when the log reaches REBUILD_AFTER rows."""
    if not rowids:
        return
    cursor.execute(f"SELECT count(*) FROM {_base_table(table)}")
    if not cursor.fetchone()[0]:
        return
    before = _count(cursor, table, REBUILD_AFTER)  # a bulk import logs ~10^6 rows: count to the bar
    cursor.executemany(f"INSERT INTO {_log(table)} (doc) VALUES (%s)", [(int(r),) for r in rowids])
    if before < REBUILD_AFTER <= before + len(rowids):
        from platu.search.tasks import rebuild_impacts

        name = table.name
        transaction.on_commit(lambda: rebuild_impacts.enqueue(name))


def _lengths(data: bytes) -> int:
    """The sum of the SQLite varints in `data` (a row's column sizes in FTS5's %_docsize)."""
    total = value = 0
    for byte in data:
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            total += value
            value = 0
    return total


def build(table: Table) -> bool:
    """A new base from the index as it is; False (and no base) below PLATU_SEARCH_IMPACT_MIN
    rows. Inside a transaction (a rebuild of the index) it is part of it. Otherwise (the
    background task) the occurrences are read on a read-only connection of their own and
    written in short transactions into a new table swapped in at the end, so that writers
    wait seconds, not the minutes a million items take: rows written meanwhile are logged
    after the log position read first, so the new base never hides a change."""
    rows, _avgdl = averages(table)
    with transaction.atomic(), connection.cursor() as cursor:
        create(cursor, table)
        if rows < minimum_rows():
            clear(cursor, table)
            return False
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(seq), 0) FROM {_log(table)}")
        seen = int(cursor.fetchone()[0])
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table.name}_docsize")
        top = int(cursor.fetchone()[0])
        lengths = np.zeros(top + 1, dtype=np.int32)
        cursor.execute(f"SELECT id, sz FROM {table.name}_docsize WHERE id <= %s", [top])
        for rowid, size in cursor.fetchall():
            lengths[rowid] = _lengths(bytes(size))
    stage = f"{_impact(table)}_new"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {stage}")
        cursor.execute(
            f"CREATE TABLE {stage} (term TEXT PRIMARY KEY, docs BLOB NOT NULL, weights BLOB NOT NULL)"
        )
    weight = dict(zip(table.columns, table.weights, strict=False))
    path = str(connection.settings_dict["NAME"])
    if connection.in_atomic_block or not Path(path).is_file():
        with connection.cursor() as reading:
            vocabulary = _vocabulary(reading, table)
            reading.execute(f"SELECT term, doc, col FROM {vocabulary}")
            _write(stage, _arrays(reading, weight, top))
    else:
        separate = sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True)
        try:
            raw = separate.cursor()
            name = f"{table.name}_occurrences"
            raw.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{name} USING fts5vocab(main, {table.name}, 'instance')"
            )
            raw.execute(f"SELECT term, doc, col FROM temp.{name}")
            _write(stage, _arrays(raw, weight, top))
        finally:
            separate.close()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_impact(table)}")
        cursor.execute(f"ALTER TABLE {stage} RENAME TO {_impact(table)}")
        generation = secrets.randbits(62)  # a process's cached arrays are of this base alone
        cursor.execute(
            f"INSERT OR REPLACE INTO {_base_table(table)} (id, generation, top, lengths) VALUES (1, %s, %s, %s)",
            [generation, top, lengths.tobytes()],
        )
        cursor.execute(f"DELETE FROM {_log(table)} WHERE seq <= %s", [seen])
    return True


def _arrays(reading: Any, weight: dict[str, float], top: int) -> Iterator[list[tuple[str, bytes, bytes]]]:
    """Batches of (word, its rows, their weighted counts) from the occurrences (term, doc,
    column) in FTS5's order, streamed (a million items hold ~10^8); rows above `top` (written
    after the lengths were read) are left to the log."""
    batch: list[tuple[str, bytes, bytes]] = []
    term: str | None = None
    docs: list[int] = []
    weights: list[float] = []
    while chunk := reading.fetchmany(50_000):
        for word, doc, column in chunk:
            if doc > top:
                continue
            if word != term:
                if term is not None and docs:
                    batch.append(_packed(term, docs, weights))
                term, docs, weights = word, [], []
            if docs and docs[-1] == doc:
                weights[-1] += weight.get(column, 0.0)
            else:
                docs.append(doc)
                weights.append(weight.get(column, 0.0))
        if len(batch) >= 2000:
            yield batch
            batch = []
    if term is not None and docs:
        batch.append(_packed(term, docs, weights))
    yield batch


def _write(stage: str, batches: Iterator[list[tuple[str, bytes, bytes]]]) -> None:
    for batch in batches:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {stage} (term, docs, weights) VALUES (%s, %s, %s)", batch)


def _packed(term: str, docs: list[int], weights: list[float]) -> tuple[str, bytes, bytes]:
    return term, np.asarray(docs, dtype=np.int32).tobytes(), np.asarray(weights, dtype=np.float32).tobytes()


def _vocabulary(cursor: Any, table: Table) -> str:
    """This connection's fts5vocab view of the table's occurrences (a temporary table)."""
    name = f"{table.name}_occurrences"
    cursor.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{name} USING fts5vocab(main, {table.name}, 'instance')"
    )
    return f"temp.{name}"


# -- reading -----------------------------------------------------------------------------------
@dataclass
class Base:
    generation: int
    top: int
    lengths: Any  # numpy float64 array, by row id
    # word: (rows, weights), the least recently used first
    postings: OrderedDict[str, tuple[Any, Any]] = field(default_factory=OrderedDict)
    size: int = 0
    norms: tuple[float, Any] | None = None  # (average length, every row's normalisation)
    lock: threading.Lock = field(default_factory=threading.Lock)


_bases: dict[tuple[str, str], Base] = {}
_bases_lock = threading.Lock()


def _base(cursor: Any, table: Table) -> Base | None:
    cursor.execute(f"SELECT generation, top FROM {_base_table(table)} WHERE id = 1")
    row = cursor.fetchone()
    if row is None:
        return None
    key = (str(connection.settings_dict["NAME"]), table.name)
    with _bases_lock:
        base = _bases.get(key)
    if base is None or base.generation != row[0]:
        cursor.execute(f"SELECT lengths FROM {_base_table(table)} WHERE id = 1")
        lengths = np.frombuffer(bytes(cursor.fetchone()[0]), dtype=np.int32).astype(np.float64)
        base = Base(int(row[0]), int(row[1]), lengths)
        with _bases_lock:
            _bases[key] = base
    return base


def _postings(cursor: Any, table: Table, base: Base, words: Sequence[str]) -> dict[str, tuple[Any, Any]]:
    """The words' arrays (rows, weighted counts), from the process's cache or the table."""
    with base.lock:
        found = {w: base.postings[w] for w in words if w in base.postings}
    missing = [w for w in dict.fromkeys(words) if w not in found]
    if missing:
        cursor.execute(
            f"SELECT term, docs, weights FROM {_impact(table)} WHERE term IN ({', '.join(['%s'] * len(missing))})",
            missing,
        )
        read = {term: _unpacked(bytes(docs), bytes(weights)) for term, docs, weights in cursor.fetchall()}
        empty = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float64))
        with base.lock:
            for word in missing:
                found[word] = base.postings[word] = read.get(word, empty)
                base.size += len(found[word][0])
            # The least recently used words leave when the cache is full (a million items' KM
            # words are ~800,000 rows each: starting again would read them all again).
            while base.size > CACHE_POSTINGS and len(base.postings) > len(missing):
                _word, (docs, _weights) = base.postings.popitem(last=False)
                base.size -= len(docs)
    with base.lock:
        for word in found:
            if word in base.postings:
                base.postings.move_to_end(word)
    return found


def _unpacked(docs: bytes, weights: bytes) -> tuple[Any, Any]:
    """A word's arrays as stored: rows (int32) and weighted counts (float32: sums of the
    columns' weights, halves and whole numbers, exact in it; float64 in bases made before)."""
    rows = np.frombuffer(docs, dtype=np.int32)
    kind = np.float32 if len(weights) == 4 * len(rows) else np.float64
    return rows, np.frombuffer(weights, dtype=kind).astype(np.float64)


def _phrases(cursor: Any, table: Table, pairs: Sequence[Term]) -> list[tuple[int, float]]:
    """FTS5's bm25 of the phrases (pairs) alone, on the rows holding one (their share)."""
    weights = ", ".join(str(w) for w in table.weights)
    cursor.execute(
        f"SELECT rowid, -bm25({table.name}, {weights}) FROM {table.name} WHERE {table.name} MATCH %s",
        [" OR ".join('"' + " ".join(p) + '"' for p in pairs)],
    )
    return [(int(rowid), float(score)) for rowid, score in cursor.fetchall()]


def _count(cursor: Any, table: Table, most: int) -> int:
    """How many rows the log holds, counted up to `most`."""
    cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {_log(table)} LIMIT %s)", [most])
    return int(cursor.fetchone()[0])


def _logged(cursor: Any, table: Table) -> list[int]:
    cursor.execute(f"SELECT DISTINCT doc FROM {_log(table)}")
    return [int(r[0]) for r in cursor.fetchall()]


def _token(word: str) -> bool:
    """Whether FTS5 indexes `word` as one token (letters, digits, marks): then its arrays are
    its list; other words are phrases to FTS5 and are scored there, like the pairs."""
    return bool(word) and all(
        unicodedata.category(c)[0] in "LNM" or unicodedata.category(c) == "Co" for c in word
    )


def _scores(
    table: Table,
    terms: list[Term],
    base: Base,
    logged: list[int],
    documents: Callable[[Term], int],
    every: bool = False,
) -> tuple[Any, Any]:
    """Every matching row's bm25: (row ids, scores), in no order. A row matches when it holds
    any of the terms, or, with `every`, all of them (then the terms are words alone)."""
    words = [t for t in terms if len(t) == 1 and _token(t[0])]
    phrases = [t for t in terms if t not in words]
    rows, avgdl = averages(table)
    with connection.cursor() as cursor:
        lists = _postings(cursor, table, base, [t[0].lower() for t in words])
        # A word's documents: its list's length while nothing changed since the base.
        counts: dict[Term, int]
        if logged:
            counts = {t: documents(t) for t in words}
        else:
            counts = {t: len(lists[t[0].lower()][0]) for t in words}
        stats = Stats(rows, avgdl, counts)
        stale = np.asarray([r for r in logged if r <= base.top], dtype=np.int64)
        if every:
            found, values = _every(stats, [(t, *lists[t[0].lower()]) for t in words], base, stale)
        else:
            extra = _phrases(cursor, table, phrases) if phrases else []
            found, values = _any(stats, [(t, *lists[t[0].lower()]) for t in words], base, stale, extra)
        matching: list[int] = []
        if logged:
            # The logged rows the question matches, scored from their stored text.
            marks = ", ".join(["%s"] * len(logged))
            cursor.execute(
                f"SELECT rowid FROM {table.name} WHERE {table.name} MATCH %s AND rowid IN ({marks})",
                [(" AND " if every else " OR ").join('"' + " ".join(t) + '"' for t in terms), *logged],
            )
            matching = [int(r[0]) for r in cursor.fetchall()]
    fresh: dict[int, float] = {}
    if matching:
        stats.df.update({t: documents(t) for t in terms})
        for rowid, columns in stored_words(table, matching).items():
            fresh[rowid] = common_part(table, stats, terms, columns)
    if fresh:
        found = np.concatenate([found, np.asarray(list(fresh), dtype=np.int64)])
        values = np.concatenate([values, np.asarray(list(fresh.values()), dtype=np.float64)])
    return found, np.round(values, TIE_DIGITS)


Lists = list[tuple[Term, Any, Any]]  # (word, its rows, their weighted counts)


def _share(stats: Stats, term: Term, weights: Any, norm: Any) -> Any:
    """bm25's share of one word in rows (FTS5's formula): idf x saturated weighted count."""
    return stats.idf(term) * weights * (K1 + 1) / (weights + norm)


def _norm(base: Base, avgdl: float, rows: Any) -> Any:
    """bm25's length normalisation of rows (computed for every row once per average length)."""
    norms = base.norms
    if norms is None or norms[0] != avgdl:
        norms = base.norms = (avgdl, K1 * (1 - B + B * base.lengths / avgdl))
    return norms[1][rows]


def _any(
    stats: Stats, lists: Lists, base: Base, stale: Any, phrases: list[tuple[int, float]]
) -> tuple[Any, Any]:
    """The rows holding any of the words or phrases, and their shares added up (the words'
    in their order, then the phrases', FTS5's own)."""
    scores = np.zeros(base.top + 1, dtype=np.float64)
    for term, docs, weights in lists:
        if len(docs):
            scores[docs] += _share(stats, term, weights, _norm(base, stats.avgdl, docs))
    for rowid, score in phrases:
        if rowid <= base.top:
            scores[rowid] += score
    scores[stale] = 0.0
    found = np.flatnonzero(scores > 0)  # an idf is 1e-6 at least and every column weighs
    return found, scores[found]


def _every(stats: Stats, lists: Lists, base: Base, stale: Any) -> tuple[Any, Any]:
    """The rows holding every word (the shortest list, kept where each other list holds the
    row), and their shares added up (in the words' order)."""
    first = min(range(len(lists)), key=lambda n: len(lists[n][1]))
    found = lists[first][1]
    at: list[Any] = [np.arange(len(found))]  # where the rows found are in each list read
    read = [first]
    if len(stale):
        kept = ~np.isin(found, stale)
        found, at = found[kept], [a[kept] for a in at]
    for n, (_term, docs, _weights) in enumerate(lists):
        if n == first:
            continue
        where = _positions(docs, found, base.top)
        kept = where >= 0
        found, at, read = found[kept], [*(a[kept] for a in at), where[kept]], [*read, n]
    values = np.zeros(len(found), dtype=np.float64)
    if len(found):
        norm = _norm(base, stats.avgdl, found)
        for n, (term, _docs, weights) in enumerate(lists):
            values += _share(stats, term, weights[at[read.index(n)]], norm)
    return found.astype(np.int64), values


def _positions(docs: Any, rows: Any, top: int) -> Any:
    """Where each of `rows` is in `docs` (both sorted row ids; -1 where it is not)."""
    if not len(docs) or not len(rows):
        return np.full(len(rows), -1, dtype=np.int64)
    if len(rows) * 16 > top:  # many rows: a lookup table over every row id
        table = np.full(top + 1, -1, dtype=np.int64)
        table[docs] = np.arange(len(docs))
        return table[rows]
    where = np.searchsorted(docs, rows)
    where[where == len(docs)] = 0
    return np.where(docs[where] == rows, where, -1)


def _usable(table: Table) -> tuple[Base, list[int]] | None:
    """The base and the rows logged since it, when questions may use it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = %s", [_base_table(table)])
        if not cursor.fetchone()[0]:
            return None
        base = _base(cursor, table)
        if base is None or _count(cursor, table, LOG_MAX + 1) > LOG_MAX:
            return None
        return base, _logged(cursor, table)


def best(
    table: Table,
    parsed: Parsed,
    count: int,
    visible: Callable[[list[int]], list[int]],
    documents: Callable[[Term], int],
) -> list[tuple[int, float]] | None:
    """The `count` best rows by bm25 that the user may see ([(row id, bm25)], best first; ties
    in `visible`'s order), from the base; None without a usable base (or for what is not a
    question of plain words): then topk.py or FTS5 ranks. documents: a term's exact count."""
    terms = terms_of(parsed)
    if not terms or count > MAX_COUNT:
        return None
    usable = _usable(table)
    if usable is None:
        return None
    ids, values = _scores(table, terms, *usable, documents)
    return _top(ids, values, count, visible)


def best_all(
    table: Table,
    parsed: Parsed,
    count: int,
    visible: Callable[[list[int]], list[int]],
    documents: Callable[[Term], int],
) -> list[tuple[int, float]] | None:
    """`best` for the all-words form: the rows holding every word, by FTS5's bm25 of that form
    (a sum over its words, as `"a" AND "b"` ranks). A one-word query of a common word (ครู in
    40 % of the items) has FTS5 score 40,000 rows to keep 20: 150-250 ms at 100k. None for
    what is not words alone (phrases, exclusions, compound alternatives, words FTS5 splits)."""
    if parsed.excluded or any(u.is_phrase or u.alternative for u in parsed.units):
        return None
    terms = list(dict.fromkeys(u.words for u in parsed.units))
    if not terms or count > MAX_COUNT or not all(_token(t[0]) for t in terms):
        return None
    usable = _usable(table)
    if usable is None:
        return None
    ids, values = _scores(table, terms, *usable, documents, every=True)
    return _top(ids, values, count, visible)


def holding(table: Table, rowids: Sequence[int], words: Sequence[str]) -> dict[int, set[str]] | None:
    """Which of `words` each of the rows holds, from the base's arrays (the re-ranking of a
    question's best rows asks); None when the base cannot tell (no base, a row changed since,
    a word that is not one FTS5 token)."""
    if not rowids or not all(_token(w) for w in words):
        return None
    usable = _usable(table)
    if usable is None or set(usable[1]) & set(rowids):
        return None
    base = usable[0]
    with connection.cursor() as cursor:
        lists = _postings(cursor, table, base, [w.lower() for w in words])
    ids = np.asarray(rowids, dtype=np.int64)
    out: dict[int, set[str]] = {int(r): set() for r in rowids if r <= base.top}
    for word in words:
        docs = lists[word.lower()][0]
        if len(docs):
            at = np.minimum(np.searchsorted(docs, ids), len(docs) - 1)
            for rowid in ids[docs[at] == ids]:
                out[int(rowid)].add(word)
    return out


def _top(
    ids: Any, values: Any, count: int, visible: Callable[[list[int]], list[int]]
) -> list[tuple[int, float]] | None:
    """The `count` best of the scored rows that `visible` keeps, ties in its order."""
    total = len(ids)
    if total == 0:
        return []
    want = min(total, max(count * 2, 64))
    while True:
        part = np.argpartition(-values, want - 1)[:want] if want < total else np.arange(total)
        part = part[np.argsort(-values[part], kind="stable")]
        order = visible([int(i) for i in ids[part]])
        if len(order) >= count or want >= total:
            break
        want = min(total, want * 4)
    if not order:
        return []
    score = {int(ids[n]): float(values[n]) for n in part}
    threshold = sorted((score[pk] for pk in order), reverse=True)[min(count, len(order)) - 1]
    # Rows tied at the k-th score beyond those looked at: all of them, in the visibility
    # query's order.
    if want < total and int((values >= threshold).sum()) > len(part):
        tied = np.flatnonzero(values >= threshold)
        if len(tied) > TIES_MAX:
            return None
        order = visible([int(i) for i in ids[tied]])
        score = {int(ids[n]): float(values[n]) for n in tied}
    position = {pk: n for n, pk in enumerate(order)}
    ranked = sorted(position, key=lambda pk: (-score[pk], position[pk]))[:count]
    return [(pk, score[pk]) for pk in ranked]
