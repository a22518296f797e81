"""Searching what the apps register (`registry.py`) for a user: only what the user may see,
filtered inside the query so that counts, facets and pages agree.

Every match is ranked by relevance (bm25 on SQLite, ts_rank on PostgreSQL, with the fields'
weights; a question's best matches re-ranked by how much of it they hold, `rerank.py`), then by
the index's own order (knowledge: the most recently published). All words first; when no row
has them all, any word; when no whole word matches, substrings. Only the page's rows are read.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from platu.search import pending, registry
from platu.search.backends import get_backend
from platu.search.query import Parsed, parse
from platu.search.ranking import TIE_DIGITS, common_words
from platu.search.registry import Hit, Index, Table
from platu.search.rerank import RERANK_DEPTH
from platu.search.rerank import rerank as reranked

MODE_ALL, MODE_ANY, MODE_SUBSTRING = "all", "any", "substring"
__all__ = ["Facet", "Hit", "Results", "count", "find", "match", "search", "suggest"]


@dataclass
class Facet:
    value: str
    label: str
    count: int
    selected: bool = False
    url: str = ""


@dataclass
class Results:
    parsed: Parsed
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    mode: str = ""
    facets: dict[str, list[Facet]] = field(default_factory=dict)
    filters: dict[str, str] = field(default_factory=dict)
    offset: int = 0
    limit: int = 20
    more: bool = False  # more than PLATU_SEARCH_COUNT_MAX matches (all ranked, not all counted)
    problems: list[str] = field(default_factory=list)  # invalid filters

    @property
    def message(self) -> str:
        if self.parsed.error:
            return self.parsed.error
        if self.problems:
            return " ".join(self.problems)
        if self.mode == MODE_ANY:
            return _("Nothing has all the words; showing what has any of them.")
        if self.mode == MODE_SUBSTRING:
            return _("No whole words matched; showing text that contains what you typed.")
        return ""


def count_max() -> int:
    return int(getattr(settings, "PLATU_SEARCH_COUNT_MAX", 1000))


def _count(qs: QuerySet[Any]) -> int:
    """How many rows match, counted up to PLATU_SEARCH_COUNT_MAX + 1 (a count past it is shown as
    "more than"): counting a broad query's every match costs as much as ranking them."""
    cap = count_max()
    capped = qs.order_by().values("pk")[: cap + 1]
    try:
        sql, params = capped.query.sql_with_params()
    except EmptyResultSet:  # an empty IN () somewhere in the visibility rules
        return 0
    with get_backend().narrow(qs.model), connections[capped.db].cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS matched", params)
        return int(cursor.fetchone()[0])


BEST_MAX = 8192  # candidates read from the index before ranking in the joined query instead
# A ranked row: (pk, score, *the columns `order` names), as the database driver returns them.
ProbeRow = tuple[Any, ...]


def _top(qs: QuerySet[Any], order: tuple[Any, ...], count: int) -> list[ProbeRow]:
    """The `count` best rows of qs (by `order`, the score first) as (pk, score)."""
    top = qs.order_by(*order).values_list("pk", "score")[:count]
    try:
        sql, params = top.query.sql_with_params()
    except EmptyResultSet:
        return []
    with get_backend().narrow(qs.model), connections[top.db].cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _visible(qs: QuerySet[Any], order: tuple[Any, ...]) -> Callable[[list[int]], list[int]]:
    """A function giving which of some row ids qs holds (the user may see), in `order`."""
    backend = get_backend()
    compiled: list[tuple[str, list[Any], int] | None] = []

    def visible(ids: list[int]) -> list[int]:
        if not ids:
            return []
        if not compiled:  # the SQL is built once (the visibility rules take Django milliseconds)
            seen = qs.filter(pk__in=RawSQL(backend.id_list, [_IDS])).order_by(*order).values_list("pk")
            try:
                sql, params = seen.query.sql_with_params()
                compiled.append((sql, list(params), list(params).index(_IDS)))
            except EmptyResultSet:
                compiled.append(None)
        if compiled[0] is None:
            return []
        text, values, at = compiled[0]
        values = [*values[:at], json.dumps(ids), *values[at + 1 :]]
        with backend.narrow(qs.model), connections[qs.db].cursor() as cursor:
            cursor.execute(text, values)
            return [row[0] for row in cursor.fetchall()]

    return visible


