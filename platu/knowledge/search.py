"""Knowledge items in search: what is indexed of an item, who may find it, its filters and
facets, how a hit is shown (registered with the search service, `platu/search/registry.py`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, DateTimeField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from platu.knowledge.models import Attachment, Category, Item, ItemLink, Tag
from platu.search import registry, service
from platu.search.backends import get_backend
from platu.search.query import Parsed
from platu.search.registry import Hit, Related, SearchField
from platu.search.service import MODE_ANY, MODE_SUBSTRING, Facet, Results
from platu.search.snippets import highlight, snippet

FILTERS = ("kind", "org", "community", "category", "tag", "fy", "state")
FILTER_LABELS = {
    "kind": gettext_lazy("Type"),
    "org": gettext_lazy("Organisation"),
    "community": gettext_lazy("Community"),
    "category": gettext_lazy("Category"),
    "tag": gettext_lazy("Tags"),
    "fy": gettext_lazy("Fiscal year"),
    "state": gettext_lazy("State"),
}
FY_RANGE = (2400, 2700)  # B.E. fiscal years a filter may name
_ID = re.compile(r"[0-9]{1,12}")

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


def clean_filters(data: Any) -> dict[str, str]:
    """The known filters from a query dict, as short strings (anything else is dropped)."""
    out: dict[str, str] = {}
    for name in FILTERS:
        value = str(data.get(name, "") or "").strip()[:100]
        if value:
            out[name] = value
    return out


def _int(value: str | None) -> int | None:
    """A filter's id or year; None when it is not a whole number of at most 12 digits."""
    return int(value) if value and _ID.fullmatch(value) else None


def filter_problems(filters: dict[str, str]) -> list[str]:
    """What is wrong with the filters (in the user's language); such a search matches nothing."""
    problems = []
    for name in ("category", "community"):
        if name in filters and _int(filters[name]) is None:
            problems.append(_("The %(name)s filter is not a valid choice.") % {"name": FILTER_LABELS[name]})
    if "fy" in filters:
        fy = _int(filters["fy"])
        if fy is None or not FY_RANGE[0] <= fy <= FY_RANGE[1]:
            problems.append(
                _("The fiscal year must be a Buddhist-Era year from %(low)s to %(high)s.")
                % {"low": FY_RANGE[0], "high": FY_RANGE[1]}
            )
    return problems


def base_items(user: Any, filters: dict[str, str]) -> QuerySet[Item]:
    """The items the user may see, in every state the user may see them in (authors their
    drafts, the brain bank what it reviews), with the filters applied (invalid filters match
    nothing)."""
    qs = Item.objects.visible_to(user)
    if filter_problems(filters):
        return qs.none()
    if state := filters.get("state"):
        qs = qs.filter(state=state)
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


def item_documents(pks: Sequence[int], *, raw: bool) -> list[tuple[int, list[str], str | None]]:
    """What is indexed of each item (read as plain values: building model instances would cost
    more than the database's work): title; summary, tags and category; body; attachments'
    text. raw: also the plain text for substring search (only the PostgreSQL backend keeps it).
    The HTML body is not read: its text is in body_text."""
    tags: dict[int, list[str]] = {}
    for item_id, name in (
        Item.tags.through.objects.filter(item_id__in=pks)
        .order_by("tag__name")
        .values_list("item_id", "tag__name")
    ):
        tags.setdefault(item_id, []).append(name)
    files: dict[int, list[str]] = {}
    for item_id, text in (
        Attachment.objects.filter(item_id__in=pks)
        .exclude(text="")
        .order_by("pk")
        .values_list("item_id", "text")
    ):
        files.setdefault(item_id, []).append(text)
    out: list[tuple[int, list[str], str | None]] = []
    for pk, title, summary, body_text, category in (
        Item.objects.filter(pk__in=pks)
        .order_by("pk")
        .values_list("pk", "title", "summary", "body_text", "category__name")
    ):
        tag_text = " ".join(tags.get(pk, ()))
        about = "\n".join(x for x in (summary, tag_text, category or "") if x)
        plain = "\n".join((title, summary, tag_text, body_text)) if raw else None
        out.append((pk, [title, about, body_text, "\n".join(files.get(pk, ()))], plain))
    return out


HIT_FIELDS = (
    *("id", "organisation_id", "owner_id", "kind", "state", "title", "summary", "body_text"),
    *("published_at", "external_id"),
    *("organisation__name_th", "organisation__name_en"),
    *("owner__title", "owner__first_name", "owner__last_name"),
)


