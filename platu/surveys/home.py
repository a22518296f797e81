"""The surveys module's panel on the home page: surveys waiting for my answer."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from platu.core.home import Entry, Panel, register
from platu.orgs import access as org_access
from platu.surveys.models import Invitation, Survey


@register
def panels(request: HttpRequest) -> list[Panel]:
    person = org_access.person_of(request.user)
    if person is None:
        return []
    today = timezone.localdate()
    waiting = (
        Invitation.objects.filter(person=person, answered=False, survey__state=Survey.State.OPEN,
                                  survey__opens_on__lte=today, survey__closes_on__gte=today)
        .select_related("survey__organisation").order_by("survey__closes_on")[:10]
    )  # fmt: skip
    return [
        Panel("surveys", _("Surveys waiting for my answer"),
              [Entry(i.survey.title, reverse("surveys:answer", args=[i.survey_id]),
                     note=_("closes on"), when=i.survey.closes_on) for i in waiting],
              order=12, urgent=True, more_url=reverse("surveys:mine"), more_label=_("My surveys")),
    ]  # fmt: skip