_IDS = "[platu:ids]"  # stands for the row ids in the compiled SQL


def _best(
    table: Table, expression: str, count: int, visible: Callable[[list[int]], list[int]]
) -> list[ProbeRow] | None:
    """The `count` best rows matching `expression` that `visible` keeps, when the backend ranks
    in its index (SQLite): the index's best candidates, then those kept, until `count` are found
    or the matches run out. Ties keep `visible`'s order. None: the backend cannot, or the user
    may see few of many matches (the joined query ranks them instead)."""
    backend = get_backend()
    want = max(count * 2, 100)
    if want > BEST_MAX:
        return None  # a page far down: the joined query ranks it
    while True:
        candidates = backend.best(table, expression, want)
        if not candidates:
            return candidates
        # Equal scores are ties (FTS5 adds a row's parts in its own order: their last bits
        # differ), ordered by `visible` as the other paths order them.
        score = {pk: round(value, TIE_DIGITS) for pk, value in candidates}
        shown = visible(list(score))
        if len(shown) >= count or len(candidates) < want:
            position = {pk: n for n, pk in enumerate(shown)}
            ranked = sorted(shown, key=lambda pk: (-score[pk], position[pk]))
            return [(pk, score[pk]) for pk in ranked[:count]]
        want *= 4
        if want > BEST_MAX:
            return None


@dataclass
class Found:
    qs: QuerySet[Any]  # every match, unranked (for counts and facets)
    mode: str
    total: int  # PLATU_SEARCH_COUNT_MAX + 1 means "more than that"
    rows: list[ProbeRow]  # the best `count` matches, best first
    scored: QuerySet[Any]  # the matches with their `score`


Matcher = tuple[str, QuerySet[Any], QuerySet[Any], str, QuerySet[Any]]


def _matchers(qs: QuerySet[Any], table: Table, parsed: Parsed) -> Iterator[Matcher]:
    """(mode, the matches scored, the matches unscored, the expression that scores them, what
    keeps an index candidate) for each way of matching in turn: all words; any word (the pairs of
    words typed together score, but do not match: a candidate must hold one of the words);
    substrings."""
    backend = get_backend()
    expression = backend.compile(parsed)
    matches = backend.match(qs, table, expression, score=False)
    yield MODE_ALL, backend.match(qs, table, expression), matches, expression, qs
    if parsed.can_relax():
        parsed.common = common_words(table, [u.words[0] for u in parsed.units if not u.is_phrase])
        expression = backend.compile(parsed, any_word=True)
        plain = backend.compile(parsed, any_word=True, pairs=False)
        matches = backend.match(qs, table, plain, score=False)
        scored = backend.match(qs, table, plain, ranked_by=expression)
        # A candidate holds one of the words unless it matched only by a pair of two words the
        # form leaves out (stopwords, common words): only then must the match be checked.
        _phrases, units = parsed._or_units()
        held = {u.words[0] for u in units}
        loose = plain != expression and any(not set(pair) & held for pair in parsed._pairs())
        yield MODE_ANY, scored, matches, expression, matches if loose else qs
    words = parsed.raw_words
    if words and not parsed.excluded:
        found = backend.substring(qs, table, words)
        yield MODE_SUBSTRING, found, found, "", found