class ItemIndex(registry.Index):
    model = Item
    key = "items"
    label = gettext_lazy("Knowledge")
    position = 10
    table_name = "search_item"
    # Title > summary, tags and category > body > attachments' text.
    fields = (
        SearchField("title", 10.0, "A"),
        SearchField("summary", 5.0, "B"),
        SearchField("body", 2.0, "C"),
        SearchField("files", 1.0, "D"),
    )
    text_fields = frozenset({"title", "summary", "body", "body_text", "category"})
    m2m = ("tags",)
    related = (
        Related("knowledge.Attachment", lambda a: [a.item_id], frozenset({"text"})),
        Related(
            "knowledge.Category",
            lambda c: Item.objects.filter(category=c).values_list("pk", flat=True),
            frozenset({"name"}),
        ),
    )
    template = "knowledge/search_hit.html"
    filter_labels = FILTER_LABELS
    order = (F("published_at").desc(nulls_last=True), "-pk")
    dated = True
    suggests = True

    def documents(self, pks: Sequence[int], *, raw: bool) -> list[tuple[int, list[str], str | None]]:
        return item_documents(pks, raw=raw)

    def visible(self, user: Any, filters: dict[str, str]) -> QuerySet[Item]:
        return base_items(user, filters)

    def filters(self, data: Any) -> dict[str, str]:
        return clean_filters(data)

    def problems(self, filters: dict[str, str]) -> list[str]:
        return filter_problems(filters)

    def page(self, pks: Sequence[int]) -> dict[int, Any]:
        # Only what a hit shows (search_hit.html, the API): each deferred column would cost a
        # query a row, and building 20 items with all their columns and relations took 3.5 ms.
        shown = Item.objects.select_related("organisation", "owner").only(*HIT_FIELDS)
        return shown.in_bulk(list(pks))

    def hit(self, obj: Item, score: float, words: Sequence[str]) -> Hit:
        text = f"{obj.summary} {obj.body_text}" if obj.summary else obj.body_text
        return Hit(obj, score, highlight(obj.title, words), snippet(text, words), obj.get_absolute_url())

    def facets(self, user: Any, parsed: Parsed, found: Any, filters: dict[str, str]) -> dict[str, Any]:
        facets = item_facets(found.qs, filters)
        if states := state_facet(user, parsed, filters, found.mode):
            facets["state"] = states
        return facets

    def suggest_more(self, user: Any, typed: str, limit: int) -> list[Any]:
        """Tags that start with (or hold) what is typed, on items the user may read."""
        tags = Tag.objects.filter(Q(name__istartswith=typed) | Q(name__icontains=typed))
        readable = Item.objects.visible_to(user).filter(state__in=Item.LIVE_STATES)
        return list(tags.filter(items__in=readable).distinct().order_by("name")[:limit])


ITEM_INDEX = registry.register(ItemIndex())


def _experts(user: Any, text: str) -> dict[str, Any]:
    from platu.knowledge.experts import panel_context

    return panel_context(user, text)


# Who knows about it: shown on the people tab.
registry.add_panel("people", registry.Panel("knowledge/search_experts.html", _experts))


def search_items(
    user: Any,
    text: str | None,
    filters: dict[str, str] | None = None,
    *,
    offset: int = 0,
    limit: int = 20,
    facets: bool = True,
    newest: bool = False,
) -> Results:
    """Knowledge the user may read matching `text`: the search page's, the API's and the
    commands' call."""
    return service.search(
        ITEM_INDEX, user, text, filters, offset=offset, limit=limit, facets=facets, newest=newest
    )


def _matched_any_state(user: Any, parsed: Parsed, filters: dict[str, str], mode: str) -> QuerySet[Item]:
    """The matches in every state the user may see (for the state facet), like `match` found them."""
    backend = get_backend()
    qs = base_items(user, {k: v for k, v in filters.items() if k != "state"})
    if mode == MODE_SUBSTRING:
        found = backend.substring(qs, ITEM_INDEX.table, parsed.raw_words)
    else:
        found = backend.match(
            qs, ITEM_INDEX.table, backend.compile(parsed, any_word=mode == MODE_ANY, pairs=False), score=False
        )
    return found


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
    # Two organisations may name a category alike: say whose each one is.
    names = [f.label for f in facets["category"]]
    alike = [f for f in facets["category"] if names.count(f.label) > 1]
    if alike:
        owners = dict(
            Category.objects.filter(pk__in=[int(f.value) for f in alike]).values_list(
                "pk", "organisation__name_th"
            )
        )
        for facet in alike:
            facet.label = f"{facet.label} ({owners.get(int(facet.value), '')})"
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
    chosen = filters.get("state")
    if not (any(r["state"] not in Item.LIVE_STATES for r in rows) or chosen):
        return []
    facets = [
        Facet(r["state"], str(states.get(r["state"], r["state"])), r["n"], chosen == r["state"]) for r in rows
    ]
    if chosen and not any(f.selected for f in facets):  # nothing matched: the filter can still go
        facets.append(Facet(chosen, str(states.get(chosen, chosen)), 0, True))
    return facets
