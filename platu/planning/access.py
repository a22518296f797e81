"""Who may read, edit and act on a plan.

- Read: members of the organisation and of the organisations above it (a parent office reads
  its schools' plans); anyone else gets 404.
- Edit (the worksheets and forms of a draft or returned plan): the organisation's KM team —
  members with the role KM team lead, deputy, member, secretary or assistant secretary.
- Submit and amend: the KM team. Review or return a submitted plan: the CKO. Approve or return a
  reviewed plan: the CEO.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from platu.orgs import access as org_access
from platu.orgs.models import Organisation, Role
from platu.planning.models import Plan

KM_TEAM_ROLES = frozenset(
    {Role.KM_LEAD, Role.KM_DEPUTY, Role.KM_MEMBER, Role.SECRETARY, Role.ASSISTANT_SECRETARY}
)


def roles_in(user: Any, org: Organisation) -> set[str]:
    return {r for m in org_access.memberships_of(user) if m.organisation_id == org.pk for r in m.roles}


def is_km_team(user: Any, org: Organisation) -> bool:
    if getattr(user, "is_staff", False) and user.is_active:
        return True
    return bool(roles_in(user, org) & KM_TEAM_ROLES)


def has_role(user: Any, org: Organisation, role: str) -> bool:
    return role in roles_in(user, org)


def can_edit(user: Any, plan: Plan) -> bool:
    return plan.is_editable and is_km_team(user, plan.organisation)


def can_start(user: Any, org: Organisation) -> bool:
    return is_km_team(user, org)


def get_org_for_user(request: HttpRequest, code: str) -> Organisation:
    return org_access.get_organisation_for_user(request, code)


def get_plan_for_user(request: HttpRequest, code: str, year: int, revision: int | None = None) -> Plan:
    """The organisation's plan for the fiscal year: the latest revision unless one is asked
    for. 404 when the user may not see the organisation or there is no such plan."""
    org = org_access.get_organisation_for_user(request, code)
    plans = Plan.objects.filter(organisation=org, fiscal_year=year).select_related("organisation")
    if revision is not None:
        plans = plans.filter(revision=revision)
    plan = plans.order_by("-revision").first()
    if plan is None:
        raise Http404
    return plan
