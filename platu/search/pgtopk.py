"""The best matches of a question without scoring every match (PostgreSQL).

A question matched by any of its words matches ~40 % of 100k items when one word is common.
ts_rank over every match reads and decompresses every matched tsvector (~45 us a row: 1-2 s),
and has no idf, so no bound could skip any. Here a question is scored as search engines do, a
sum over its terms:

    score(row) = sum over its words w of idf(w) x r(w, row)
               + sum over its pairs (a, b) of max(idf(a), idf(b)) x min(r(a, row), r(b, row))
                 where a and b are adjacent in the row (else 0)

with r(w, row) = ts_rank(the fields' weights, the row's vector, w, normalization 1): a
field-weighted, saturating term frequency divided by log2 of the row's length (one word's
"impact"), and idf(w) = log(1 + (N - n + 0.5) / (n + 0.5)) (n: rows holding w, of N). A pair's
weight is that of its rarer word (a lower bound on the pair's own idf, known without counting
rows); its impact in a row, the lesser of its words' there where they are adjacent (else 0).

The index keeps each term's impacts (`<table>_impacts`, written with the rows by the
PostgreSQL backend, rebuilt with a bulk rebuild): a word's, and a pair's for each pair of words
adjacent in a row (term "a b": words hold no space), so a term's score in a row is read like a
word's. (term, rowid, impact) with a b-tree on (term, impact desc) answers a list alone
(index-only scans), so a term's best rows are read best first without reading a vector (~1 us a
row, against ~45-55 us for a vector). A term in more than TRUNCATE rows keeps its best TRUNCATE
rows, and its "floor" (`<table>_floors`): the impact of the best row left out. Every row not
listed has an impact at most the floor (a row written later is listed when above it). The top
k is then found by score bounds (MaxScore / threshold algorithm):

1. each term's list is read: a word's whole when short (at most FULL rows), else its best
   `depth` rows, a pair's best `depth` rows (most pairs are rarer: read whole); below what was
   read, a row's impact for that term is at most the last impact read (or the floor, or 0 when
   the list was read whole), and a pair's at most its words';
2. every row read is a candidate, bounded (numpy, over a rows x terms matrix) by its impacts
   seen plus the bounds of the terms it was not seen in. Candidates are taken best bound first,
   in doubling batches, those the user may see kept, and scored exactly: from the lists when
   every impact is known, else from their vectors (read once: ts_rank for each word, `@@` for
   each pair), until no candidate left can reach the k-th score;
3. a row read in no list scores at most the sum of the bounds: when the k-th score is above it
   the top k is exact (ties in `visible`'s order); otherwise the lists are read deeper, and
   after ROUNDS (or when no list can be read deeper) the caller ranks every match with ts_rank.

Measured on the iapp-wiki-qa questions at 100k items (var/ask.py): see the commit message.
Most questions read a few thousand list rows and score a few hundred vectors.

Nothing is dropped: the answer is the top k that scoring every match with this score gives
(tests/search/test_pgtopk.py compares on random corpora, with visibility and ties).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import ProgrammingError, connection, transaction
from psycopg.errors import UndefinedTable

from platu.search.query import Parsed
from platu.search.registry import Table
from platu.search.topk import MAX_COUNT, Term, terms_of

NORMALIZATION = 1  # ts_rank divides by log2(the row's length + 1)
TRUNCATE = 5000  # a word's list keeps at most this many rows (and the floor of the others)
FULL = 5000  # a list this short (or shorter) is read whole
FIRST_DEPTH = 512  # rows read at first from the longer lists
ROUNDS = 3  # the depth grows x8 each round
BATCH = 64  # candidates scored at a time
VISIBLE = 256  # candidates whose visibility is asked at first (then twice as many, ...)


def impacts(table: Table) -> str:
    """The impacts table of an index table."""
    return f"{table.name}_impacts"


def letter_weights(table: Table) -> str:
    """ts_rank's weights array {D, C, B, A}: each letter's heaviest field, the heaviest as 1."""
    top = max(table.weights)
    by_letter = {
        letter: max(
            (w for w, x in zip(table.weights, table.letters, strict=True) if x == letter), default=0.0
        )
        for letter in "DCBA"
    }
    return "{" + ",".join(f"{by_letter[letter] / top:.6g}" for letter in "DCBA") + "}"


def rank_sql(table: Table, vector: str, query: str) -> str:
    """r(word, row) as SQL: ts_rank of one word with the fields' weights."""
    return f"ts_rank('{letter_weights(table)}'::float4[], {vector}, {query}, {NORMALIZATION})"


