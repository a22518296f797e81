"""The awards' daily job: programmes whose nominations have closed move to scoring, and the
committee members who have not finished scoring are reminded three days before the scoring
deadline and on the day (in-app and by e-mail through the task queue)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from platu.core.housekeeping import register

REMIND_BEFORE = (3, 0)  # days before the scoring deadline


@register("awards.reminders")
def remind() -> str:
    from platu.awards import actions, scoring
    from platu.awards.models import Programme
    from platu.lib import thaidate
    from platu.notify.send import notify

    today = timezone.localdate()
    closed = 0
    for programme in Programme.objects.filter(state=Programme.State.OPEN, nominations_close__lt=today):
        actions.close_if_due(programme)
        closed += 1
    days = [today + dt.timedelta(days=n) for n in REMIND_BEFORE]
    count = 0
    for programme in (
        Programme.objects.filter(state=Programme.State.SCORING, scoring_deadline__in=days)
        .exclude(reminded_on=today)
        .select_related("organisation")
    ):
        if not Programme.objects.filter(pk=programme.pk).exclude(reminded_on=today).update(reminded_on=today):
            continue
        matrix = scoring.build(programme)
        late = [p.user for p in matrix.scorers if not matrix.finished.get(p.pk) and p.user is not None]
        notify(late, kind="awards.reminder", url=programme.get_absolute_url() + "scores/",
               text=_("Please finish scoring the nominations for %(title)s by %(due)s.")
               % {"title": programme.title, "due": thaidate.format_date(programme.scoring_deadline, "medium")})  # fmt: skip
        count += len(late)
    return f"{closed} award programme(s) closed for nominations, {count} scoring reminder(s) sent"
