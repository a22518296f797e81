"""The communities' daily job: remind members of tomorrow's sessions (in-app, and by e-mail
through the task queue), once per session."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from platu.core.housekeeping import register


@register("communities.reminders")
def remind() -> str:
    from platu.communities.models import Member, Rsvp, Session
    from platu.notify.send import notify

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    start = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time.min))
    end = start + dt.timedelta(days=1)
    count = 0
    for session in Session.objects.filter(starts_at__gte=start, starts_at__lt=end, reminded_at__isnull=True,
                                          state=Session.State.SCHEDULED).select_related("community"):  # fmt: skip
        with transaction.atomic():
            if not Session.objects.filter(pk=session.pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            ):
                continue
            declined = set(
                Rsvp.objects.filter(session=session, answer=Rsvp.Answer.NO).values_list(
                    "person_id", flat=True
                )
            )
            if session.series_id:
                declined |= set(
                    Rsvp.objects.filter(series_id=session.series_id, answer=Rsvp.Answer.NO)
                    .exclude(person__in=Rsvp.objects.filter(session=session).values("person_id"))
                    .values_list("person_id", flat=True)
                )
            members = (Member.objects.filter(community=session.community, state=Member.State.MEMBER)
                       .exclude(person_id__in=declined).select_related("person__user"))  # fmt: skip
            local = timezone.localtime(session.starts_at)
            notify([m.person.user for m in members if m.person.user], kind="community.reminder",
                   url=session.get_absolute_url(),
                   text=_("Tomorrow at %(time)s: %(title)s (%(community)s)")
                   % {"time": local.strftime("%H:%M"), "title": session.title, "community": session.community.name})  # fmt: skip
            count += 1
    return f"{count} session reminder(s) sent"
