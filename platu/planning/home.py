"""The planning module's panels on the home page: plans waiting for the user's step."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from platu.core.home import Entry, Panel, register
from platu.orgs import access as org_access
from platu.orgs.models import Role
from platu.planning.access import KM_TEAM_ROLES
from platu.planning.models import Plan

State = Plan.State


@register
def panels(request: HttpRequest) -> list[Panel]:
    """Submitted plans for a CKO, reviewed ones for a CEO, drafts and returned ones for the KM
    team: the latest revision of each organisation's plan in each fiscal year."""
    waiting: list[Entry] = []
    for membership in org_access.memberships_of(request.user):
        roles = set(membership.roles) | set(membership.km_roles)
        states = []
        if Role.CKO in roles:
            states.append(State.SUBMITTED)
        if Role.CEO in roles:
            states.append(State.REVIEWED)
        if roles & KM_TEAM_ROLES:
            states += [State.DRAFT, State.RETURNED]  # the KM team writes and submits
        if not states:
            continue
        plans = Plan.objects.filter(organisation=membership.organisation).select_related("organisation")
        latest: dict[int, Plan] = {}
        for plan in plans.order_by("fiscal_year", "revision"):
            latest[plan.fiscal_year] = plan
        for plan in sorted(latest.values(), key=lambda p: -p.fiscal_year):
            if plan.state in states:
                text = _("KM plan %(year)s · %(org)s") % {
                    "year": plan.fiscal_year,
                    "org": plan.organisation.name,
                }
                waiting.append(
                    Entry(text, plan.get_absolute_url(), note=plan.get_state_display(), when=plan.updated_at)
                )
    return [Panel("plans-waiting", _("Plans waiting for my step"), waiting, order=5, urgent=True)]
