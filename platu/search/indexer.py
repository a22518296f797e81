"""What goes into the index for each kind of document, and keeping it current."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet

from platu.knowledge.models import Attachment, Item
from platu.orgs.models import Person
from platu.search.backends import ITEMS, PEOPLE, get_backend
from platu.search.segment import Segmenter, get_segmenter, normalise

RAW_CHARS = 20_000  # substring (trigram) search covers the start of each document
BATCH = 500


def _row(segmenter: Segmenter, rowid: int, fields: list[str], raw: str) -> tuple[int, list[str], str]:
    texts: list[str] = []
    parts: dict[str, None] = {}
    for text in fields:
        words, field_parts = segmenter.index_text(text)
        texts.append(words)
        parts.update(dict.fromkeys(field_parts))
    texts.append(" ".join(parts))
    return rowid, texts, normalise(raw[:RAW_CHARS])


def item_row(segmenter: Segmenter, item: Item) -> tuple[int, list[str], str]:
    tags = " ".join(t.name for t in item.tags.all())
    summary = "\n".join(x for x in (item.summary, tags, item.category.name if item.category else "") if x)
    files = "\n".join(a.text for a in item.attachments.all() if a.text)
    raw = "\n".join((item.title, item.summary, tags, item.body_text))
    return _row(segmenter, item.pk, [item.title, summary, item.body_text, files], raw)


def person_row(segmenter: Segmenter, person: Person) -> tuple[int, list[str], str]:
    name = f"{person.title} {person.first_name} {person.last_name}"
    orgs = " ".join(m.organisation.name_th for m in person.memberships.all())
    position = f"{person.position}\n{orgs}"
    return _row(segmenter, person.pk, [name, position, person.expertise], f"{name}\n{person.position}")


def _items(qs: QuerySet[Item]) -> QuerySet[Item]:
    return qs.select_related("category").prefetch_related(
        "tags", Prefetch("attachments", queryset=Attachment.objects.only("id", "item_id", "text"))
    )


def _people(qs: QuerySet[Person]) -> QuerySet[Person]:
    return qs.prefetch_related("memberships__organisation")


def _batches(qs: QuerySet[Any], size: int = BATCH) -> Iterator[list[Any]]:
    last = 0
    while True:
        chunk = list(qs.filter(pk__gt=last).order_by("pk")[:size])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def index_items(ids: Iterable[int] | None = None, *, segmenter: Segmenter | None = None) -> int:
    segmenter = segmenter or get_segmenter()
    backend = get_backend()
    qs = Item.objects.all() if ids is None else Item.objects.filter(pk__in=list(ids))
    n = 0
    for chunk in _batches(_items(qs)):
        backend.upsert(ITEMS, [item_row(segmenter, item) for item in chunk])
        n += len(chunk)
    return n


def index_people(ids: Iterable[int] | None = None, *, segmenter: Segmenter | None = None) -> int:
    segmenter = segmenter or get_segmenter()
    backend = get_backend()
    qs = Person.objects.all() if ids is None else Person.objects.filter(pk__in=list(ids))
    n = 0
    for chunk in _batches(_people(qs)):
        backend.upsert(PEOPLE, [person_row(segmenter, p) for p in chunk])
        n += len(chunk)
    return n


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
    run.items, run.people = items, people
    run.seconds = time.perf_counter() - started
    run.finished_at = timezone.now()
    run.save()
    return {"items": items, "people": people, "seconds": run.seconds, "terms": run.terms}
