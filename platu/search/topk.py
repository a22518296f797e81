"""The best matches of a question without scoring every match (SQLite).

A question matched by any of its words matches most of the collection when one of them is
common (อาหาร, ทำ, เครื่อง): FTS5 would compute bm25 for tens of thousands of rows to keep ten.
Search engines avoid that with score bounds (MaxScore): bm25 is a sum over the query's terms,
and a term adds at most idf x (k1 + 1) to any document. So:

1. the terms (words and the pairs typed one after the other) are split into the rare ones (R)
   and the others (C), by how many documents hold them;
2. FTS5 ranks the documents holding a rare term (short lists: cheap; that is their bm25 share)
   and, for the best K of them the user may see, the common terms' share is added here with
   FTS5's own bm25 formula (same k1, b, column weights, exact document counts, document lengths)
   from their stored segmented text, a batch at a time, while a candidate can still reach the
   k-th score;
3. any document not scored holds at most (the K-th rare-term score) + (the sum of the common
   terms' bounds). When the k-th best full score is above that bound, the top k is exact;
   otherwise fewer terms count as common, or K grows; after ROUNDS the caller has FTS5 score
   every match (the slow path).

Nothing is dropped: the answer is the same top k that scoring every match gives (tests compare).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import connection

from platu.search.query import Parsed
from platu.search.ranking import averages, stored_words
from platu.search.registry import Table

K1, B = 1.2, 0.75  # FTS5's bm25 constants
RARE_SHARE = 0.02  # a term in at most this share of the documents (or RARE_MIN) is rare
RARE_MIN = 2000
FIRST_K = 100
ROUNDS = 2  # K grows x4 (or fewer terms count as common) each round; then FTS5 scores all
BATCH = 50  # rows read at a time
MAX_COUNT = 500  # a page further down is ranked by FTS5 over every match

Term = tuple[str, ...]


@dataclass
class Stats:
    rows: int
    avgdl: float
    df: dict[Term, int]

    def idf(self, term: Term) -> float:
        n = self.df[term]
        value = math.log((self.rows - n + 0.5) / (n + 0.5))
        return value if value > 0 else 1e-6  # as FTS5

    def bound(self, term: Term) -> float:
        return self.idf(term) * (K1 + 1)


def terms_of(parsed: Parsed) -> list[Term] | None:
    """The any-word form's terms (its words and pairs), or None when it has more than words
    (phrases, exclusions, an organisation's compound alternatives): those take the slow path."""
    if parsed.excluded or any(u.is_phrase or u.alternative for u in parsed.units):
        return None
    _phrases, words = parsed._or_units()
    terms: list[Term] = [u.words for u in words]
    terms += [p for p in parsed._pairs() if p not in terms]
    return list(dict.fromkeys(terms))


def _expression(terms: Sequence[Term]) -> str:
    return " OR ".join('"' + " ".join(t) + '"' for t in terms)


def _count(words: list[str], term: Term) -> int:
    if len(term) == 1:
        return words.count(term[0])
    n = len(term)
    return sum(1 for i in range(len(words) - n + 1) if tuple(words[i : i + n]) == term)


def _query(table: Table, terms: Sequence[Term], limit: int) -> list[tuple[int, float]]:
    weights = ", ".join(str(w) for w in table.weights)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, -rank FROM {table.name} WHERE {table.name} MATCH %s "
            f"AND rank MATCH 'bm25({weights})' ORDER BY rank LIMIT %s",
            [_expression(terms), limit],
        )
        return [(int(r), float(s)) for r, s in cursor.fetchall()]


def _common_part(table: Table, stats: Stats, common: Sequence[Term], columns: list[list[str]]) -> float:
    """bm25's share of the common terms in one row (the rare terms' share comes from FTS5)."""
    length = sum(len(words) for words in columns)
    norm = K1 * (1 - B + B * length / stats.avgdl) if stats.avgdl else K1
    score = 0.0
    for term in common:
        weighted = sum(w * _count(words, term) for w, words in zip(table.weights, columns, strict=True))
        if weighted:
            score += stats.idf(term) * weighted * (K1 + 1) / (weighted + norm)
    return score


def best(
    table: Table,
    parsed: Parsed,
    count: int,
    visible: Callable[[list[int]], list[int]],
    documents: Callable[[Term], int],
) -> list[tuple[int, float]] | None:
    """The `count` best rows by bm25 that the user may see ([(row id, bm25)], best first; ties
    in the order `visible` returns them) when score bounds prove them; None when they cannot
    (the question is not made of plain words, its lists are all short, or the bounds fall
    short): then FTS5 scores every match. visible: which of some row ids the user may see, in
    the tie order. documents: a term's exact document count."""
    terms = terms_of(parsed)
    if not terms or count > MAX_COUNT:
        return None
    rows, avgdl = averages(table)
    if rows == 0:
        return None
    stats = Stats(rows, avgdl, {t: documents(t) for t in terms})
    limit = max(RARE_MIN, int(rows * RARE_SHARE))
    common = [t for t in sorted(terms, key=stats.bound) if stats.df[t] > limit][: len(terms) - 1]
    k = max(FIRST_K, count * 2)
    for _round in range(ROUNDS):
        if not common:
            return None  # every list is short: FTS5 scores every match cheaply
        common_bound = sum(stats.bound(t) for t in common)
        candidates = _query(table, [t for t in terms if t not in common], k)
        tail = 0.0 if len(candidates) < k else candidates[-1][1]
        rare_score = dict(candidates)
        shown = visible(list(rare_score))
        position = {pk: n for n, pk in enumerate(shown)}
        ordered = [pk for pk, _s in candidates if pk in position]  # by the rare terms' score
        top: list[tuple[float, int, int]] = []  # (-score, tie position, pk), best first
        for start in range(0, len(ordered), BATCH):
            batch = ordered[start : start + BATCH]
            if len(top) >= count and rare_score[batch[0]] + common_bound < -top[count - 1][0]:
                break  # no row left can reach the k-th score
            texts = stored_words(table, batch)
            for pk in batch:
                if pk in texts:
                    full = rare_score[pk] + _common_part(table, stats, common, texts[pk])
                    top.append((-full, position[pk], pk))
            top.sort()
            del top[count:]
        if len(top) >= count:
            threshold = -top[count - 1][0]
            if threshold > common_bound + tail:
                return [(pk, -neg) for neg, _n, pk in top]
            if common_bound >= threshold:  # too much weight left out: keep less as common
                kept, total = [], 0.0
                for term in common:
                    if total + stats.bound(term) >= threshold / 2:
                        break
                    kept.append(term)
                    total += stats.bound(term)
                common = kept
                continue
        elif len(candidates) < k:
            return None  # fewer rows the user may see than asked: let FTS5 count them all
        k *= 4
    return None
