"""What each app makes searchable, declared in its own `search.py` (as Wagtail's `search_fields`
and NetBox's per-app `search.py`). The search service knows models only through these
declarations: it imports no domain app.

An app declares an `Index` subclass and calls `register(MyIndex())` in `<app>/search.py`; the
search app imports every app's `search` module when Django starts (`autodiscover`), connects the
signals that keep each index current (`pending.py`), and creates the index tables.

An index says:
- `fields`: the columns, each with its weight (bm25 on SQLite, a tsvector letter on PostgreSQL);
- `documents(pks)`: each row's text per field (and the plain text for substring search);
- `visible(user, filters)`: the rows a user may find (who may see a row), with the tab's filters;
- `hit(obj, words)`: how a found row is shown (title and snippet, words marked; its URL);
- `related`: which saved or deleted rows of other models re-index which of its rows;
- `text_fields`: the model's own fields the text is made of (a save that changes none of them
  leaves the index alone).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from django.apps import apps
from django.db.models import Model, QuerySet
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

PARTS_WEIGHT = 0.5  # the compounds' parts: a last, light column of every index
_NAME = re.compile(r"[a-z][a-z0-9_]{0,40}")


@dataclass(frozen=True)
class SearchField:
    name: str
    weight: float  # bm25 column weight (SQLite)
    letter: str  # tsvector weight, A (highest) to D (PostgreSQL)


@dataclass(frozen=True)
class Related:
    """Rows of another model whose save or delete changes what an index holds."""

    model: str  # "app_label.ModelName"
    ids: Callable[[Any], Iterable[int]]  # the indexed rows an instance of it affects
    fields: frozenset[str] = frozenset()  # only changes of these fields matter (empty: any save)


@dataclass(frozen=True)
class Table:
    """An index's table, as the backends see it (one column per field, then the parts)."""

    name: str
    columns: tuple[str, ...]
    weights: tuple[float, ...]
    letters: tuple[str, ...]


@dataclass
class Hit:
    obj: Any
    score: float
    title: str  # HTML: the words marked
    snippet: str  # HTML: the words marked
    url: str = ""


@dataclass
class Panel:
    """Something another app shows on an index's tab (the expert finder on the people tab)."""

    template: str
    context: Callable[[Any, str], dict[str, Any]]  # (user, query) -> template context


class Index:
    model: ClassVar[type[Model]]
    key: ClassVar[str]  # the tab and API name: "items", "people", "orgs", "plans"
    label: ClassVar[Any]  # the tab's label (lazy translation)
    table_name: ClassVar[str]  # the index table, "search_<something>"
    fields: ClassVar[tuple[SearchField, ...]]
    text_fields: ClassVar[frozenset[str]] = frozenset()
    related: ClassVar[tuple[Related, ...]] = ()
    m2m: ClassVar[tuple[str, ...]] = ()  # many-to-many fields of the model that are indexed
    template: ClassVar[str] = "search/hit.html"  # how one hit is shown on the search page
    order: ClassVar[tuple[Any, ...]] = ("-pk",)  # ties after the score
    dated: ClassVar[bool] = False  # `order` is by date: the user may sort by it ("newest first")
    position: ClassVar[int] = 100  # the tab's place (lower first)
    suggests: ClassVar[bool] = False  # the first field offered while typing (titles, names)
    empty_text: ClassVar[Any] = _("Nothing you may see matches. Try fewer or other words.")
    results_heading: ClassVar[Any] = ""
    filter_labels: ClassVar[
        dict[str, Any]
    ] = {}  # each filter's label (lazy translation)  # above the results when a panel stands beside them
    panels: list[Panel]

    def __init__(self) -> None:
        self.panels = []

    @property
    def table(self) -> Table:
        return Table(
            self.table_name,
            (*(f.name for f in self.fields), "parts"),
            (*(f.weight for f in self.fields), PARTS_WEIGHT),
            (*(f.letter for f in self.fields), "D"),
        )

    def documents(self, pks: Sequence[int], *, raw: bool) -> list[tuple[int, list[str], str | None]]:
        """(pk, the text of each field, the plain text for substring search when `raw`) of the
        rows that exist among `pks`, in pk order."""
        raise NotImplementedError

    def visible(self, user: Any, filters: dict[str, str]) -> QuerySet[Any]:
        raise NotImplementedError

    def filters(self, data: Any) -> dict[str, str]:
        """The tab's filters from a query dict (unknown ones dropped)."""
        return {}

    def problems(self, filters: dict[str, str]) -> list[str]:
        """What is wrong with the filters, in the user's language (such a search finds nothing)."""
        return []

    def hit(self, obj: Any, score: float, words: Sequence[str]) -> Hit:
        raise NotImplementedError

    def page(self, pks: Sequence[int]) -> dict[int, Any]:
        """The rows of a result page, by pk (with what `hit` and the template need)."""
        return self.model._default_manager.in_bulk(list(pks))

    def facets(self, user: Any, parsed: Any, found: Any, filters: dict[str, str]) -> dict[str, Any]:
        """Counts by filter over the matches (`found.qs`; knowledge has them)."""
        return {}

    def suggest_more(self, user: Any, typed: str, limit: int) -> list[Any]:
        """What else the suggestions while typing offer besides the first field (tags)."""
        return []

    def ids_all(self) -> QuerySet[Any]:
        """Every row the index holds (a rebuild)."""
        return self.model._default_manager.all()


