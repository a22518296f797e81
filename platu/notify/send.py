"""``notify()``: the one way to tell people something happened."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from platu.notify.models import Notification
from platu.notify.routing import route


def notify(
    recipients: Iterable[Any],
    *,
    kind: str,
    text: str,
    url: str = "",
    actor: Any = None,
    email: bool = True,
) -> list[Notification]:
    """Create one notification per distinct active user (never the actor themself) and
    queue its e-mail after the transaction commits."""
    actor_id = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
    seen: set[int] = set()
    rows = []
    for user in recipients:
        if user is None or not user.is_active or user.pk in seen or user.pk == actor_id:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(recipient=user, actor_id=actor_id, kind=kind, text=text[:500], url=url[:500])
        )
    created = Notification.objects.bulk_create(rows)
    ids = route(created, email) if created else []  # the person's choices (platu/line/route.py)
    if ids:
        from platu.notify.tasks import email_notification

        def _enqueue() -> None:
            for pk in ids:
                email_notification.enqueue(pk)

        transaction.on_commit(_enqueue)
    return created
