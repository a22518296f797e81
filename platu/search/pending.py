"""Keeping the indexes current: changed rows are collected per transaction and indexed once, on
commit.

Saving an item used to re-index it two or three times (the item, its tags, its attachments), a
submit re-indexed it though no text changed, and renaming an organisation re-indexed its members
inside the request. Now the signals only note which rows of which index changed (`note`); the
rows are indexed once when the transaction commits (outside a transaction: at once). A large
set (more than PLATU_SEARCH_INLINE_MAX rows) goes to the background worker instead.

A search in the same transaction first indexes what is pending (`flush`), so a user finds what
they have just saved, and a test (whose transaction never commits) sees its own rows.

A save that changes none of the model's `text_fields` (or, for a related model, none of the
fields the index names) leaves the index alone: each loaded instance remembers those fields'
values (`post_init`) and the save compares them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save

from platu.search import registry

logger = logging.getLogger(__name__)
_SEEN = "_search_seen"  # the attribute holding a loaded instance's watched values
_local = threading.local()


def _pending() -> dict[str, dict[int, bool]]:
    """{index key: {pk: deleted}} of this thread's changes not yet indexed."""
    if not hasattr(_local, "rows"):
        _local.rows = {}
    rows: dict[str, dict[int, bool]] = _local.rows
    return rows


def note(key: str, pks: Iterable[int], *, deleted: bool = False) -> None:
    """Rows of index `key` changed (or were deleted): index them once, on commit."""
    rows = _pending().setdefault(key, {})
    added = False
    for pk in pks:
        if pk is not None:
            rows[int(pk)] = deleted
            added = True
    if not added:
        return
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        # Registered for each change: a callback of a savepoint that rolls back is dropped, the
        # others find the rows already indexed by the first.
        transaction.on_commit(lambda: flush(background=True))
    else:
        flush(background=True)


def discard() -> None:
    """Forget what is pending (a test's rolled-back rows)."""
    _local.rows = {}


def flush(*, background: bool = False) -> int:
    """Index what is pending now: rows that still exist are indexed, the others removed.
    background: a large set goes to the worker (after a commit; never for a search)."""
    from platu.search import indexer

    rows = _pending()
    if not any(rows.values()):
        return 0
    taken = {key: dict(changes) for key, changes in rows.items() if changes}
    _local.rows = {}
    inline_max = int(getattr(settings, "PLATU_SEARCH_INLINE_MAX", 200))
    done = 0
    for key, changes in taken.items():
        index = registry.find(key)
        if index is None:
            continue
        if background and len(changes) > inline_max:
            from platu.search.tasks import index_rows

            pks = sorted(changes)
            transaction.on_commit(partial(index_rows.enqueue, key, pks))
            continue
        try:
            done += indexer.update(index, changes)
        except Exception:  # after a commit the save stands: keep the rows for the next flush
            logger.exception("Search indexing failed; the rows stay pending")
            pending = _pending().setdefault(key, {})
            for pk, deleted in changes.items():
                pending.setdefault(pk, deleted)
            if connections[DEFAULT_DB_ALIAS].in_atomic_block:
                raise
    return done


# -- signals ------------------------------------------------------------------------------------


def _remember(instance: Model, names: Iterable[str]) -> None:
    loaded = instance.__dict__
    setattr(instance, _SEEN, {n: loaded[n] for n in names if n in loaded})


def _changed(instance: Model, names: frozenset[str], update_fields: Any) -> bool:
    """Whether the save may have changed any of `names` (attnames)."""
    if not names:
        return True
    if update_fields is not None:
        return bool(names & (_attnames(type(instance), update_fields) | set(update_fields)))
    seen = getattr(instance, _SEEN, None)
    if seen is None:
        return True
    loaded = instance.__dict__
    return any(n in loaded and (n not in seen or seen[n] != loaded[n]) for n in names)


def _attnames(model: type[Model], names: Iterable[str]) -> frozenset[str]:
    out = set()
    for name in names:
        try:
            out.add(str(model._meta.get_field(name).attname))  # type: ignore[union-attr]
        except Exception:
            out.add(name)
    return frozenset(out)


class _Watch:
    """The handlers of one model: its own index, or the indexes it is related to."""

    def __init__(self, model: type[Model]) -> None:
        self.model = model
        self.own: registry.Index | None = None
        self.own_fields: frozenset[str] = frozenset()
        self.related: list[tuple[registry.Index, registry.Related, frozenset[str]]] = []

    @property
    def watched(self) -> frozenset[str]:
        names = set(self.own_fields)
        for _index, _rel, fields in self.related:
            names |= fields
        return frozenset(names)

    def initialised(self, sender: Any, instance: Model, **kw: Any) -> None:
        _remember(instance, self.watched)

    def saved(self, sender: Any, instance: Model, created: bool, raw: bool = False, **kw: Any) -> None:
        if raw:
            return
        update_fields = kw.get("update_fields")
        if self.own is not None and (created or _changed(instance, self.own_fields, update_fields)):
            note(self.own.key, [instance.pk])
        for index, rel, fields in self.related:
            if created or _changed(instance, fields, update_fields):
                note(index.key, rel.ids(instance))
        # What is now saved is what the next save compares with (only the saved fields).
        saved = self.watched if update_fields is None else self.watched & _attnames(self.model, update_fields)
        seen = getattr(instance, _SEEN, None)
        if seen is None or update_fields is None:
            _remember(instance, self.watched)
        else:
            seen.update({n: instance.__dict__[n] for n in saved if n in instance.__dict__})

    def deleted(self, sender: Any, instance: Model, **kw: Any) -> None:
        if self.own is not None:
            note(self.own.key, [instance.pk], deleted=True)
        for index, rel, _fields in self.related:
            note(index.key, rel.ids(instance))


def _m2m(index: registry.Index) -> Any:
    def changed(sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kw: Any) -> None:
        if action not in {"post_add", "post_remove", "post_clear"}:
            return
        if not reverse:
            note(index.key, [instance.pk])
        elif pk_set:
            note(index.key, pk_set)

    return changed


_connected: list[tuple[Any, Any, Any]] = []
_keep: list[Any] = []


def connect() -> None:
    """Connect the signals of every registered index (again: after a registration changes)."""
    disconnect()
    watches: dict[type[Model], _Watch] = {}
    for index in registry.indexes():
        watch = watches.setdefault(index.model, _Watch(index.model))
        watch.own = index
        watch.own_fields = _attnames(index.model, index.text_fields)
        for rel in index.related:
            model = apps.get_model(rel.model)
            related = watches.setdefault(model, _Watch(model))
            related.related.append((index, rel, _attnames(model, rel.fields)))
        for name in index.m2m:
            through = getattr(index.model, name).through
            handler = _m2m(index)
            _keep.append(handler)
            m2m_changed.connect(handler, sender=through, weak=False)
            _connected.append((m2m_changed, handler, through))
    for model, watch in watches.items():
        for signal, handler in ((post_save, watch.saved), (post_delete, watch.deleted)):
            signal.connect(handler, sender=model, weak=False)
            _connected.append((signal, handler, model))
        if watch.watched:
            post_init.connect(watch.initialised, sender=model, weak=False)
            _connected.append((post_init, watch.initialised, model))


def disconnect() -> None:
    while _connected:
        signal, handler, sender = _connected.pop()
        signal.disconnect(handler, sender=sender)
    _keep.clear()
