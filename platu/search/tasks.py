"""Background work of the search module."""

from __future__ import annotations

from django_tasks import task

from platu.search import registry
from platu.search.indexer import reindex, update


@task()
def index_rows(key: str, pks: list[int]) -> int:
    """Index changed rows of index `key` (a large set, after its transaction committed)."""
    index = registry.find(key)
    if index is None:
        return 0
    return update(index, dict.fromkeys(pks, False))


@task()
def rebuild_index() -> dict[str, object]:
    return reindex()


@task()
def rebuild_impacts(table_name: str) -> bool:
    """SQLite: a new impact base for a large index once many rows changed since the last
    (impacts.py). PostgreSQL: the words' lists a bulk rebuild left to make (pgtopk.py)."""
    from django.db import connection

    from platu.search import impacts, pgtopk

    table = next((t for t in registry.tables() if t.name == table_name), None)
    if table is None:
        return False
    if connection.vendor == "postgresql":
        return pgtopk.build(table)
    return impacts.build(table)