PAIR = " "  # a pair's term: its words with a space between (a word holds none: TOKEN_RE)


def pair_term(a: str, b: str) -> str:
    """The term of a pair of adjacent words in the lists."""
    return f"{a}{PAIR}{b}"


def _postings(table: Table, source: str) -> str:
    """SELECT term, rowid, impact of every word of every row of `source` (a FROM item holding
    rowid and vector), and of every pair of words adjacent in it (what `a <-> b` matches: a at
    a position p, b at p + 1, of the positions the vector keeps), a pair's impact the lesser of
    its words': each vector read once (`|| ''` keeps it in memory for its words)."""
    # The lexeme as a quoted tsquery operand (as `lexeme` quotes a word).
    quoted = r"('''' || replace(replace(u.lexeme, '\', '\\'), '''', '''''') || '''')::tsquery"
    rank = rank_sql(table, "s.v", quoted)
    return (
        "WITH w AS MATERIALIZED ("
        f"SELECT s.rowid, u.lexeme, {rank} AS impact, u.positions "
        f"FROM (SELECT rowid, vector || ''::tsvector AS v FROM {source} OFFSET 0) AS s "
        "CROSS JOIN LATERAL unnest(s.v) AS u), "
        "p AS (SELECT rowid, lexeme, impact, unnest(positions) AS pos FROM w) "
        "SELECT lexeme AS term, rowid, impact FROM w UNION ALL "
        f"SELECT a.lexeme || '{PAIR}' || b.lexeme, a.rowid, least(a.impact, b.impact) "
        "FROM p AS a JOIN p AS b ON b.rowid = a.rowid AND b.pos = a.pos + 1 "
        "GROUP BY a.rowid, a.lexeme, b.lexeme, a.impact, b.impact"
    )


def floors(table: Table) -> str:
    """The floors table of an index table: (term, floor) for each cut list."""
    return f"{table.name}_floors"


# What the impacts table holds (its comment): one without it (words only, from before the
# pairs) is built again by `PostgresBackend.create`.
FORMAT = "pgtopk 2: words and adjacent pairs"


def current(cursor: Any, table: Table) -> bool:
    """Whether the table's impacts and floors exist and hold what this module reads."""
    cursor.execute(
        "SELECT to_regclass(%s) IS NOT NULL AND to_regclass(%s) IS NOT NULL "
        "AND obj_description(to_regclass(%s), 'pg_class') IS NOT DISTINCT FROM %s",
        [impacts(table), floors(table), impacts(table), FORMAT],
    )
    return bool(cursor.fetchone()[0])


def create_impacts(cursor: Any, table: Table, source: str | None = None, prefix: str | None = None) -> None:
    """Create the impacts and floors tables (named `prefix`_impacts and _floors, by default
    the index table's) from every row of `source` (the index table): each term's (a word's or
    a pair's) best TRUNCATE rows, and the floor of the others. Sorting every term's rows costs
    a few minutes for 100k items."""
    prefix = prefix or table.name
    source = source or table.name
    name, floor = f"{prefix}_impacts", f"{prefix}_floors"
    cursor.execute("SET LOCAL work_mem = '256MB'")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {prefix}_ranked ON COMMIT DROP AS SELECT term, rowid, impact, "
        "row_number() OVER (PARTITION BY term ORDER BY impact DESC, rowid DESC) AS n "
        f"FROM ({_postings(table, source)}) AS p"
    )
    cursor.execute(
        f"CREATE TABLE {name} AS SELECT term, rowid, impact FROM {prefix}_ranked WHERE n <= %s", [TRUNCATE]
    )
    cursor.execute(
        f"CREATE TABLE {floor} AS SELECT term, impact AS floor FROM {prefix}_ranked WHERE n = %s",
        [TRUNCATE + 1],
    )
    cursor.execute(f"DROP TABLE {prefix}_ranked")
    for column in ("term", "rowid", "impact"):
        cursor.execute(f"ALTER TABLE {name} ALTER COLUMN {column} SET NOT NULL")
    cursor.execute(f"ALTER TABLE {floor} ALTER COLUMN floor SET NOT NULL")
    cursor.execute(f"ALTER TABLE {floor} ADD CONSTRAINT {floor}_pkey PRIMARY KEY (term)")
    # A list, best first (the index alone answers it); a row's terms (to replace them).
    cursor.execute(f"CREATE INDEX {name}_best ON {name} (term, impact DESC, rowid DESC)")
    cursor.execute(f"CREATE INDEX {name}_rowid ON {name} (rowid)")
    cursor.execute(f"COMMENT ON TABLE {name} IS '{FORMAT}'")


