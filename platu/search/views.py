"""The search page: one box, a tab for each registered index (knowledge, people, organisations,
plans, ...) with its count; the open tab filters and pages on its own. Suggestions while typing."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from platu.search import registry, service
from platu.search.query import MAX_QUERY_CHARS

PAGE_SIZE = 20


@dataclass
class Page:
    """Enough of Django's Page for includes/qpager.html."""

    number: int
    num_pages: int

    @property
    def paginator(self) -> Page:
        return self

    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


@dataclass
class Tab:
    key: str
    label: str
    count: int
    more: bool = False


def _tab(index: registry.Index, found: int) -> Tab:
    most = service.count_max()
    return Tab(index.key, str(index.label), min(found, most), found > most)


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 500))
    except ValueError:
        return 1


def _facet_groups(
    request: HttpRequest, index: registry.Index, results: service.Results
) -> list[tuple[str, str, list[Any]]]:
    """(name, label, facets) with each facet's link to choose it or to drop it."""
    labels = index.filter_labels
    groups = []
    for name, values in results.facets.items():
        for facet in values:
            query = request.GET.copy()
            query.pop("page", None)
            if facet.selected:
                query.pop(name, None)
            else:
                query[name] = facet.value
            facet.url = "?" + query.urlencode()
        if values:
            groups.append((name, str(labels.get(name, name)), values))
    return groups


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "")[: MAX_QUERY_CHARS * 2]
    indexes = registry.indexes()
    index = registry.find(request.GET.get("tab", "")) or indexes[0]
    number = _page_number(request)
    filters = index.filters(request.GET)
    newest = request.GET.get("sort") == "newest" and index.dated
    results = service.search(
        index, request.user, text, filters, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE, newest=newest
    )
    last = max(1, math.ceil(results.total / PAGE_SIZE))
    if number > last and results.total:  # a page past the end: the last page
        number = last
        results = service.search(
            index,
            request.user,
            text,
            filters,
            offset=(number - 1) * PAGE_SIZE,
            limit=PAGE_SIZE,
            newest=newest,
        )
    context: dict[str, Any] = {
        "query": text,
        "tab": index.key,
        "index": index,
        "filters": filters,
        "results": results,
        "parsed": results.parsed,
        "max_query": MAX_QUERY_CHARS,
        "newest": newest,
    }
    if not results.parsed.error:
        pages = max(1, math.ceil(results.total / PAGE_SIZE))
        context["page"] = Page(min(number, pages), pages)
        context["highlight"] = " ".join(results.parsed.words or results.parsed.raw_words)
        context["tabs"] = [
            Tab(i.key, str(i.label), results.total, results.more)
            if i is index
            else _tab(i, service.count(i, request.user, text))
            for i in indexes
        ]
        context["facet_groups"] = _facet_groups(request, index, results)
        panels = []
        for panel in index.panels:
            panels.append((panel.template, panel.context(request.user, text)))
        context["panels"] = panels
    return render(request, "search/page.html", context)


@login_required
@require_GET
def suggest(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "")[:MAX_QUERY_CHARS]
    found = service.suggest(request.user, text) if len(text.strip()) >= 1 else {}
    return render(request, "search/suggest.html", {"found": found, "query": text})
