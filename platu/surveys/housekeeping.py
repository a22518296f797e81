"""The surveys' daily jobs: invite the audience when a survey's opening day comes, remind those
who have not answered two days before it closes (once), and close it after its closing day."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from platu.core.housekeeping import register

REMIND_DAYS = 2


@register("surveys.invitations")
def invite() -> str:
    from platu.surveys.actions import invite_newcomers, send_invitations
    from platu.surveys.models import Survey

    today = timezone.localdate()
    due = Survey.objects.filter(state=Survey.State.OPEN, invited_at__isnull=True, opens_on__lte=today,
                                closes_on__gte=today).select_related("organisation", "audience_org")  # fmt: skip
    people = sum(send_invitations(s) for s in due)
    running = Survey.objects.filter(state=Survey.State.OPEN, invited_at__isnull=False, opens_on__lte=today,
                                    closes_on__gte=today).select_related("organisation", "audience_org")  # fmt: skip
    people += sum(invite_newcomers(s) for s in running)
    return f"{people} survey invitation(s) sent"


@register("surveys.reminders")
def remind() -> str:
    from platu.surveys.actions import remind as remind_survey
    from platu.surveys.models import Survey

    today = timezone.localdate()
    midnight = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    due = Survey.objects.filter(state=Survey.State.OPEN, reminded_at__isnull=True, opens_on__lte=today,
                                closes_on__gte=today, closes_on__lte=today + dt.timedelta(days=REMIND_DAYS),
                                invited_at__lt=midnight)  # not on the day they were invited  # fmt: skip
    people = sum(remind_survey(s) for s in due)
    return f"{people} survey reminder(s) sent"


@register("surveys.close")
def close() -> str:
    from platu.lib.errors import InvalidAction
    from platu.surveys.actions import close_survey
    from platu.surveys.models import Survey

    today = timezone.localdate()
    count = 0
    for survey in Survey.objects.filter(state=Survey.State.OPEN, closes_on__lt=today).select_related(
        "organisation"
    ):
        try:
            close_survey(survey)
        except InvalidAction:  # closed meanwhile
            continue
        count += 1
    return f"{count} survey(s) closed"
