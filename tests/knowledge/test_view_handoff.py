"""Views reach the database through the task queue, not through a thread of our own in every
web worker (issue 16, part 23)."""

from __future__ import annotations

import threading
from types import SimpleNamespace
from typing import Any

import pytest

from platu.knowledge import counter
from platu.knowledge.models import ItemView
from tests.knowledge.conftest import client_for, make_item, publish

pytestmark = pytest.mark.django_db


def test_a_full_batch_goes_to_the_worker_and_no_thread_starts(
    kw: SimpleNamespace, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.PLATU_VIEW_BATCH = 3
    counter.flush()
    item = publish(make_item(kw.member, kw.a), kw)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client_for(kw.member).get(f"/knowledge/{item.pk}/")
        client_for(kw.reviewers[0]).get(f"/knowledge/{item.pk}/")
        assert ItemView.objects.count() == 0
        client_for(kw.reviewers[1]).get(f"/knowledge/{item.pk}/")
    assert len(callbacks) == 1  # one hand-off for the batch of three
    assert ItemView.objects.filter(item=item).count() == 3  # written by the task (immediate backend here)
    assert counter.pending() == 0
    assert not [t for t in threading.enumerate() if t.name == "platu-housekeeping"]


def test_the_oldest_view_is_handed_on_after_the_flush_interval(
    kw: SimpleNamespace, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.PLATU_VIEW_FLUSH_SECONDS = 0
    counter.flush()
    item = publish(make_item(kw.member, kw.a), kw)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(kw.member).get(f"/knowledge/{item.pk}/")
    item.refresh_from_db()
    assert item.view_count == 1 and counter.pending() == 0


def test_the_database_backend_queues_the_batch(
    kw: SimpleNamespace, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.PLATU_VIEW_BATCH = 1
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    counter.flush()
    item = publish(make_item(kw.member, kw.a), kw)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(kw.member).get(f"/knowledge/{item.pk}/")
    assert ItemView.objects.count() == 0  # not in the request
    assert DBTaskResult.objects.filter(task_path__endswith="write_views").count() == 1
