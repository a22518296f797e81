"""What goes into the index for each kind of document, and keeping it current."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Prefetch, QuerySet

from platu.knowledge.models import Attachment, Item
from platu.orgs.models import Person
from platu.search.backends import ITEMS, PEOPLE, Table, get_backend
from platu.search.segment import Segmenter, get_segmenter, normalise

RAW_CHARS = 20_000  # substring (trigram) search covers the start of each document
BATCH = 500
Row = tuple[int, list[str], str]


def _row(segmenter: Segmenter, rowid: int, fields: list[str], raw: str | None) -> Row:
    texts: list[str] = []
    parts: dict[str, None] = {}
    for text in fields:
        words, field_parts = segmenter.index_text(text)
        texts.append(words)
        parts.update(dict.fromkeys(field_parts))
    texts.append(" ".join(parts))
    return rowid, texts, normalise(raw[:RAW_CHARS]) if raw else ""


def item_row(segmenter: Segmenter, item: Item, *, raw: bool = True) -> Row:
    """raw: also the plain text for substring search (only the PostgreSQL backend keeps it)."""
    tags = " ".join(t.name for t in item.tags.all())
    summary = "\n".join(x for x in (item.summary, tags, item.category.name if item.category else "") if x)
    files = "\n".join(a.text for a in item.attachments.all() if a.text)
    text = "\n".join((item.title, item.summary, tags, item.body_text)) if raw else None
    return _row(segmenter, item.pk, [item.title, summary, item.body_text, files], text)


def person_row(segmenter: Segmenter, person: Person, *, raw: bool = True) -> Row:
    name = f"{person.title} {person.first_name} {person.last_name}"
    orgs = " ".join(m.organisation.name_th for m in person.memberships.all())
    position = f"{person.position}\n{orgs}"
    text = f"{name}\n{person.position}" if raw else None
    return _row(segmenter, person.pk, [name, position, person.expertise], text)


def _items(qs: QuerySet[Item]) -> QuerySet[Item]:
    # The HTML body is not indexed (its text is in body_text).
    return (
        qs.defer("body")
        .select_related("category")
        .prefetch_related(
            "tags", Prefetch("attachments", queryset=Attachment.objects.only("id", "item_id", "text"))
        )
    )


def _people(qs: QuerySet[Person]) -> QuerySet[Person]:
    return qs.prefetch_related("memberships__organisation")


def _batches(qs: QuerySet[Any], size: int | None = None) -> Iterator[list[Any]]:
    size = size or BATCH
    last = 0
    while True:
        chunk = list(qs.filter(pk__gt=last).order_by("pk")[:size])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def _index(table: Table, batches: Iterator[list[Any]], row: Callable[[Any], Row]) -> int:
    """Segment and write batch after batch. With more than one batch (a rebuild, an import) the
    next batch is segmented while the previous one is written: the write runs in a helper
    thread on this thread's own connection and transaction (never two statements at once:
    each batch is read before the previous write starts and the write is joined before the
    next read), so the database's work and Python's overlap on two cores."""
    backend = get_backend()
    conn = connections[DEFAULT_DB_ALIAS]
    first = next(batches, None)
    if first is None:
        return 0
    rows = [row(x) for x in first]
    second = next(batches, None)
    if second is None:
        backend.upsert(table, rows)
        return len(rows)
    n = 0
    bulk = backend.begin_bulk(conn)
    conn.inc_thread_sharing()
    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="platu-index") as pool:
            chunk: list[Any] | None = second
            while chunk is not None:
                writing = pool.submit(backend.upsert, table, rows, conn)
                n += len(rows)
                rows = [row(x) for x in chunk]
                writing.result()
                chunk = next(batches, None)
            backend.upsert(table, rows, conn)
            n += len(rows)
    finally:
        conn.dec_thread_sharing()
    if bulk:
        backend.end_bulk(table, conn)
    return n


def index_items(ids: Iterable[int] | None = None, *, segmenter: Segmenter | None = None) -> int:
    segmenter = segmenter or get_segmenter()
    raw = get_backend().keeps_raw
    qs = Item.objects.all() if ids is None else Item.objects.filter(pk__in=list(ids))
    return _index(ITEMS, _batches(_items(qs)), lambda item: item_row(segmenter, item, raw=raw))


def index_people(ids: Iterable[int] | None = None, *, segmenter: Segmenter | None = None) -> int:
    segmenter = segmenter or get_segmenter()
    raw = get_backend().keeps_raw
    qs = Person.objects.all() if ids is None else Person.objects.filter(pk__in=list(ids))
    return _index(PEOPLE, _batches(_people(qs)), lambda person: person_row(segmenter, person, raw=raw))


def unindex_items(ids: Iterable[int]) -> None:
    get_backend().delete(ITEMS, ids)


def unindex_people(ids: Iterable[int]) -> None:
    get_backend().delete(PEOPLE, ids)


def reindex_all(*, stdout: Any = None) -> dict[str, Any]:
    """Rebuild every index with the current dictionary (the organisations' terms applied)."""
    from django.db import transaction
    from django.utils import timezone

    from platu.search.models import IndexRun, SearchTerm

    started = time.perf_counter()
    segmenter = get_segmenter(refresh=True)
    backend = get_backend()
    run = IndexRun.objects.create(terms=SearchTerm.objects.count())
    with transaction.atomic():
        backend.clear(ITEMS)
        backend.clear(PEOPLE)
        items = index_items(segmenter=segmenter)
        people = index_people(segmenter=segmenter)
    backend.optimize()
    run.items, run.people = items, people
    run.seconds = time.perf_counter() - started
    run.finished_at = timezone.now()
    run.save()
    return {"items": items, "people": people, "seconds": run.seconds, "terms": run.terms}
