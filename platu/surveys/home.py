"""The surveys module's panels on the home page: surveys waiting for my answer, and for the KM team
the surveys of the organisations they manage (drafts to open, surveys taking answers)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from platu.core.home import Entry, Panel, register
from platu.orgs import access as org_access
from platu.surveys import access
from platu.surveys.models import Invitation, Survey


@register
def panels(request: HttpRequest) -> list[Panel]:
    person = org_access.person_of(request.user)
    if person is None:
        return []
    today = timezone.localdate()
    waiting = (
        Invitation.objects.filter(
            person=person,
            answered=False,
            survey__state=Survey.State.OPEN,
            survey__opens_on__lte=today,
            survey__closes_on__gte=today,
        )
        .select_related("survey__organisation")
        .order_by("survey__closes_on")[:10]
    )
    out = [
        Panel(
            "surveys",
            _("Surveys waiting for my answer"),
            [
                Entry(
                    i.survey.title,
                    reverse("surveys:answer", args=[i.survey_id]),
                    note=_("closes on"),
                    when=i.survey.closes_on,
                )
                for i in waiting
            ],
            order=12,
            urgent=True,
            more_url=reverse("surveys:mine"),
            more_label=_("My surveys"),
        )
    ]
    managed = access.managed_orgs(request.user)
    if managed:
        mine = (
            Survey.objects.filter(organisation__in=managed)
            .exclude(state=Survey.State.CLOSED)
            .annotate(answered=Count("invitations", filter=Q(invitations__answered=True)),
                      invited=Count("invitations"))
            .select_related("organisation")
            .order_by("closes_on")[:8]
        )  # fmt: skip
        entries = []
        for s in mine:
            if s.state == Survey.State.DRAFT:
                note = str(Survey.State.DRAFT.label)
            else:
                note = _("%(answered)s of %(invited)s invited have answered.") % {
                    "answered": s.answered,  # type: ignore[attr-defined]
                    "invited": s.invited,  # type: ignore[attr-defined]
                }
            entries.append(Entry(s.title, s.get_absolute_url(), note=note, when=s.closes_on))
        if not entries:  # the way to a first survey
            entries = [
                Entry(_("New survey"), reverse("surveys:new", args=[managed[0].code]), note=managed[0].name)
            ]
        out.append(
            Panel("managed-surveys", _("Surveys I manage"), entries, order=45,
                  more_url=reverse("surveys:org", args=[managed[0].code]), more_label=_("Surveys"))
        )  # fmt: skip
    return out
