"""Invitation e-mails go through the task queue (issue 16, part 23)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.core import mail
from django.test import Client
from django.urls import reverse


def test_the_invitation_is_queued_and_sent_by_the_worker(
    world: SimpleNamespace, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = Client()
    client.force_login(world.owner.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("member_invite", args=[world.a.code]),
            {"title": "นาง", "first_name": "สุดา", "last_name": "รักเรียน", "email": "suda.r@example.go.th",
             "position": "ครู", "roles": ["member"]},
        )  # fmt: skip
    assert response.status_code == 302
    assert mail.outbox == []  # nothing sent inside the request
    queued = DBTaskResult.objects.get(task_path__endswith="send_invitation")
    # The worker's step (db_worker closes the database connection, which a test cannot share).
    assert queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"]) is True
    assert [m.to for m in mail.outbox] == [["suda.r@example.go.th"]]
