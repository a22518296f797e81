"""The best matches of a question without scoring every match (SQLite).

A question matched by any of its words matches most of the collection when one of them is
common (อาหาร, ทำ, เครื่อง): FTS5 would compute bm25 for tens of thousands of rows to keep ten.
Search engines avoid that with score bounds (MaxScore): bm25 is a sum over the query's terms,
and a term adds at most idf x (k1 + 1) to any document. So:

1. the terms (words and the pairs typed one after the other) are split into the listed ones
   and the common ones (C): the most frequent terms, each in more than RARE_SHARE of the
   documents, whose bounds add up to at most COMMON_BUDGET (the KM topic words in 40 % of the
   items weigh under 1; a word in 5 % weighs 6, too much to leave out of the lists);
2. FTS5 ranks the documents holding a listed term (that is their bm25 share) and, walking them
   best first, a batch at a time, for those the user may see, the common terms' share is added
   here with FTS5's own bm25 formula (same k1, b, column weights, exact document counts,
   document lengths) from their stored segmented text, while a candidate can still reach the
   k-th score;
3. any document not scored holds at most (the last listed score, or 0 when every listed
   document was listed) + (the sum of the common terms' bounds). When the k-th best full score
   is above that bound, the top k is exact; otherwise fewer terms count as common, or more are
   listed; after ROUNDS the caller has FTS5 score every match (the slow path).

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
FIRST_K = 500  # rows listed at first (FTS5 scores every row of the lists either way; few are read)
ROUNDS = 3  # K grows x8 (or fewer terms count as common) each round; then FTS5 scores all
BATCH = 50  # rows read at a time
COMMON_BUDGET = 3.0  # the common terms' bounds together at most this (a match's bm25 is ~10-30)
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


def common_part(table: Table, stats: Stats, common: Sequence[Term], columns: list[list[str]]) -> float:
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
    ordered = sorted(terms, key=lambda t: (stats.bound(t), t))
    # The common terms: in more than `limit` rows, and together weighing little (COMMON_BUDGET),
    # so that the k-th score clears their bound; one term at least is left to list.
    split, weight = 0, 0.0
    while split < len(ordered) - 1 and stats.df[ordered[split]] > limit:
        if weight + stats.bound(ordered[split]) > COMMON_BUDGET:
            break
        weight += stats.bound(ordered[split])
        split += 1
    k = max(FIRST_K, count * 2)
    for _round in range(ROUNDS):
        if split == 0:
            return None  # every list is short: FTS5 scores every match cheaply
        common = ordered[:split]
        common_bound = sum(stats.bound(t) for t in common)
        candidates = _query(table, ordered[split:], k)
        tail = 0.0 if len(candidates) < k else candidates[-1][1]
        top: list[tuple[float, int]] = []  # (-score, pk), best first
        threshold = -math.inf
        for start in range(0, len(candidates), BATCH):
            batch = candidates[start : start + BATCH]
            if len(top) >= count and batch[0][1] + common_bound < threshold:
                break  # no row left can reach the k-th score
            shown = visible([pk for pk, _s in batch])
            texts = stored_words(table, shown)
            rare = dict(batch)
            top += [
                (-(rare[pk] + common_part(table, stats, common, texts[pk])), pk)
                for pk in shown
                if pk in texts
            ]
            top.sort()
            if len(top) >= count:
                threshold = -top[count - 1][0]
        if len(top) >= count and threshold > common_bound + tail:
            # Proved. Ties at the k-th score in `visible`'s order.
            score = {pk: -neg for neg, pk in top if -neg >= threshold}
            position = {pk: n for n, pk in enumerate(visible(list(score)))}
            ranked = sorted(score, key=lambda pk: (-score[pk], position[pk]))[:count]
            return [(pk, score[pk]) for pk in ranked]
        if len(top) >= count and common_bound >= threshold:  # too much weight left out
            kept, total = 0, 0.0
            for term in common:
                if total + stats.bound(term) >= threshold:
                    break
                total += stats.bound(term)
                kept += 1
            split = kept
        elif len(candidates) < k:
            return None  # fewer rows the user may see than asked: let FTS5 count them all
        else:
            k *= 8
    return None