def rename_impacts(cursor: Any, old: str, new: str) -> None:
    """Rename the impacts and floors tables made with prefix `old` to prefix `new`."""
    cursor.execute(f"ALTER TABLE {old}_impacts RENAME TO {new}_impacts")
    cursor.execute(f"ALTER INDEX {old}_impacts_best RENAME TO {new}_impacts_best")
    cursor.execute(f"ALTER INDEX {old}_impacts_rowid RENAME TO {new}_impacts_rowid")
    cursor.execute(f"ALTER TABLE {old}_floors RENAME TO {new}_floors")
    cursor.execute(f"ALTER TABLE {new}_floors RENAME CONSTRAINT {old}_floors_pkey TO {new}_floors_pkey")


def drop_impacts(cursor: Any, prefix: str) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {prefix}_impacts")
    cursor.execute(f"DROP TABLE IF EXISTS {prefix}_floors")


def create_log(cursor: Any, table: Table) -> None:
    cursor.execute(f"CREATE TABLE IF NOT EXISTS {log(table)} (rowid bigint NOT NULL)")


def log(table: Table) -> str:
    """The rows written while the table has no lists (a bulk rebuild dropped them): `build`
    brings them into the lists it makes."""
    return f"{table.name}_impacts_log"


def ready(cursor: Any, table: Table) -> bool:
    """Whether the table has its lists (a bulk rebuild leaves it without until `build`)."""
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [impacts(table)])
    return bool(cursor.fetchone()[0])


def build(table: Table) -> bool:
    """The lists of a table that has none (after a bulk rebuild; False when it has them), made
    without stopping writers: from the rows as they are (minutes for 100k items), into tables
    of their own; then, writers waiting a moment, the rows written meanwhile (logged by
    `write_impacts`) are brought in and the lists take their names. One build at a time, and
    never beside a bulk rebuild or a clear of the table (`exclusive`): their rows would be
    missed, or listed from before them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [_lock_key(table)])
        try:
            if ready(cursor, table):  # made meanwhile
                return False
            staged = f"{table.name}_staged"
            with transaction.atomic():
                drop_impacts(cursor, staged)
                create_impacts(cursor, table, prefix=staged)
            with transaction.atomic():
                cursor.execute(f"LOCK TABLE {table.name} IN SHARE ROW EXCLUSIVE MODE")
                rename_impacts(cursor, staged, table.name)
                cursor.execute(f"DELETE FROM {log(table)} RETURNING rowid")
                write_impacts(cursor, table, sorted({int(r[0]) for r in cursor.fetchall()}))
                cursor.execute(f"ANALYZE {impacts(table)}")
            return True
        finally:
            cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [_lock_key(table)])


def _lock_key(table: Table) -> str:
    return f"platu.search.lists:{table.name}"


def exclusive(cursor: Any, table: Table) -> None:
    """Wait for a build of the table's lists to end, and keep one from starting until the
    transaction ends (a bulk rebuild, a clear: first thing, before the table's own locks)."""
    cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [_lock_key(table)])


def write_impacts(cursor: Any, table: Table, rowids: Sequence[int]) -> None:
    """After rows `rowids` of the index table were written or deleted: their impacts replace
    the old ones; a word's row at or below its list's floor is left out (the floor bounds
    it). Without lists (until `build`), the rows are logged."""
    if not rowids:
        return
    ids = list(rowids)
    if not ready(cursor, table):
        cursor.execute(f"INSERT INTO {log(table)} (rowid) SELECT unnest(%s::bigint[])", [ids])
        return
    cursor.execute(f"DELETE FROM {impacts(table)} WHERE rowid = ANY(%s)", [ids])
    cursor.execute(
        f"INSERT INTO {impacts(table)} (term, rowid, impact) SELECT p.term, p.rowid, p.impact "
        f"FROM ({_postings(table, f'{table.name} WHERE rowid = ANY(%s)')}) AS p "
        f"WHERE NOT EXISTS (SELECT 1 FROM {floors(table)} AS f WHERE f.term = p.term AND f.floor >= p.impact)",
        [ids],
    )


