"""Keeping the figures current: saves and deletes of what the dashboards count are noted per
transaction (no query in the request) and handed to the task queue once, on commit
(`tasks.refresh_changes`), which finds the organisations and counts them again. With the
database worker the figures follow within seconds; with PLATU_TASKS=immediate the refresh runs
after the commit, in the request.

Writes that send no signal (bulk inserts, queryset updates: marking attendance for many people
at once, cancelling a session) are caught by `platu_refresh_dashboards` (cron) and the daily
housekeeping, which look at what was written or updated since.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from platu.lib import thaidate

logger = logging.getLogger(__name__)
_local = threading.local()

# What a note names: an organisation, or a row the task resolves to one.
KINDS = ("org", "item", "session", "community", "plan", "round")


class _Bucket:
    def __init__(self) -> None:
        self.notes: set[tuple[str, int, int | None]] = set()
        self.flushed = False

    def __call__(self) -> None:
        self.flushed = True
        notes, self.notes = sorted(self.notes, key=lambda n: (n[0], n[1], n[2] or 0)), set()
        if not notes:
            return
        from platu.dashboards.tasks import refresh_changes

        refresh_changes.enqueue([list(n) for n in notes])


def _bucket() -> _Bucket:
    """This transaction's bucket: a new one when the last was flushed or rolled back."""
    connection = connections[DEFAULT_DB_ALIAS]
    bucket: _Bucket | None = getattr(_local, "bucket", None)
    if (bucket is None or bucket.flushed
            or not any(hook[1] is bucket for hook in connection.run_on_commit)):  # fmt: skip
        bucket = _Bucket()
        _local.bucket = bucket
        transaction.on_commit(bucket, robust=True)
    return bucket


def note(kind: str, pk: Any, fiscal_year: int | None = None) -> None:
    if pk is None:
        return
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.in_atomic_block:
        _bucket().notes.add((kind, int(pk), fiscal_year))
        return
    bucket = _Bucket()
    bucket.notes.add((kind, int(pk), fiscal_year))
    try:
        bucket()
    except Exception:  # the save stands; the next cron run counts it
        logger.exception("Refreshing the dashboards failed")


def _years(*values: Any) -> list[int | None]:
    """The fiscal years of the dates given (None: the task takes the current one)."""
    years: list[int | None] = []
    for value in values:
        if isinstance(value, dt.datetime):
            years.append(thaidate.fiscal_year(timezone.localtime(value).date()))
        elif isinstance(value, dt.date):
            years.append(thaidate.fiscal_year(value))
    return years or [None]


def _item(sender: Any, instance: Any, **kw: Any) -> None:
    if kw.get("raw"):
        return
    for year in set(_years(instance.created_at, instance.published_at, instance.reviewed_at)):
        note("org", instance.organisation_id, year)


def _applied(sender: Any, instance: Any, **kw: Any) -> None:
    if not kw.get("raw"):
        note("item", instance.item_id, _years(instance.applied_on)[0])


def _attendance(sender: Any, instance: Any, **kw: Any) -> None:
    if not kw.get("raw"):
        note("session", instance.session_id)


def _session(sender: Any, instance: Any, **kw: Any) -> None:
    if not kw.get("raw"):
        note("community", instance.community_id, _years(instance.starts_at)[0])


def _plan(sender: Any, instance: Any, **kw: Any) -> None:
    if not kw.get("raw"):
        note("org", instance.organisation_id, instance.fiscal_year)


def _by_plan(sender: Any, instance: Any, **kw: Any) -> None:
    if not kw.get("raw"):
        note("plan", instance.plan_id)


def _by_round(sender: Any, instance: Any, **kw: Any) -> None:
    if not kw.get("raw"):
        note("round", instance.round_id)


def _response(sender: Any, instance: Any, **kw: Any) -> None:
    if not kw.get("raw") and instance.submitted_at is not None:
        note("org", instance.organisation_id, _years(instance.submitted_at)[0])


def connect() -> None:
    from platu.communities.models import Attendance, Session
    from platu.knowledge.models import AppliedReport, Item
    from platu.planning.models import Activity, Plan
    from platu.surveys.models import Response
    from platu.tracking.models import Entry, Round

    for model, handler in (
        (Item, _item),
        (AppliedReport, _applied),
        (Attendance, _attendance),
        (Session, _session),
        (Plan, _plan),
        (Activity, _by_plan),
        (Round, _by_plan),
        (Entry, _by_round),
        (Response, _response),
    ):
        for signal in (post_save, post_delete):
            signal.connect(
                handler,
                sender=model,
                weak=False,
                dispatch_uid=f"dashboards_{model.__name__}_{signal is post_save}",
            )