_indexes: dict[str, Index] = {}
_by_model: dict[type[Model], Index] = {}


def register(index: Index) -> Index:
    """Declare an index (from the app's `search.py`); registering the same key again replaces it."""
    old = _indexes.get(index.key)
    if old is not None:
        _by_model.pop(old.model, None)
        index.panels = old.panels
    _indexes[index.key] = index
    _by_model[index.model] = index
    return index


def unregister(key: str) -> None:
    index = _indexes.pop(key, None)
    if index is not None:
        _by_model.pop(index.model, None)


def add_panel(key: str, panel: Panel) -> None:
    """Show `panel` on the tab of index `key` (once, however often it is added)."""
    index = _indexes[key]
    if all(p.template != panel.template for p in index.panels):
        index.panels.append(panel)


def indexes() -> list[Index]:
    """Every index, in the tabs' order."""
    return sorted(_indexes.values(), key=lambda i: (i.position, i.key))


def get(key: str) -> Index:
    return _indexes[key]


def find(key: str) -> Index | None:
    return _indexes.get(key)


def for_model(model: type[Model]) -> Index | None:
    return _by_model.get(model)


def by_label(label: str) -> Index:
    """The index of `app_label.model` (as `platu_reindex` names it) or of a key ("items")."""
    if label in _indexes:
        return _indexes[label]
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError) as exc:
        raise KeyError(label) from exc
    found = _by_model.get(model)
    if found is None:
        raise KeyError(label)
    return found


def tables() -> list[Table]:
    return [index.table for index in _indexes.values()]


def autodiscover() -> None:
    autodiscover_modules("search")


def problems() -> list[tuple[str, str]]:
    """(index key, what is wrong) for each badly declared index (the system check)."""
    out: list[tuple[str, str]] = []
    names: set[str] = set()
    for key, index in _indexes.items():
        table = getattr(index, "table_name", "")
        if not isinstance(table, str) or not _NAME.fullmatch(table):
            out.append((key, f"table_name {table!r} is not a lower-case SQL name"))
        elif table in names:
            out.append((key, f"table_name {table!r} is used by another index"))
        names.add(str(table))
        fields = getattr(index, "fields", ())
        if not fields:
            out.append((key, "declares no fields"))
        seen: set[str] = set()
        for f in fields:
            if not _NAME.fullmatch(f.name) or f.name in ("parts", "rowid", "rank") or f.name in seen:
                out.append((key, f"field name {f.name!r} is not a unique SQL name (nor parts, rowid, rank)"))
            seen.add(f.name)
            if not f.weight > 0:
                out.append((key, f"field {f.name!r} has weight {f.weight!r}: it must be positive"))
            if f.letter not in ("A", "B", "C", "D"):
                out.append((key, f"field {f.name!r} has letter {f.letter!r}: it must be A, B, C or D"))
        model_fields = {f.name for f in index.model._meta.get_fields()}
        for name in (*index.text_fields, *index.m2m):
            if name not in model_fields and name.removesuffix("_id") not in model_fields:
                out.append((key, f"{index.model.__name__} has no field {name!r}"))
        for related in index.related:
            try:
                apps.get_model(related.model)
            except (LookupError, ValueError):
                out.append((key, f"related model {related.model!r} does not exist"))
        if type(index).documents is Index.documents or type(index).visible is Index.visible:
            out.append((key, "must define documents() and visible()"))
        if type(index).hit is Index.hit:
            out.append((key, "must define hit()"))
    return out