# -- the score ------------------------------------------------------------------------------


def lexeme(word: str) -> str:
    """A word as a tsquery operand (quoted: no operator or prefix is read in it)."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def idf(rows: int, documents: int) -> float:
    return math.log(1 + (rows - documents + 0.5) / (documents + 0.5))


@dataclass
class Question:
    """A question's words (W: they match and score), its pairs, and the words of its pairs
    that are not in W (stopwords: they only weigh their pairs)."""

    words: list[str]
    pairs: list[tuple[str, str]]
    weight: dict[str, float]  # idf of each word of W and of the pairs
    others: list[str] = field(default_factory=list)

    def pair_weight(self, pair: tuple[str, str]) -> float:
        return max(self.weight[pair[0]], self.weight[pair[1]])

    @property
    def terms(self) -> list[str]:
        """The terms scored, in the order they are summed: the words, then the pairs'."""
        return [*self.words, *(pair_term(a, b) for a, b in self.pairs)]

    @property
    def weights(self) -> list[float]:
        """Each term's weight, in `terms`' order."""
        return [*(self.weight[w] for w in self.words), *(self.pair_weight(p) for p in self.pairs)]

    def total(self, impact: dict[str, float]) -> float:
        """The score from each term's impact (or bound): a pair's is the lesser of its words'
        where they are adjacent, else 0. The same sum, in the same order, for scores and bounds
        (a bound is then never below the score by a rounding)."""
        score = 0.0
        for term, weight in zip(self.terms, self.weights, strict=True):
            score += weight * impact[term]
        return score


def question(parsed: Parsed, documents: Callable[[Term], int], rows: int) -> Question | None:
    terms = terms_of(parsed)
    if not terms:
        return None
    words = [t[0] for t in terms if len(t) == 1]
    pairs = [(t[0], t[1]) for t in terms if len(t) == 2]
    if not words or len(words) + len(pairs) != len(terms) or any(PAIR in w for t in terms for w in t):
        return None
    others = list(dict.fromkeys(w for p in pairs for w in p if w not in words))
    weight = {w: idf(rows, documents((w,))) for w in [*words, *others]}
    return Question(words, pairs, weight, others)


def exact_scores(table: Table, q: Question, rowids: Sequence[int]) -> dict[int, float]:
    """The score of each of `rowids` from its vector (each read once)."""
    if not rowids:
        return {}
    ranked = [*q.words, *q.others]
    ranks = ", ".join(rank_sql(table, "s.v", "%s::tsquery") for _ in ranked)
    near = "".join(", s.v @@ %s::tsquery" for _ in q.pairs)
    params: list[Any] = [lexeme(w) for w in ranked] + [f"{lexeme(a)} <-> {lexeme(b)}" for a, b in q.pairs]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.rowid, {ranks}{near} FROM (SELECT rowid, vector || ''::tsvector AS v "
            f"FROM {table.name} WHERE rowid = ANY(%s) OFFSET 0) AS s",
            [*params, list(rowids)],
        )
        out = {}
        for rowid, *values in cursor.fetchall():
            impact = {w: float(v) for w, v in zip(ranked, values, strict=False)}
            for (a, b), adjacent in zip(q.pairs, values[len(ranked) :], strict=True):
                impact[pair_term(a, b)] = min(impact[a], impact[b]) if adjacent else 0.0
            out[int(rowid)] = q.total(impact)
        return out


# -- the top k ------------------------------------------------------------------------------


@dataclass
class Lists:
    """What was read of the terms' lists: the rows seen, each one's impact for each term (or,
    where it was not seen, the bound of what was not read), and the bound of each term."""

    terms: list[str]  # q.terms: the words, then the pairs
    rowids: np.ndarray  # the rows seen (int64)
    impact: np.ndarray  # rows x terms: the impact seen, else the term's bound (float64)
    certain: np.ndarray  # rows x terms: the impact is the row's own (seen, or 0 in a whole list)
    bound: dict[str, float]  # an impact no row unseen in the term's list exceeds
    deeper: bool  # a list was cut at the depth asked: reading deeper may prove more


