"""Who may read and act on monitoring rounds (views go through these helpers; else 404).

- Read a round and its entries: like the plan — the organisation and the offices above it.
  A sibling school sees nothing; a parent office's roll-up shows only numbers.
- Open a round, name who reports on an activity, bind indicators: the KM team.
- Enter progress: the activity's responsible people and the KM team, while the round is open;
  after it is closed, a correction with a reason (the entry as it was is kept).
- Check an entry: the KM team lead (or deputy). Close the round: the CKO. Acknowledge: the CEO.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from platu.orgs import access as org_access
from platu.orgs.models import Role
from platu.planning import access as plan_access
from platu.planning.models import Plan
from platu.tracking.models import ActivityOwner, Entry, Round


def is_km_team(user: Any, plan: Plan) -> bool:
    return plan_access.is_km_team(user, plan.organisation)


def has_role(user: Any, plan: Plan, *roles: str) -> bool:
    if getattr(user, "is_staff", False) and user.is_active:
        return True
    return bool(plan_access.roles_in(user, plan.organisation) & set(roles))


def can_check(user: Any, plan: Plan) -> bool:
    return has_role(user, plan, Role.KM_LEAD, Role.KM_DEPUTY)


def can_close(user: Any, plan: Plan) -> bool:
    return has_role(user, plan, Role.CKO)


def can_acknowledge(user: Any, plan: Plan) -> bool:
    return has_role(user, plan, Role.CEO)


def is_owner(user: Any, entry: Entry) -> bool:
    person = org_access.person_of(user)
    return (
        person is not None
        and ActivityOwner.objects.filter(activity_id=entry.activity_id, person=person).exists()
    )


def can_enter(user: Any, entry: Entry) -> bool:
    return is_km_team(user, entry.round.plan) or is_owner(user, entry)


def get_round_for_user(request: HttpRequest, code: str, year: int, months: int) -> Round:
    org = org_access.get_organisation_for_user(request, code)
    row = (
        Round.objects.filter(plan__organisation=org, plan__fiscal_year=year, months=months)
        .select_related("plan__organisation")
        .order_by("-plan__revision")
        .first()
    )
    if row is None:
        raise Http404
    return row


def get_entry_for_user(request: HttpRequest, code: str, year: int, months: int, pk: int) -> Entry:
    row = get_round_for_user(request, code, year, months)
    entry = (
        Entry.objects.filter(round=row, pk=pk).select_related("activity", "round__plan__organisation").first()
    )
    if entry is None:
        raise Http404
    return entry
