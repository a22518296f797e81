"""A search reads its matches' visibility columns from the narrow covering index
`knowledge_item_reach` (SQLite is told to with INDEXED BY) instead of the items' rows, and
gives the same results either way."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.db import connection

from platu.knowledge.models import Item
from platu.knowledge.search import ITEM_INDEX, base_items, search_items
from platu.search import pending
from platu.search.backends import get_backend, narrowed
from platu.search.query import parse

Executed = list[tuple[str, Any]]


def _capture(executed: Executed) -> Callable[..., Any]:
    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        executed.append((sql, params))
        return execute(sql, params, many, context)

    return wrapper


def _probe(user: Any, text: str, filters: dict[str, str] | None = None) -> tuple[list[Any], Executed]:
    """The search's one pass over the matches, with the SQL as the database received it."""
    executed: Executed = []
    pending.flush()
    backend = get_backend()
    base = base_items(user.user, filters or {})
    matched = backend.match(base, ITEM_INDEX.table, backend.compile(parse(text)))
    # Registered inside the backend's own wrapper, so it sees the statement after the hint.
    with backend.narrow(Item), connection.execute_wrapper(_capture(executed)):
        rows = list(
            matched.order_by().extra(order_by=["-search_item.rowid"]).values_list("pk", "published_at")
        )
    return rows, executed


def _plan(sql: str, params: Any) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " ".join(str(row[-1]) for row in cursor.fetchall())


def test_the_probe_reads_the_covering_index_and_finds_the_same_items(sw: SimpleNamespace) -> None:
    rows, executed = _probe(sw.member, "สมุนไพร")
    # What the member may see: the published item, not the owner's private one or the draft.
    assert [pk for pk, _ in rows] == [sw.herbs.pk]
    [(sql, params)] = executed
    if connection.vendor != "sqlite":
        assert "INDEXED BY" not in sql  # PostgreSQL chooses its own plans
        return
    assert 'FROM "knowledge_item" INDEXED BY "knowledge_item_reach"' in sql
    # One seek a match, on its id (not one for each live state).
    assert "COVERING INDEX knowledge_item_reach (id=?)" in _plan(sql, params)
    # The owner sees the private item and the draft too, through the same index.
    owner_rows, _ = _probe(sw.owner, "สมุนไพร")
    assert {pk for pk, _ in owner_rows} == {sw.herbs.pk, sw.private.pk, sw.draft.pk}


def test_an_outsider_gets_nothing_private_through_the_index(sw: SimpleNamespace) -> None:
    rows, _ = _probe(sw.outsider, "สมุนไพร")
    assert rows == []
    results = search_items(sw.outsider.user, "สมุนไพร")
    assert results.total == 0 and results.hits == []


def test_a_filter_on_a_column_outside_the_index_reads_the_rows(sw: SimpleNamespace) -> None:
    """A fiscal-year filter needs created_at, which the index leaves out: no hint, same answer."""
    fy = search_items(sw.member.user, "สมุนไพร").facets["fy"][0].value
    rows, executed = _probe(sw.member, "สมุนไพร", {"fy": fy})
    assert [pk for pk, _ in rows] == [sw.herbs.pk]
    assert all("INDEXED BY" not in sql for sql, _params in executed)


def test_narrowed_rewrites_only_the_outer_table_and_only_when_covered() -> None:
    columns = {"id", "state", "owner_id"}
    covered = (
        'SELECT "knowledge_item"."id" FROM "knowledge_item" INNER JOIN "orgs_person" ON '
        '("knowledge_item"."owner_id" = "orgs_person"."id") , "search_item" WHERE '
        '"knowledge_item"."state" IN (%s) AND "knowledge_item"."id" IN '
        '(SELECT U0."id" FROM "knowledge_item" U0 WHERE U0."title" = %s)'
    )
    out = narrowed(covered, "knowledge_item", "knowledge_item_reach", columns)
    assert out.count("INDEXED BY") == 1
    assert out.startswith(
        'SELECT "knowledge_item"."id" FROM "knowledge_item" INDEXED BY "knowledge_item_reach" INNER'
    )
    assert 'FROM "knowledge_item" U0 WHERE' in out  # the subquery keeps its own plan
    uncovered = covered.replace('"knowledge_item"."state"', '"knowledge_item"."title"')
    assert narrowed(uncovered, "knowledge_item", "knowledge_item_reach", columns) == uncovered
