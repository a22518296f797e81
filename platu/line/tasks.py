"""Sending by LINE through the task queue. A 429 (after its Retry-After) or a 5xx or no answer is
tried again later with a growing wait; after the last try, or on an answer that will not change
(the token revoked, the person blocked the account), the notifications go by e-mail instead."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from platu.line import client, crypto
from platu.line.models import Delivery, Link
from platu.notify.models import Notification

MAX_ATTEMPTS = 5
BACKOFF = [30, 120, 600, 1800]  # seconds before the 2nd, 3rd, … try (without a Retry-After)
MAX_WAIT = 3600


def send_now(delivery_ids: list[int]) -> None:
    """One push per delivery (the digest sends one for many)."""
    for pk in delivery_ids:
        push_line.enqueue([pk], str(uuid.uuid4()), 1)


def _link(value: str) -> str:
    return settings.PLATU_BASE_URL.rstrip("/") + value if value.startswith("/") else value


def compose(notes: list[Notification]) -> str:
    with override("th"):
        if len(notes) == 1:
            note = notes[0]
            return "\n".join(part for part in (note.text, _link(note.url)) if part)
        lines = [_("Platu: %(count)s notifications today") % {"count": len(notes)}]
        for note in notes:
            lines.append("• " + note.text + (f"\n  {_link(note.url)}" if note.url else ""))
        text = "\n".join(lines)
        if len(text) > client.TEXT_MAX:
            more = "\n… " + _link("/notifications/")
            text = text[: client.TEXT_MAX - len(more)] + more
        return text


def _fall_back(rows: list[Delivery], status: int, error: str) -> None:
    from platu.notify.tasks import email_notification

    Delivery.objects.filter(pk__in=[d.pk for d in rows]).update(
        state=Delivery.State.FELL_BACK, last_status=status, error=error[:300], next_attempt_at=None
    )
    for d in rows:
        email_notification.enqueue(d.notification_id)  # once: it skips a notification already e-mailed


@task()
def push_line(delivery_ids: list[int], retry_key: str, attempt: int) -> str:
    rows = list(
        Delivery.objects.filter(
            pk__in=delivery_ids, state__in=[Delivery.State.PENDING, Delivery.State.RETRYING]
        ).select_related("notification")
    )
    if not rows:
        return "nothing to send"
    user_id = rows[0].user_id
    link = Link.objects.filter(user_id=user_id).select_related("channel").first()
    if link is None:
        _fall_back(rows, 0, "not linked")
        return "not linked: e-mail"
    try:
        token = crypto.decrypt(link.channel.token_encrypted)
    except ValueError as exc:
        _fall_back(rows, 0, str(exc))
        return "channel unreadable: e-mail"
    ids = [d.pk for d in rows]
    try:
        client.push(token, link.line_user_id, compose([d.notification for d in rows]), retry_key)
    except client.LineError as exc:
        backend = push_line.get_backend()
        if exc.temporary and attempt < MAX_ATTEMPTS and backend.supports_defer:
            wait = exc.retry_after if exc.retry_after is not None else BACKOFF[min(attempt, len(BACKOFF)) - 1]
            run_after = timezone.now() + dt.timedelta(seconds=min(max(wait, 1), MAX_WAIT))
            Delivery.objects.filter(pk__in=ids).update(
                state=Delivery.State.RETRYING, attempts=attempt, last_status=exc.status,
                error=exc.message[:300], next_attempt_at=run_after,
            )  # fmt: skip
            push_line.using(run_after=run_after).enqueue(ids, retry_key, attempt + 1)
            return f"HTTP {exc.status}: again at {run_after.isoformat()}"
        Delivery.objects.filter(pk__in=ids).update(attempts=attempt)
        _fall_back(rows, exc.status, exc.message)
        return f"HTTP {exc.status}: e-mail"
    Delivery.objects.filter(pk__in=ids).update(
        state=Delivery.State.SENT, attempts=attempt, last_status=200, error="", sent_at=timezone.now(),
        next_attempt_at=None,
    )  # fmt: skip
    return f"sent {len(ids)}"
