"""The router notify() calls (platu/notify/routing.py): each person's choice per kind of
notification. Not in the app: the notification is made already read. By LINE (when linked; else by e-mail): a Delivery, sent
by the task queue after the commit, or kept for the daily digest."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from platu.line.kinds import kind_of
from platu.line.models import Delivery, Digest, Link, Preference
from platu.notify.models import Notification


def route(created: list[Notification], email: bool) -> list[int]:
    users = {n.recipient_id for n in created}
    prefs = {(p.user_id, p.kind): p for p in Preference.objects.filter(user_id__in=users)}
    linked = set(Link.objects.filter(user_id__in=users).values_list("user_id", flat=True))
    daily = set(Digest.objects.filter(user_id__in=users, daily=True).values_list("user_id", flat=True))
    to_email: list[int] = []
    read: list[int] = []
    deliveries: list[Delivery] = []
    for note in created:
        pref = prefs.get((note.recipient_id, kind_of(note.kind)))
        if pref is not None and not pref.in_app:
            read.append(note.pk)
        by_line = pref is not None and pref.line and note.recipient_id in linked
        # LINE chosen but not linked (yet, or any more): e-mail instead, so nothing is lost.
        if email and (pref is None or pref.email or (pref.line and not by_line)):
            to_email.append(note.pk)
        if email and by_line:
            state = Delivery.State.DIGEST if note.recipient_id in daily else Delivery.State.PENDING
            deliveries.append(Delivery(notification=note, user_id=note.recipient_id, state=state))
    if read:
        Notification.objects.filter(pk__in=read).update(read_at=timezone.now())
    now_ids = [d.pk for d in Delivery.objects.bulk_create(deliveries) if d.state == Delivery.State.PENDING]
    if now_ids:
        from platu.line.tasks import send_now

        transaction.on_commit(lambda: send_now(now_ids))
    return to_email
