"""The monitoring daily job: remind the responsible people of entries not yet made, three days
before a round's due date and on the day (in-app and by e-mail through the task queue)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from platu.core.housekeeping import register

REMIND_BEFORE = (3, 0)  # days before the due date


@register("tracking.reminders")
def remind() -> str:
    from platu.lib import thaidate
    from platu.notify.send import notify
    from platu.tracking.models import ActivityOwner, Entry, Round

    today = timezone.localdate()
    days = [today + dt.timedelta(days=n) for n in REMIND_BEFORE]
    count = 0
    for row in (
        Round.objects.filter(state=Round.State.OPEN, due_date__in=days)
        .exclude(reminded_on=today)
        .select_related("plan__organisation")
    ):
        if not Round.objects.filter(pk=row.pk).exclude(reminded_on=today).update(reminded_on=today):
            continue
        missing = Entry.objects.filter(round=row, entered_by__isnull=True).values("activity_id")
        owners = ActivityOwner.objects.filter(activity_id__in=missing).select_related("person__user")
        users = [o.person.user for o in owners if o.person.user is not None]
        notify(users, kind="tracking.reminder", url=row.get_absolute_url(),
               text=_("Progress of your KM plan activities is due on %(due)s (%(round)s).")
               % {"due": thaidate.format_date(row.due_date, "medium"), "round": row.get_months_display()})  # fmt: skip
        count += len({u.pk for u in users})
    return f"{count} monitoring reminder(s) sent"
