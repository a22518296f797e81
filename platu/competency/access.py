"""Who may see and do what in the competency module (views go through these helpers; else 404).

- The framework, the cycles and the cycle summary (numbers only): the organisation and the
  offices above it (a school reads the framework it inherits from its district on its own page).
- A person's assessments, needs and development record: the person themself, the
  organisation's administrators (CEO, CKO, KM team lead, secretary), the supervisor named for
  the person in one of the organisation's cycles, and site staff. Offices above — even their
  administrators — get 404: individual assessments are personnel evaluations kept by the
  organisation that made them (PDPA: only for that purpose); the offices above work with the
  cycle summary's numbers.
- Edit the framework, open and close cycles, name supervisors: the organisation's administrators.
- The supervisor assessment: the named supervisor, or else the organisation's administrators
  (never the person themself).
- The 3-year plan: read by the organisation and the offices above (names of target people only
  for those who may see the people); edited by the administrators and the KM team; pushing an
  item into the KM plan needs planning's own edit right on that plan.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from platu.competency.models import Cycle, DevItem, DevPlan, Framework, Supervisor
from platu.orgs import access as org_access
from platu.orgs.models import Membership, Organisation, Person
from platu.planning import access as plan_access


def is_staff(user: Any) -> bool:
    return bool(getattr(user, "is_staff", False) and user.is_active)


def can_admin(user: Any, org: Organisation) -> bool:
    return org_access.can_admin(user, org)


def can_plan(user: Any, org: Organisation) -> bool:
    """Edit the 3-year plan: administrators and the KM team."""
    return can_admin(user, org) or plan_access.is_km_team(user, org)


def is_member(person: Person, org: Organisation) -> bool:
    return Membership.objects.filter(person=person, organisation=org).exists()


def supervises(user: Any, person: Person, org: Organisation, cycle: Cycle | None = None) -> bool:
    me = org_access.person_of(user)
    if me is None:
        return False
    rows = Supervisor.objects.filter(cycle__organisation=org, person=person, supervisor=me)
    if cycle is not None:
        rows = rows.filter(cycle=cycle)
    return rows.exists()


def supervised_ids(user: Any, org: Organisation, cycle: Cycle | None = None) -> set[int]:
    me = org_access.person_of(user)
    if me is None:
        return set()
    rows = Supervisor.objects.filter(cycle__organisation=org, supervisor=me)
    if cycle is not None:
        rows = rows.filter(cycle=cycle)
    return set(rows.values_list("person_id", flat=True))


def is_self(user: Any, person: Person) -> bool:
    return person.user_id is not None and person.user_id == getattr(user, "pk", None)


def can_see_person(user: Any, person: Person, org: Organisation) -> bool:
    return is_staff(user) or is_self(user, person) or can_admin(user, org) or supervises(user, person, org)


def can_see_people(user: Any, org: Organisation) -> bool:
    """Names of the people behind the numbers (the people lists, the plan's target people)."""
    return is_staff(user) or can_admin(user, org) or bool(supervised_ids(user, org))


def can_assess_as_supervisor(user: Any, person: Person, cycle: Cycle) -> bool:
    if is_self(user, person):
        return False
    named = Supervisor.objects.filter(cycle=cycle, person=person).select_related("supervisor").first()
    me = org_access.person_of(user)
    if named is not None and me is not None and named.supervisor_id == me.pk:
        return True
    return is_staff(user) or can_admin(user, cycle.organisation)


# -- getters answering 404 -------------------------------------------------------------------


def get_org(request: HttpRequest, code: str) -> Organisation:
    return org_access.get_organisation_for_user(request, code)


def get_framework(request: HttpRequest, code: str, number: int) -> Framework:
    org = get_org(request, code)
    row = Framework.objects.filter(organisation=org, number=number).select_related("organisation").first()
    if row is None:
        raise Http404
    return row


def get_cycle(request: HttpRequest, code: str, year: int) -> Cycle:
    org = get_org(request, code)
    row = (
        Cycle.objects.filter(organisation=org, year=year)
        .select_related("organisation", "framework__organisation")
        .first()
    )
    if row is None:
        raise Http404
    return row


def get_person(request: HttpRequest, org: Organisation, pk: int) -> Person:
    """A member of ``org`` whose assessments and record the user may see; else 404."""
    person = Person.objects.filter(pk=pk, memberships__organisation=org).select_related("user").first()
    if person is None or not can_see_person(request.user, person, org):
        raise Http404
    return person


def get_plan(request: HttpRequest, code: str, year: int) -> DevPlan:
    org = get_org(request, code)
    row = DevPlan.objects.filter(organisation=org, first_year=year).select_related("organisation").first()
    if row is None:
        raise Http404
    return row


def get_item(request: HttpRequest, code: str, year: int, pk: int) -> DevItem:
    plan = get_plan(request, code, year)
    item = DevItem.objects.filter(plan=plan, pk=pk).select_related("plan__organisation").first()
    if item is None:
        raise Http404
    return item
