"""Searching knowledge items and people for a user: only what the user may see, filtered inside
the query so that counts, facets and pages agree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import Count, DateTimeField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from platu.knowledge.models import Category, Item, ItemLink
from platu.orgs.models import Person
from platu.search.backends import ITEMS, PEOPLE, Table, get_backend
from platu.search.query import Parsed, parse
from platu.search.snippets import highlight, snippet

FILTERS = ("kind", "org", "community", "category", "tag", "fy", "state")
# Counts are exact up to PLATU_SEARCH_WINDOW (1000) matches. Beyond it a query is too broad to
# rank every match quickly (bm25 costs microseconds a row): it is ranked among its most recent
# WINDOW matches, and the count and facets say "more than WINDOW". See docs/benchmarks.md.
MODE_ALL, MODE_ANY, MODE_SUBSTRING = "all", "any", "substring"

# Shifting a date by this many days puts 1 October into the next calendar year: the year of
# the shifted date is the fiscal year (1 Oct - 30 Sep).
_FY_SHIFT = dt.timedelta(days=92)


def _fy_expression() -> ExpressionWrapper[Any]:
    return ExpressionWrapper(
        Coalesce(F("published_at"), F("created_at")) + _FY_SHIFT, output_field=DateTimeField()
    )


def _fy_bounds(fy_be: int) -> tuple[dt.datetime, dt.datetime]:
    year = fy_be - 543
    tz = timezone.get_current_timezone()
    return dt.datetime(year - 1, 10, 1, tzinfo=tz), dt.datetime(year, 10, 1, tzinfo=tz)


@dataclass
class Facet:
    value: str
    label: str
    count: int
    selected: bool = False
    url: str = ""


@dataclass
class Hit:
    obj: Any
    score: float
    title: str
    snippet: str


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
    more: bool = False  # more than WINDOW matches: ranked among the most recent WINDOW

    @property
    def message(self) -> str:
        if self.parsed.error:
            return self.parsed.error
        if self.mode == MODE_ANY:
            return _("Nothing has all the words; showing what has any of them.")
        if self.mode == MODE_SUBSTRING:
            return _("No whole words matched; showing text that contains what you typed.")
        return ""


def clean_filters(data: Any) -> dict[str, str]:
    """The known filters from a query dict, as short strings (anything else is dropped)."""
    out: dict[str, str] = {}
    for name in FILTERS:
        value = str(data.get(name, "") or "").strip()[:100]
        if value:
            out[name] = value
    return out


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def base_items(user: Any, filters: dict[str, str], *, any_state: bool = False) -> QuerySet[Item]:
    """The items the user may see, with the filters applied (invalid filters match nothing)."""
    qs = Item.objects.visible_to(user)
    state = filters.get("state")
    if state and state in Item.State.values:
        qs = qs.filter(state=state)
    elif not any_state:
        qs = qs.filter(state__in=Item.LIVE_STATES)
    if kind := filters.get("kind"):
        qs = qs.filter(kind=kind)
    if code := filters.get("org"):
        qs = qs.filter(organisation__code=code)
    if (community := _int(filters.get("community"))) is not None:
        qs = qs.filter(
            pk__in=ItemLink.objects.filter(kind=ItemLink.Kind.COMMUNITY, target_id=community).values(
                "item_id"
            )
        )
    if (category_id := _int(filters.get("category"))) is not None:
        from platu.knowledge.actions import category_and_descendants

        category = Category.objects.filter(pk=category_id).select_related("organisation").first()
        qs = qs.filter(category_id__in=category_and_descendants(category) if category else [])
    if tag := filters.get("tag"):
        qs = qs.filter(pk__in=Item.tags.through.objects.filter(tag__name=tag).values("item_id"))
    if (fy := _int(filters.get("fy"))) is not None:
        start, end = _fy_bounds(fy)
        qs = qs.annotate(fy_date=Coalesce(F("published_at"), F("created_at"))).filter(
            fy_date__gte=start, fy_date__lt=end
        )
    return qs


def _window() -> int:
    return int(getattr(settings, "PLATU_SEARCH_WINDOW", 1000))


# A probe row: (pk, score, published_at) when ranking items, else (pk,). The values are as the
# database driver returns them: SQLite gives a date as ISO text (see `_ranked`).
ProbeRow = tuple[Any, ...]


def _probe(qs: QuerySet[Any], table: Table, fields: tuple[str, ...]) -> tuple[list[ProbeRow], int | None]:
    """(rows, window start): every match newest first when at most WINDOW rows match; else the
    WINDOW most recent and the row id they start from. One pass over at most WINDOW + 1
    matches, in the index's own order. The rows are read from the cursor: Django's converters
    would parse up to a thousand dates into datetimes (2 ms at 100k items), for a sort key."""
    size = _window()
    newest = qs.order_by().extra(order_by=[f"-{table.name}.rowid"]).values_list(*fields)[: size + 1]
    sql, params = newest.query.sql_with_params()
    with get_backend().narrow(qs.model), connections[newest.db].cursor() as cursor:
        cursor.execute(sql, params)
        found: list[ProbeRow] = cursor.fetchall()  # tuples already, on both drivers
    if len(found) > size:
        return found[:size], found[size - 1][0]
    return found, None


@dataclass
class Found:
    qs: QuerySet[Any]  # the matches (the WINDOW most recent when there are more)
    mode: str
    total: int  # WINDOW + 1 means "more than WINDOW"
    rows: list[ProbeRow]  # the probe's rows, newest first


def _limit(found: QuerySet[Any], table: Table, fields: tuple[str, ...] = ("pk",)) -> Found:
    rows, start = _probe(found, table, fields)
    if start is not None:
        found = found.extra(where=[f"{table.name}.rowid >= %s"], params=[start])
    return Found(found, "", len(rows) + (start is not None), rows)


def find(
    qs: QuerySet[Any], table: Table, parsed: Parsed, *, score: bool = True, fields: tuple[str, ...] = ("pk",)
) -> Found:
    """qs matched by the query: all words, else any word, else substrings. A query matching
    more than WINDOW rows is limited to its WINDOW most recent matches (an index range), so
    ranking, pages and facets stay fast however many items match. `fields` are read for every
    match in the same pass (with "score", the matches can be ranked without a second query)."""
    backend = get_backend()

    def limited(found: QuerySet[Any], mode: str, read: tuple[str, ...] = fields) -> Found:
        result = _limit(found, table, read)
        result.mode = mode
        return result

    scorer = backend.scorer(table, parsed) if score and "score" in fields else None
    if scorer is not None:
        # A query with words in most documents: match without scoring (the newest matches come
        # first, in a few ms), then score those rows (ranking.py).
        at = fields.index("score")
        matched = limited(
            backend.match(qs, table, backend.compile(parsed), score=False),
            MODE_ALL,
            fields[:at] + fields[at + 1 :],
        )
        if matched.total:
            given = scorer([row[0] for row in matched.rows])
            matched.rows = [(*row[:at], given.get(row[0], 0.0), *row[at:]) for row in matched.rows]
            return matched
    else:
        matched = limited(backend.match(qs, table, backend.compile(parsed), score=score), MODE_ALL)
        if matched.total:
            return matched
    if parsed.can_relax():
        relaxed = limited(
            backend.match(qs, table, backend.compile(parsed, any_word=True), score=score), MODE_ANY
        )
        if relaxed.total:
            return relaxed
    words = parsed.raw_words
    if words and not parsed.excluded:
        found = limited(backend.substring(qs, table, words), MODE_SUBSTRING)
        if found.total:
            return found
    return matched


def match(
    qs: QuerySet[Any], table: Table, parsed: Parsed, *, score: bool = True
) -> tuple[QuerySet[Any], str, int]:
    """`find` as (matches, mode, number of matches)."""
    found = find(qs, table, parsed, score=score)
    return found.qs, found.mode, found.total


def _ranked(rows: list[ProbeRow]) -> list[ProbeRow]:
    """Best score first, then the most recently published, then the newest (what ORDER BY
    -score, -published_at, -pk gives on SQLite: an unpublished date sorts last). The dates are
    all datetimes (PostgreSQL) or all ISO text in UTC (SQLite), which sorts the same; an empty
    one is never compared with a date (the flag before it differs)."""
    return sorted(rows, key=lambda r: (float(r[1] or 0), r[2] is not None, r[2], r[0]), reverse=True)


def search_items(
    user: Any,
    text: str | None,
    filters: dict[str, str] | None = None,
    *,
    offset: int = 0,
    limit: int = 20,
    facets: bool = True,
) -> Results:
    filters = filters or {}
    parsed = parse(text)
    results = Results(parsed=parsed, filters=filters, offset=offset, limit=limit)
    if parsed.error:
        return results
    base = base_items(user, filters)
    # One pass reads every match's (id, score, date), at most WINDOW of them; they are ranked
    # here and only the page's items are read. (Ranking in a second query would evaluate the
    # match and bm25's word statistics again.)
    found = find(base, ITEMS, parsed, fields=("pk", "score", "published_at"))
    matched, results.mode, results.total = found.qs, found.mode, found.total
    if results.total > _window():
        results.more, results.total = True, _window()
    top = _ranked(found.rows)[offset : offset + limit]
    page = Item.objects.select_related("organisation", "owner").defer("body").in_bulk([r[0] for r in top])
    words = parsed.words
    for pk, score, _published in top:
        item = page[pk]
        text_for_snippet = f"{item.summary} {item.body_text}" if item.summary else item.body_text
        results.hits.append(
            Hit(item, float(score or 0), highlight(item.title, words), snippet(text_for_snippet, words))
        )
    if facets:
        results.facets = item_facets(matched, filters)
        if states := state_facet(user, parsed, filters, results.mode):
            results.facets["state"] = states
    return results


def _matched_any_state(user: Any, parsed: Parsed, filters: dict[str, str], mode: str) -> QuerySet[Item]:
    """The matches in every state the user may see (for the state facet), like `match` found them."""
    backend = get_backend()
    qs = base_items(user, {k: v for k, v in filters.items() if k != "state"}, any_state=True)
    if mode == MODE_SUBSTRING:
        found = backend.substring(qs, ITEMS, parsed.raw_words)
    else:
        found = backend.match(qs, ITEMS, backend.compile(parsed, any_word=mode == MODE_ANY), score=False)
    return _limit(found, ITEMS).qs


def item_facets(matched: QuerySet[Item], filters: dict[str, str]) -> dict[str, list[Facet]]:
    """Counts by type, organisation, category, tag, community and fiscal year over the matches
    (`values()` leaves out the score, so each is one GROUP BY)."""
    facets: dict[str, list[Facet]] = {}

    def rows(name: str, values: QuerySet[Any], key: str, label: Any, limit: int = 12) -> list[Facet]:
        out = []
        for row in values.annotate(n=Count("pk")).order_by("-n")[:limit]:
            value = str(row[key])
            out.append(Facet(value, label(row), row["n"], filters.get(name) == value))
        return out

    kinds = dict(Item.Kind.choices)
    facets["kind"] = rows(
        "kind", matched.values("kind"), "kind", lambda r: str(kinds.get(r["kind"], r["kind"]))
    )
    facets["org"] = rows(
        "org",
        matched.values("organisation__code", "organisation__name_th"),
        "organisation__code",
        lambda r: r["organisation__name_th"],
    )
    facets["category"] = rows(
        "category",
        matched.exclude(category=None).values("category_id", "category__name"),
        "category_id",
        lambda r: r["category__name"],
    )
    facets["tag"] = rows(
        "tag", matched.exclude(tags=None).values("tags__name"), "tags__name", lambda r: r["tags__name"], 15
    )
    facets["community"] = rows(
        "community",
        matched.filter(links__kind=ItemLink.Kind.COMMUNITY).values("links__target_id", "links__label"),
        "links__target_id",
        lambda r: r["links__label"],
    )
    by_year = (
        matched.annotate(fy=ExtractYear(_fy_expression()))
        .values("fy")
        .annotate(n=Count("pk"))
        .order_by("-fy")
    )
    facets["fy"] = [
        Facet(str(r["fy"] + 543), str(r["fy"] + 543), r["n"], filters.get("fy") == str(r["fy"] + 543))
        for r in by_year
        if r["fy"]
    ]
    return facets


def state_facet(user: Any, parsed: Parsed, filters: dict[str, str], mode: str) -> list[Facet]:
    """Counts by state, only for those who can see items that are not published (authors,
    reviewers)."""
    states = dict(Item.State.choices)
    rows = list(
        _matched_any_state(user, parsed, filters, mode).values("state").annotate(n=Count("pk")).order_by("-n")
    )
    if not (any(r["state"] not in Item.LIVE_STATES for r in rows) or filters.get("state")):
        return []
    return [
        Facet(r["state"], str(states.get(r["state"], r["state"])), r["n"], filters.get("state") == r["state"])
        for r in rows
    ]


# -- people ------------------------------------------------------------------------------------


def search_people(user: Any, text: str | None, *, limit: int = 20) -> tuple[Parsed, list[Hit], int]:
    """People the user may see whose name, position, organisation or declared expertise match."""
    parsed = parse(text)
    if parsed.error:
        return parsed, [], 0
    qs = Person.objects.for_user(user)
    matched, _mode, total = match(qs, PEOPLE, parsed)
    ranked = matched.prefetch_related("memberships__organisation").order_by("-score", "sort_key", "pk")
    words = parsed.words or parsed.raw_words
    hits = [
        Hit(p, float(p.score or 0), highlight(p.full_name, words), highlight(p.position, words))
        for p in ranked[:limit]
    ]
    return parsed, hits, total


def suggest(user: Any, text: str | None, *, limit: int = 5) -> dict[str, list[Any]]:
    """Titles, people and tags that start with what is typed (the last word as a prefix)."""
    from platu.knowledge.models import Tag

    parsed = parse(text)
    out: dict[str, list[Any]] = {"items": [], "people": [], "tags": []}
    if parsed.error or not parsed.units:
        return out
    backend = get_backend()
    readable: QuerySet[Any] = Item.objects.visible_to(user).filter(state__in=Item.LIVE_STATES)
    items = backend.match(readable, ITEMS, backend.prefix(parsed, ITEMS, "title"))
    people_expr = backend.prefix(parsed, PEOPLE, "name")
    words = parsed.words
    out["items"] = [(i, highlight(i.title, words)) for i in items.order_by("-score", "-pk")[:limit]]
    people = backend.match(Person.objects.for_user(user), PEOPLE, people_expr)
    out["people"] = [
        (p, highlight(p.full_name, words)) for p in people.order_by("-score", "sort_key")[:limit]
    ]
    typed = parsed.text.strip()
    tags = Tag.objects.filter(Q(name__istartswith=typed) | Q(name__icontains=typed))
    tags = tags.filter(items__in=Item.objects.visible_to(user).filter(state__in=Item.LIVE_STATES)).distinct()
    out["tags"] = list(tags.order_by("name")[:limit])
    return out