def find(
    qs: QuerySet[Any],
    table: Table,
    parsed: Parsed,
    *,
    count: int = 20,
    order: tuple[Any, ...] = ("-pk",),
    newest: bool = False,
) -> Found:
    """qs matched by the query: all words, else any word, else substrings; every match ranked by
    relevance (then `order`), the best `count` read (SQL only for them and the count). newest:
    the user's "newest first": by `order` alone."""
    pending.flush()  # what this transaction changed is found
    empty = Found(qs, MODE_ALL, 0, [], qs)
    if qs.query.is_empty():
        return empty
    backend = get_backend()
    for mode, scored, matches, expression, keeps in _matchers(qs, table, parsed):
        if newest:
            if rows := _top(scored, (*order, "-score"), count):
                return Found(matches, mode, _count(matches), rows, scored)
            continue
        rerank = mode == MODE_ANY
        wanted = max(count, RERANK_DEPTH) if rerank else count
        # The index's candidates that may be ranked: those the user may see (and the match holds).
        visible = _visible(keeps, order)
        best = None
        if expression and mode == MODE_ANY:  # score bounds (topk.py, the backend's own)
            best = backend.topk(table, parsed, wanted, visible)
        elif expression and mode == MODE_ALL:
            best = backend.all_words(table, parsed, wanted, visible)
        if best is None and expression:
            best = _best(table, expression, wanted, visible)
        rows = best if best is not None else _top(scored, ("-score", *order), wanted)
        if rows:
            if rerank:
                rows = reranked(table, parsed, rows)[:count]
            return Found(matches, mode, _count(matches), rows, scored)
        if mode == MODE_ALL:
            empty = Found(matches, mode, 0, [], scored)
    return empty


def count(index: Index, user: Any, text: str | None) -> int:
    """How many of `index`'s rows the user may see match `text` (the tabs' badges), counted up
    to `count_max()` + 1, the way `find` would match them (no ranking)."""
    parsed = parse(text)
    if parsed.error:
        return 0
    pending.flush()
    qs = index.visible(user, {})
    if qs.query.is_empty():
        return 0
    for _mode, _scored, matches, _expression, _keeps in _matchers(qs, index.table, parsed):
        if found := _count(matches):
            return found
    return 0


def match(qs: QuerySet[Any], table: Table, parsed: Parsed) -> tuple[QuerySet[Any], str, int]:
    """`find` as (the matches with their `score`, mode, number of matches)."""
    found = find(qs, table, parsed, count=1)
    return found.scored, found.mode, found.total


def search(
    index: Index,
    user: Any,
    text: str | None,
    filters: dict[str, str] | None = None,
    *,
    offset: int = 0,
    limit: int = 20,
    facets: bool = True,
    newest: bool = False,
) -> Results:
    """One page of `index`'s rows the user may see that match `text`, best first (or newest
    first, when the index has dates and the user asks)."""
    filters = filters or {}
    parsed = parse(text)
    results = Results(parsed=parsed, filters=filters, offset=offset, limit=limit)
    if parsed.error:
        return results
    results.problems = index.problems(filters)
    base = index.visible(user, filters)
    if results.problems:
        base = base.none()
    newest = newest and index.dated
    found = find(base, index.table, parsed, count=offset + limit, order=index.order, newest=newest)
    results.mode, results.total = found.mode, found.total
    if results.total > count_max():
        results.more, results.total = True, count_max()
    top = found.rows[offset : offset + limit]
    page = index.page([r[0] for r in top])
    words = parsed.words or parsed.raw_words
    results.hits = [index.hit(page[pk], float(score or 0), words) for pk, score in top if pk in page]
    if facets:
        results.facets = index.facets(user, parsed, found, filters)
    return results


def suggest(user: Any, text: str | None, *, limit: int = 5) -> dict[str, list[Any]]:
    """What starts with what is typed (the last word as a prefix), from each index that
    suggests (its first field: titles, names), and what the indexes add (tags)."""
    parsed = parse(text)
    out: dict[str, list[Any]] = {index.key: [] for index in registry.indexes()}
    if parsed.error or not parsed.units:
        return out
    pending.flush()
    backend = get_backend()
    words = parsed.words
    for index in registry.indexes():
        if not index.suggests:
            continue
        table = index.table
        matched = backend.match(
            index.visible(user, {}), table, backend.prefix(parsed, table, table.columns[0])
        )
        rows = list(matched.order_by("-score", *index.order)[:limit])
        out[index.key] = [(obj, index.hit(obj, 0.0, words).title) for obj in rows]
        out[index.key + "_more"] = index.suggest_more(user, parsed.text.strip(), limit)
    return out
