"""Monitoring on the home page ("what needs me"): the round entries I owe, the entries waiting
for the KM lead's check, the rounds a CKO closes and a CEO acknowledges."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from platu.core.home import Entry as HomeEntry
from platu.core.home import Panel, register
from platu.orgs import access as org_access
from platu.orgs.models import Role
from platu.tracking.models import Entry, Round


@register
def panels(request: HttpRequest) -> list[Panel]:
    person = org_access.person_of(request.user)
    if person is None:
        return []
    waiting: list[HomeEntry] = []
    owed = (
        Entry.objects.filter(
            round__state=Round.State.OPEN, activity__owners__person=person, entered_by__isnull=True
        )
        .select_related("round__plan__organisation", "activity")
        .order_by("round__due_date", "pk")[:20]
    )
    for e in owed:
        plan = e.round.plan
        url = reverse("tracking:entry", args=[plan.organisation.code, plan.fiscal_year, e.round.months, e.pk])
        waiting.append(HomeEntry(_("Progress to enter: %(activity)s") % {"activity": e.activity.name}, url,
                                 note=e.round.get_months_display(), when=e.round.due_date))  # fmt: skip
    for membership in org_access.memberships_of(request.user):
        roles = set(membership.roles)
        rounds = Round.objects.filter(plan__organisation=membership.organisation).select_related(
            "plan__organisation"
        )
        if roles & {Role.KM_LEAD, Role.KM_DEPUTY}:
            for r in rounds.filter(state=Round.State.OPEN, entries__checked_at__isnull=True,
                                   entries__entered_by__isnull=False).distinct():  # fmt: skip
                waiting.append(HomeEntry(_("Entries to check: %(round)s") % {"round": r.get_months_display()},
                                         r.get_absolute_url(), note=r.plan.organisation.name, when=r.due_date))  # fmt: skip
        if Role.CKO in roles:
            for r in rounds.filter(state=Round.State.OPEN):
                waiting.append(HomeEntry(_("Round to close: %(round)s") % {"round": r.get_months_display()},
                                         r.get_absolute_url(), note=r.plan.organisation.name, when=r.due_date))  # fmt: skip
        if Role.CEO in roles:
            for r in rounds.filter(state=Round.State.CLOSED):
                waiting.append(HomeEntry(_("Round to acknowledge: %(round)s") % {"round": r.get_months_display()},
                                         r.get_absolute_url(), note=r.plan.organisation.name, when=r.closed_at))  # fmt: skip
    if not waiting:
        return []
    return [Panel("monitoring-waiting", _("Monitoring waiting for me"), waiting, order=6, urgent=True)]
