"""Who may do what with a survey (views go through these helpers; anything else is 404).

- Manage (make, edit a draft, open, close, reopen, copy; results; export): the organisation's
  administrators (CEO, CKO, KM team lead, secretary) and its KM team (deputy, members, assistant
  secretary); site staff.
- Results and export: the managers, and the administrators of the offices above the organisation.
  Members of the organisation's tree who are neither get 403; everyone else 404.
- Answer: the survey's audience (their invitation, or being in the audience now) while it takes
  answers. Anyone else gets 404 for an open survey they are not asked to answer.

The audience: an organisation's members; every member of the organisations under one (its own
staff excluded: a district surveys its schools); a community's members (state "member"); a
session's attendees with an account. Each respondent is counted for one organisation: the deepest
of their organisations inside the survey's audience (else inside the survey's organisation's tree,
else any of theirs).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from platu.orgs import access as org_access
from platu.orgs.models import ADMIN_ROLES, Membership, Organisation, Person, Role
from platu.surveys.models import Invitation, Survey

MANAGER_ROLES = ADMIN_ROLES | {Role.KM_DEPUTY, Role.KM_MEMBER, Role.ASSISTANT_SECRETARY}


def _staff(user: Any) -> bool:
    return bool(getattr(user, "is_staff", False) and user.is_active)


def can_manage_org(user: Any, org: Organisation) -> bool:
    if _staff(user):
        return True
    return any(
        m.organisation_id == org.pk and any(r in MANAGER_ROLES for r in m.roles)
        for m in org_access.memberships_of(user)
    )


def can_manage(user: Any, survey: Survey) -> bool:
    return can_manage_org(user, survey.organisation)


def can_see_results(user: Any, survey: Survey) -> bool:
    """The managers, and the administrators of the offices above (a province reads its district's)."""
    if can_manage(user, survey):
        return True
    ancestors = set(survey.organisation.ancestor_ids())
    return any(m.organisation_id in ancestors and m.is_admin for m in org_access.memberships_of(user))


def can_edit_settings(user: Any, org: Organisation) -> bool:
    return org_access.can_admin(user, org)


def managed_orgs(user: Any) -> list[Organisation]:
    return [m.organisation for m in org_access.memberships_of(user) if can_manage_org(user, m.organisation)]


# -- the audience --------------------------------------------------------------------------------


def _audience_q(survey: Survey) -> Q:
    """A condition on Person for the survey's audience."""
    from platu.communities.models import Attendance, Member

    kind = survey.audience
    if kind == Survey.Audience.ORGANISATION and survey.audience_org_id:
        return Q(pk__in=Membership.objects.filter(organisation_id=survey.audience_org_id).values("person_id"))
    if kind == Survey.Audience.SUBTREE and survey.audience_org is not None:
        org = survey.audience_org
        below = Membership.objects.filter(organisation__path__startswith=org.path).exclude(organisation=org)
        return Q(pk__in=below.values("person_id"))
    if kind == Survey.Audience.COMMUNITY and survey.community_id:
        members = Member.objects.filter(community_id=survey.community_id, state=Member.State.MEMBER)
        return Q(pk__in=members.values("person_id"))
    if kind == Survey.Audience.SESSION and survey.session_id:
        came = Attendance.objects.filter(session_id=survey.session_id, person__isnull=False)
        return Q(pk__in=came.values("person_id"))
    return Q(pk__in=[])


def audience(survey: Survey) -> QuerySet[Person]:
    return Person.objects.filter(_audience_q(survey))


def in_audience(survey: Survey, person: Person | None) -> bool:
    if person is None:
        return False
    if Invitation.objects.filter(survey=survey, person=person).exists():
        return True
    return audience(survey).filter(pk=person.pk).exists()


def respondent_orgs(survey: Survey, person_ids: Iterable[int]) -> dict[int, int | None]:
    """Each person's organisation for the results: the deepest of theirs inside the audience's
    organisation (its tree for a subtree survey, itself excluded), else inside the survey's
    organisation's tree, else any."""
    ids = list(person_ids)
    rows = list(Membership.objects.filter(person_id__in=ids).values_list("person_id", "organisation_id",
                                                                        "organisation__path"))  # fmt: skip
    own = survey.organisation.path
    target = survey.audience_org if survey.audience_org_id else None
    out: dict[int, int | None] = dict.fromkeys(ids)
    best: dict[int, tuple[int, int, int]] = {}
    for person_id, org_id, path in rows:
        if survey.audience == Survey.Audience.ORGANISATION and target is not None:
            rank = 3 if org_id == target.pk else 0
        elif survey.audience == Survey.Audience.SUBTREE and target is not None:
            rank = 3 if path.startswith(target.path) and org_id != target.pk else 0
        else:
            rank = 2 if path.startswith(own) else 1
        key = (rank, path.count("/"), -org_id)
        if person_id not in best or key > best[person_id]:
            best[person_id] = key
            out[person_id] = org_id
    return out


# -- getting a survey ----------------------------------------------------------------------------


def get_survey_for_manager(request: HttpRequest, pk: int) -> Survey:
    """404 outside the organisation's tree; the caller refuses (403) those who may not manage."""
    survey = Survey.objects.filter(pk=pk).select_related("organisation", "audience_org").first()
    if survey is None or not org_access.can_see(request.user, survey.organisation):
        raise Http404
    return survey


def get_survey_for_results(request: HttpRequest, pk: int) -> Survey:
    return get_survey_for_manager(request, pk)


def get_survey_to_answer(request: HttpRequest, pk: int) -> tuple[Survey, Person]:
    """The survey for one of its audience (managers may look at it too, without answering)."""
    survey = (
        Survey.objects.filter(pk=pk)
        .exclude(state=Survey.State.DRAFT)
        .select_related("organisation", "audience_org")
        .first()
    )
    person = org_access.person_of(request.user)
    if survey is None or person is None or not in_audience(survey, person):
        raise Http404
    return survey, person
