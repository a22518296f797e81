"""GET /api/v1/search: the knowledge search, as JSON."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from platu.search.query import MAX_QUERY_CHARS
from platu.search.service import search_items

router = Router(tags=["search"])


class SearchParams(Schema):
    q: str = ""
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
    total: int
    more: bool
    mode: str
    message: str
    results: list[SearchHit]


@router.get("", response=SearchResult, summary="Search the knowledge the caller may read")
def search(request: HttpRequest, params: Query[SearchParams]) -> SearchResult:
    if len(params.q) > MAX_QUERY_CHARS * 20:
        raise HttpError(400, "The query is too long.")
    limit = max(1, min(params.limit, 100))
    offset = max(0, min(params.offset, 10_000))
    results = search_items(request.user, params.q, offset=offset, limit=limit, facets=False)
    if results.parsed.error:
        raise HttpError(400, results.parsed.error)
    return SearchResult(
        query=results.parsed.text,
        total=results.total,
        more=results.more,
        mode=results.mode,
        message=results.message,
        results=[
            SearchHit(
                id=hit.obj.pk,
                external_id=hit.obj.external_id or None,
                title=hit.obj.title,
                score=round(hit.score, 6),
                snippet=str(hit.snippet),
                url=hit.obj.get_absolute_url(),
            )
            for hit in results.hits
        ],
    )
