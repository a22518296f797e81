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
