"""Item views, counted once per viewer per item per day, without a database write in
the request path: views are buffered in the process and handed, in batches, to the
background worker (`write_views`, django-tasks) once the oldest is
PLATU_VIEW_FLUSH_SECONDS old or PLATU_VIEW_BATCH are waiting; what is left is written at
exit and by the housekeeping command. Losing a few seconds of counts in a crash is
accepted; never slowing a page is not negotiable. (No thread of our own in the web
workers: the task queue and the cron'd command do the work.)
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import logging
import threading
import time
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone

log = logging.getLogger(__name__)

_lock = threading.Lock()
_buffer: set[tuple[int, str, str, str]] = set()  # (item, day, viewer, channel)
_oldest = 0.0  # when the oldest buffered view came (time.monotonic)


def viewer_key(request: HttpRequest) -> str:
    """A stable key for 'one view per viewer per day': the user, or for anonymous
    readers of public items a hash of address and browser (never stored in clear)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        raw = f"u:{user.pk}"
    else:
        raw = "a:" + request.META.get("REMOTE_ADDR", "") + "|" + request.META.get("HTTP_USER_AGENT", "")[:200]
    return hashlib.sha256((str(settings.SECRET_KEY)[:16] + raw).encode()).hexdigest()[:40]


def record_view(request: HttpRequest, item_id: int, channel: str) -> None:
    global _oldest
    day = timezone.localdate().isoformat()
    now = time.monotonic()
    batch: list[tuple[int, str, str, str]] = []
    with _lock:
        if not _buffer:
            _oldest = now
        _buffer.add((item_id, day, viewer_key(request), channel))
        if len(_buffer) >= settings.PLATU_VIEW_BATCH or now - _oldest >= settings.PLATU_VIEW_FLUSH_SECONDS:
            batch = list(_buffer)
            _buffer.clear()
    if batch:
        _hand_off(batch)


def _hand_off(batch: list[tuple[int, str, str, str]]) -> None:
    """Queue the batch for the worker once the request's transaction commits (one row in the
    task table; the view rows and counters are written by the worker)."""
    from platu.knowledge.tasks import write_views

    rows = [list(row) for row in batch]
    transaction.on_commit(lambda: write_views.enqueue(rows))


def pending() -> int:
    with _lock:
        return len(_buffer)


def flush() -> int:
    """Write buffered views now; returns how many rows were new."""
    with _lock:
        batch = list(_buffer)
        _buffer.clear()
    return write(batch)


def write(batch: Iterable[tuple[int, str, str, str]]) -> int:
    """Store views (item, day, viewer, channel), once per viewer per item per day, and bring
    the items' counters up to date; returns how many rows were new."""
    from platu.knowledge.models import Item, ItemView

    batch = list(batch)
    if not batch:
        return 0
    items = {b[0] for b in batch}
    existing = set(Item.objects.filter(pk__in=items).values_list("pk", flat=True))
    rows = [ItemView(item_id=i, day=d, viewer=v, channel=c) for i, d, v, c in batch if i in existing]
    with transaction.atomic():
        before = ItemView.objects.filter(item_id__in=existing).count()
        ItemView.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
        counts = (
            ItemView.objects.filter(item=OuterRef("pk"))
            .order_by()
            .values("item")
            .annotate(n=Count("pk"))
            .values("n")
        )
        Item.objects.filter(pk__in=existing).update(view_count=Coalesce(Subquery(counts), 0))
        after = ItemView.objects.filter(item_id__in=existing).count()
    return after - before


def _at_exit(*_args: Any) -> None:
    if not pending():
        return
    with contextlib.suppress(Exception):  # the database (or logging) may be gone at exit
        flush()


atexit.register(_at_exit)
