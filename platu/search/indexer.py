"""Writing the indexes: the rows the apps' indexes describe (registry.py), segmented (in worker
processes for bulk runs) and written by the backend; rebuilding one index or all."""

from __future__ import annotations

import logging
import multiprocessing
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import chain
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

from platu.search import registry
from platu.search.backends import forget_counts, get_backend
from platu.search.registry import Index, Table
from platu.search.segment import (
    Fields,
    Row,
    Segmenter,
    get_segmenter,
    segment_batch,
    segment_row,
    start_worker,
)

BATCH = 500
logger = logging.getLogger(__name__)


def _chunks(qs: QuerySet[Any], size: int | None = None) -> Iterator[list[int]]:
    """The primary keys of qs, in order, a batch at a time."""
    size = size or BATCH
    last = 0
    while True:
        pks = list(qs.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size])
        if not pks:
            return
        yield pks
        last = pks[-1]


def _id_chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    """The given primary keys, in order, a batch at a time (rows that no longer exist are left
    out when the batch is read)."""
    ordered = sorted(ids)
    for start in range(0, len(ordered), BATCH):
        yield ordered[start : start + BATCH]


def workers() -> int:
    """How many processes segment a bulk indexing (PLATU_INDEX_WORKERS; 0: this process)."""
    return max(0, int(getattr(settings, "PLATU_INDEX_WORKERS", 0)))


def _segment_here(segmenter: Segmenter, batch: list[Fields], letters: str = "") -> list[Row]:
    return [segment_row(segmenter, fields, letters) for fields in batch]


class _InProcess(Executor):
    """The pool's interface, segmenting in this process (no workers, or they failed)."""

    def __init__(self, segmenter: Segmenter) -> None:
        self.segmenter = segmenter

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(_segment_here(self.segmenter, *args))  # fn is segment_batch
        return future


def _pool(segmenter: Segmenter) -> Executor:
    count = workers()
    if count == 0 or multiprocessing.current_process().daemon:  # a daemon may not have children
        return _InProcess(segmenter)
    return ProcessPoolExecutor(
        max_workers=count,
        # spawn: a fresh interpreter, not a copy of this one's threads and database connections
        mp_context=multiprocessing.get_context("spawn"),
        initializer=start_worker,
        initargs=(segmenter.extra,),
    )


_shared: ContextVar[tuple[str, Executor] | None] = ContextVar("platu_index_pool", default=None)


@contextmanager
def bulk_indexing(segmenter: Segmenter | None = None) -> Iterator[Segmenter]:
    """Index many batches in a row (a rebuild, a benchmark) with one set of worker processes
    rather than starting them for each call."""
    segmenter = segmenter or get_segmenter()
    pool = _pool(segmenter)
    token = _shared.set((segmenter.name, pool))
    try:
        yield segmenter
    finally:
        _shared.reset(token)
        pool.shutdown(wait=True, cancel_futures=True)


def _index(
    table: Table,
    chunks: Iterator[list[int]],
    read: Callable[[list[int]], list[Fields]],
    segmenter: Segmenter,
    expected: int,
) -> int:
    """Segment and write batch after batch (about `expected` rows). With more than one batch
    (a rebuild, an import) worker processes segment the next batches while this process reads
    and writes."""
    backend = get_backend()
    letters = "".join(table.letters) if backend.vectors else ""
    first = next(chunks, None)
    if first is None:
        return 0
    second = next(chunks, None)
    if second is None:
        rows = _segment_here(segmenter, read(first), letters)
        backend.upsert(table, rows)
        return len(rows)
    conn = connections[DEFAULT_DB_ALIAS]
    with backend.writer(table, conn, expected) as write:
        return _index_batches(chain([first, second], chunks), read, segmenter, letters, write)