def read_lists(table: Table, q: Question, depth: int, documents: Callable[[Term], int]) -> Lists:
    """Each term's list: a word's whole when short, else its best `depth` rows; a pair's best
    `depth` rows (most pairs are rarer than that: their lists are then read whole)."""
    terms = q.terms
    limits = [FULL + 1 if documents((w,)) <= FULL else depth for w in q.words] + [depth] * len(q.pairs)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.term, count(l.rowid), min(l.impact), array_agg(l.rowid), "
            "array_agg(l.impact), (SELECT floor FROM " + floors(table) + " AS f WHERE f.term = t.term) "
            "FROM unnest(%s::text[], %s::int[]) AS t(term, n) "
            f"CROSS JOIN LATERAL (SELECT rowid, impact FROM {impacts(table)} AS i WHERE i.term = t.term "
            "ORDER BY impact DESC, rowid DESC LIMIT t.n) AS l GROUP BY t.term",
            [terms, limits],
        )
        fetched = {row[0]: row[1:] for row in cursor.fetchall()}
    bound: dict[str, float] = {}
    deeper = False
    columns: list[tuple[int, np.ndarray, np.ndarray]] = []
    for n, (term, limit) in enumerate(zip(terms, limits, strict=True)):
        found, lowest, ids, values, floor = fetched.get(term, (0, 0.0, [], [], None))
        floor = float(floor or 0.0)
        if found < limit:
            bound[term] = floor  # read whole: below it, the floor
        else:
            bound[term], deeper = max(float(lowest), floor), True
        if found:
            columns.append((n, np.asarray(ids, dtype=np.int64), np.asarray(values, dtype=np.float64)))
    every = np.concatenate([ids for _n, ids, _v in columns]) if columns else np.zeros(0, np.int64)
    rowids, where = np.unique(every, return_inverse=True)
    impact = np.tile(np.array([bound[t] for t in terms], dtype=np.float64), (len(rowids), 1))
    certain = np.tile(np.array([bound[t] == 0 for t in terms], dtype=bool), (len(rowids), 1))
    start = 0
    for n, ids, values in columns:
        impact[where[start : start + len(ids)], n] = values
        certain[where[start : start + len(ids)], n] = True
        start += len(ids)
    # A pair's impact is at most its words' (of W; a stopword's list is not read): a tighter
    # bound where it was not seen, and 0 for sure where one of its words is surely absent.
    column = {t: n for n, t in enumerate(terms)}
    for (a, b), n in zip(q.pairs, range(len(q.words), len(terms)), strict=True):
        for word in (a, b):
            if word not in column:
                continue
            bound[terms[n]] = min(bound[terms[n]], bound[word])
            loose = ~certain[:, n]
            impact[loose, n] = np.minimum(impact[loose, n], impact[loose, column[word]])
            absent = loose & certain[:, column[word]] & (impact[:, column[word]] == 0)
            impact[absent, n], certain[absent, n] = 0.0, True
    return Lists(terms, rowids, impact, certain, bound, deeper)


def best(
    table: Table,
    parsed: Parsed,
    count: int,
    visible: Callable[[list[int]], list[int]],
    documents: Callable[[Term], int],
    rows: int,
) -> list[tuple[int, float]] | None:
    """The `count` best rows by the score above that the user may see ([(row id, score)], best
    first; ties in `visible`'s order) when the bounds prove them; None when they cannot (the
    question is more than words, or the lists fall short): then every match is ranked.
    documents: a word's document count; rows: the table's."""
    if count > MAX_COUNT or rows == 0:
        return None
    with connection.cursor() as cursor:
        if not ready(cursor, table):  # until `build`: every match is ranked (ts_rank)
            return None
    try:
        with transaction.atomic():  # a bulk rebuild committing now drops the lists
            return _best(table, parsed, count, visible, documents, rows)
    except ProgrammingError as error:
        if not isinstance(error.__cause__, UndefinedTable):
            raise
        return None


def _best(
    table: Table,
    parsed: Parsed,
    count: int,
    visible: Callable[[list[int]], list[int]],
    documents: Callable[[Term], int],
    rows: int,
) -> list[tuple[int, float]] | None:
    q = question(parsed, documents, rows)
    if q is None:
        return None
    depth = FIRST_DEPTH
    known: dict[int, float | None] = {}  # rows scored so far (None: the user may not see it)
    for _round in range(ROUNDS):
        lists = read_lists(table, q, depth, documents)
        found = _walk(table, q, lists, count, visible, known)
        if found is not None:
            return found
        if not lists.deeper:
            return None
        depth *= 8
    return None


