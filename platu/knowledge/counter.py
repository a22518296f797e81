"""Item views, counted once per viewer per item per day, without a database write in
the request path: views are buffered in the process and written in batches by a
background thread (and at exit). Losing a few seconds of counts in a crash is
accepted; never slowing a page is not negotiable.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import logging
import os
import threading
import time
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone

log = logging.getLogger(__name__)

_lock = threading.Lock()
_buffer: set[tuple[int, str, str, str]] = set()  # (item, day, viewer, channel)
_thread: threading.Thread | None = None
_thread_pid = 0
_last_daily = ""


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
    day = timezone.localdate().isoformat()
    with _lock:
        _buffer.add((item_id, day, viewer_key(request), channel))
    _ensure_thread()


def pending() -> int:
    with _lock:
        return len(_buffer)


def flush() -> int:
    """Write buffered views; returns how many rows were new."""
    from platu.knowledge.models import Item, ItemView

    with _lock:
        batch = list(_buffer)
        _buffer.clear()
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


def daily() -> None:
    """Once a day per process: mark items due for review."""
    global _last_daily
    today = timezone.localdate().isoformat()
    if _last_daily == today:
        return
    from platu.knowledge.workflow import mark_stale

    mark_stale()
    _last_daily = today


def _run() -> None:
    interval = max(1, settings.PLATU_VIEW_FLUSH_SECONDS)
    while True:
        time.sleep(interval)
        try:
            close_old_connections()
            flush()
            daily()
        except Exception:  # keep counting through a transient database error
            log.exception("view counter flush failed")
        finally:
            connection.close()


def _ensure_thread() -> None:
    global _thread, _thread_pid
    if not settings.PLATU_HOUSEKEEPING_THREAD:
        return
    pid = os.getpid()
    if _thread is not None and _thread_pid == pid and _thread.is_alive():
        return
    with _lock:
        if _thread is not None and _thread_pid == pid and _thread.is_alive():
            return
        _thread_pid = pid
        _thread = threading.Thread(target=_run, name="platu-housekeeping", daemon=True)
        _thread.start()


def _at_exit(*_args: Any) -> None:
    if not pending():
        return
    with contextlib.suppress(Exception):  # the database (or logging) may be gone at exit
        flush()


atexit.register(_at_exit)