def _index_batches(
    chunks: Iterator[list[int]],
    read: Callable[[list[int]], list[Fields]],
    segmenter: Segmenter,
    letters: str,
    write: Callable[[list[Row]], None],
) -> int:
    n = 0
    shared = _shared.get()
    owned = shared is None or shared[0] != segmenter.name
    pool = _pool(segmenter) if owned or shared is None else shared[1]
    depth = max(2, workers() + 1)  # batches in flight: every worker busy and the next one read
    pending: deque[tuple[list[Fields], Future[list[Row]]]] = deque()

    def write_oldest() -> None:
        nonlocal n, pool
        batch, future = pending.popleft()
        try:
            rows = future.result()
        except BrokenProcessPool:
            # A worker could not start or died (for example the program's main module starts
            # work when imported): segment here, so the indexing still completes.
            if not isinstance(pool, _InProcess):
                logger.warning("Search indexing: the worker processes failed; segmenting in this process")
                pool.shutdown(wait=False, cancel_futures=True)
                pool = _InProcess(segmenter)
                if not owned:
                    _shared.set((segmenter.name, pool))
            rows = _segment_here(segmenter, batch, letters)
        write(rows)
        n += len(rows)

    try:
        for chunk in chunks:
            batch = read(chunk)
            pending.append((batch, pool.submit(segment_batch, batch, letters)))
            if len(pending) >= depth:
                write_oldest()
        while pending:
            write_oldest()
    finally:
        if owned:
            pool.shutdown(wait=True, cancel_futures=True)
    return n


def _targets(every: QuerySet[Any], ids: Iterable[int] | None) -> tuple[Iterator[list[int]], int]:
    """(the batches of primary keys to index, how many): the given ids, or every row."""
    if ids is None:
        return _chunks(every), every.count()
    wanted = set(ids)
    return _id_chunks(wanted), len(wanted)


def index_rows(index: Index, ids: Iterable[int] | None = None, *, segmenter: Segmenter | None = None) -> int:
    """Index the rows `ids` of `index` (every row when None); rows that no longer exist are
    skipped. Returns how many were written."""
    segmenter = segmenter or get_segmenter()
    raw = get_backend().keeps_raw
    chunks, expected = _targets(index.ids_all(), ids)
    return _index(index.table, chunks, lambda pks: index.documents(pks, raw=raw), segmenter, expected)


def unindex_rows(index: Index, ids: Iterable[int]) -> None:
    get_backend().delete(index.table, ids)


def update(index: Index, changes: dict[int, bool]) -> int:
    """Bring the index up to date for changed rows: the rows that exist are indexed, the others
    removed, whatever was noted of them (a delete noted in a transaction that rolled back left the
    row alive). Each row is written once."""
    alive = set(index.model._default_manager.filter(pk__in=list(changes)).values_list("pk", flat=True))
    gone = [pk for pk in changes if pk not in alive]
    if gone:
        unindex_rows(index, gone)
    return index_rows(index, alive) if alive else 0


def reindex(indexes: Iterable[Index] | None = None) -> dict[str, Any]:
    """Rebuild indexes (every one by default) with the current dictionary (the organisations'
    terms applied)."""
    from django.db import transaction
    from django.utils import timezone

    from platu.search.models import IndexRun, SearchTerm

    chosen = list(indexes) if indexes is not None else registry.indexes()
    started = time.perf_counter()
    segmenter = get_segmenter(refresh=True)
    backend = get_backend()
    run = IndexRun.objects.create(terms=SearchTerm.objects.count())
    counts: dict[str, int] = {}
    with transaction.atomic(), bulk_indexing(segmenter):
        for index in chosen:
            backend.clear(index.table)
            counts[index.key] = index_rows(index, segmenter=segmenter)
    backend.optimize([index.table for index in chosen])
    forget_counts()
    run.items = counts.get("items", 0)
    run.people = counts.get("people", 0)
    run.seconds = time.perf_counter() - started
    run.finished_at = timezone.now()
    run.save()
    return {**counts, "seconds": run.seconds, "terms": run.terms}


def reindex_all() -> dict[str, Any]:
    return reindex()
