"""GET /api/v1/search: what the caller may see, as JSON (knowledge by default; `kind` names
another registered index: people, orgs, plans)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from platu.search import registry, service
from platu.search.query import MAX_QUERY_CHARS

router = Router(tags=["search"])
MAX_QUERY_BYTES = MAX_QUERY_CHARS * 20


class SearchParams(Schema):
    q: str = ""
    kind: str = "items"
    sort: str = "relevance"  # or "newest" (knowledge: the most recently published first)
    limit: int = 20
    offset: int = 0


class SearchHit(Schema):
    id: int
    external_id: str | None
    title: str
    score: float
    snippet: str
    url: str


class SearchResult(Schema):
    query: str
    kind: str
    total: int
    more: bool
    mode: str
    message: str
    results: list[SearchHit]


class Problem(Schema):
    detail: str


@router.get(
    "",
    response={200: SearchResult, 400: Problem},
    summary="Search what the caller may read (knowledge items unless `kind` says otherwise)",
)
def search(request: HttpRequest, params: Query[SearchParams]) -> SearchResult:
    if len(params.q) > MAX_QUERY_BYTES:
        raise HttpError(400, "The query is too long.")
    index = registry.find(params.kind)
    if index is None:
        raise HttpError(400, f"Unknown kind; one of: {', '.join(i.key for i in registry.indexes())}.")
    limit = max(1, min(params.limit, 100))
    offset = max(0, min(params.offset, 10_000))
    if params.sort not in ("relevance", "newest"):
        raise HttpError(400, "Unknown sort; one of: relevance, newest.")
    results = service.search(
        index,
        request.user,
        params.q,
        offset=offset,
        limit=limit,
        facets=False,
        newest=params.sort == "newest",
    )
    if results.parsed.error:
        raise HttpError(400, results.parsed.error)
    return SearchResult(
        query=results.parsed.text,
        kind=index.key,
        total=results.total,
        more=results.more,
        mode=results.mode,
        message=results.message,
        results=[
            SearchHit(
                id=hit.obj.pk,
                external_id=getattr(hit.obj, "external_id", None) or None,
                title=_plain(hit.title),
                score=round(hit.score, 6),
                snippet=str(hit.snippet),
                url=hit.url,
            )
            for hit in results.hits
        ],
    )


def _plain(html: str) -> str:
    from html import unescape

    from django.utils.html import strip_tags

    return unescape(strip_tags(str(html)))
