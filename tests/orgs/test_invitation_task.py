"""Invitation e-mails go through the task queue (issue 16, part 23)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.core import mail
from django.core.management import call_command
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
    assert DBTaskResult.objects.filter(task_path__endswith="send_invitation").count() == 1
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [m.to for m in mail.outbox] == [["suda.r@example.go.th"]]