SLACK = 1e-9  # bounds summed in another order than the scores: a margin for the rounding


def _upper(q: Question, lists: Lists) -> np.ndarray:
    """Each row seen: its score at most (`Question.total` over the impact matrix)."""
    upper = lists.impact @ np.array(q.weights, dtype=np.float64)
    return np.asarray(upper * (1 + SLACK) + SLACK, dtype=np.float64)


def _walk(
    table: Table,
    q: Question,
    lists: Lists,
    count: int,
    visible: Callable[[list[int]], list[int]],
    known: dict[int, float | None],
) -> list[tuple[int, float]] | None:
    """The top k from the rows read, when the bounds prove it; None when a row not read may
    belong to it. Candidates are scored best bound first, in batches that double (most of a
    batch may be rows the user may not see, or no match); `known`: rows scored before."""
    unseen = q.total(lists.bound)  # a row in no list scores at most
    upper = _upper(q, lists)
    # A match holds a word of W: a row seen only in the lists of pairs of stopwords is none.
    may_match = np.asarray((lists.impact[:, : len(q.words)] > 0).any(axis=1), dtype=bool)
    order = np.argsort(-upper, kind="stable")
    order = order[may_match[order]]
    ranked_ids = lists.rowids[order].tolist()
    ranked_upper = upper[order].tolist()
    # A row is scored from the lists when every impact of its terms is known, else from its
    # vector (a word's list cut above it, or a pair's).
    plain = np.asarray(lists.certain.all(axis=1), dtype=bool)
    # Their scores, added up term by term as `Question.total` does (the same roundings).
    summed = np.zeros(len(lists.rowids))
    for n, weight in enumerate(q.weights):
        summed = summed + weight * lists.impact[:, n]

    def score(shown: list[int]) -> dict[int, float]:
        at = np.searchsorted(lists.rowids, np.asarray(shown, dtype=np.int64)).tolist()
        from_lists = {r: float(summed[i]) for r, i in zip(shown, at, strict=True) if plain[i]}
        return {**from_lists, **exact_scores(table, q, [r for r in shown if r not in from_lists])}

    best = heapq.nlargest(count, (s for r in ranked_ids if (s := known.get(r)) is not None))
    heapq.heapify(best)  # the `count` best scores so far, the k-th on top
    # Which candidates the user may see is asked for many at a time (most may be rows the user
    # may not see, or no match), from VISIBLE on, doubling; those seen are scored BATCH at a time.
    queue: list[tuple[int, float]] = []  # (row, bound) the user may see, not yet scored
    start, size = 0, VISIBLE
    while queue or start < len(ranked_ids):
        if not queue:
            if len(best) >= count and ranked_upper[start] < best[0]:
                break  # no candidate left can reach the k-th score
            chunk = [
                (r, u)
                for r, u in zip(
                    ranked_ids[start : start + size], ranked_upper[start : start + size], strict=True
                )
                if r not in known
            ]
            start, size = start + size, size * 2
            shown = set(visible([r for r, _u in chunk]))
            known.update((r, None) for r, _u in chunk if r not in shown)
            queue = [(r, u) for r, u in chunk if r in shown]
            continue
        if len(best) >= count and queue[0][1] < best[0]:
            break
        batch, queue = queue[:BATCH], queue[BATCH:]
        exact = score([r for r, _u in batch])
        known.update(exact)
        for value in exact.values():
            if len(best) < count:
                heapq.heappush(best, value)
            elif value > best[0]:
                heapq.heapreplace(best, value)
    scores = best
    threshold = best[0] if len(best) >= count else -math.inf
    if len(scores) >= count:
        if threshold <= unseen * (1 + SLACK) + SLACK:
            return None
    elif unseen > 0:
        return None  # fewer rows than asked, and rows not read may score
    top = {r: s for r in ranked_ids if (s := known.get(r)) is not None and s >= threshold}
    position = {r: n for n, r in enumerate(visible(list(top)))}
    ranked = sorted(top, key=lambda r: (-top[r], position[r]))[:count]
    return [(r, top[r]) for r in ranked]
