"""Who may see and act on award programmes (views go through these helpers; else 404).

- See a programme: members of its organisation, of the organisations under it (they nominate)
  and of the offices above it. A sibling school sees nothing. A draft: only its managers.
- Manage (create, edit, open, name the committee, close nominations, revoke a certificate,
  forward a winner): the organisation's admins and KM team.
- Nominate: whoever sees an open programme, while nominations are open.
- See a nomination before the results: its nominator, its nominee, the committee and the
  managers. After the results: the winners are public to the programme's readers.
- Score: committee members, each seeing only their own scores until the chair announces.
- Review nominations and announce: the chair.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from platu.awards.models import CommitteeMember, Nomination, Programme
from platu.lib.ids import MAX_ID
from platu.orgs import access as org_access
from platu.orgs.models import Organisation, Person
from platu.planning import access as plan_access


def can_manage_org(user: Any, org: Organisation) -> bool:
    return org_access.can_admin(user, org) or plan_access.is_km_team(user, org)


def can_manage(user: Any, programme: Programme) -> bool:
    return can_manage_org(user, programme.organisation)


def readable_q(user: Any) -> Q:
    """Programmes of the organisations the user sees, and of those above the user's own."""
    if getattr(user, "is_staff", False) and user.is_active:
        return Q()
    prefixes = org_access.path_prefixes(user)
    return org_access.visible_q(user, "organisation__path") | Q(organisation__path__in=prefixes)


def programmes_for(user: Any) -> QuerySet[Programme]:
    managed = [
        m.organisation_id for m in org_access.memberships_of(user) if can_manage_org(user, m.organisation)
    ]
    qs = Programme.objects.filter(readable_q(user))
    if getattr(user, "is_staff", False) and user.is_active:
        return qs
    return qs.filter(~Q(state=Programme.State.DRAFT) | Q(organisation_id__in=managed))


def get_programme_for_user(request: HttpRequest, pk: int) -> Programme:
    if not 0 < pk <= MAX_ID or not getattr(request.user, "is_authenticated", False):
        raise Http404
    row = programmes_for(request.user).filter(pk=pk).select_related("organisation").first()
    if row is None:
        raise Http404
    return row


def member_row(user: Any, programme: Programme) -> CommitteeMember | None:
    person = org_access.person_of(user)
    if person is None:
        return None
    return CommitteeMember.objects.filter(programme=programme, person=person).first()


def is_committee(user: Any, programme: Programme) -> bool:
    return member_row(user, programme) is not None


def is_chair(user: Any, programme: Programme) -> bool:
    row = member_row(user, programme)
    return row is not None and row.is_chair


def nominee_people(nomination: Nomination) -> set[int]:
    """The people a nomination is about: the person, the item's authors, the community's
    facilitators (they may not score it, and they may read it)."""
    ids: set[int] = set()
    if nomination.person_id:
        ids.add(nomination.person_id)
    if nomination.item_id and nomination.item is not None:
        ids.add(nomination.item.owner_id)
        ids |= set(nomination.item.coauthors.values_list("pk", flat=True))
    community_id = nomination.community_id or (
        nomination.session.community_id if nomination.session else None
    )
    if community_id:
        from platu.communities.models import Member

        ids |= set(
            Member.objects.filter(
                community_id=community_id, role=Member.Role.FACILITATOR, state=Member.State.MEMBER
            ).values_list("person_id", flat=True)
        )
    return ids


def conflicted(person: Person | None, nomination: Nomination) -> bool:
    """A committee member does not score a nomination they made or that is about them."""
    if person is None:
        return True
    return nomination.nominator_id == person.pk or person.pk in nominee_people(nomination)


def can_see_nomination(user: Any, nomination: Nomination, *, evidence: bool = False) -> bool:
    """Winners are public to the programme's readers once announced; their evidence files stay
    with the nominator, the nominee, the committee and the managers."""
    programme = nomination.programme
    if not evidence and programme.state == Programme.State.ANNOUNCED and hasattr(nomination, "award"):
        return True
    if can_manage(user, programme) or is_committee(user, programme):
        return True
    person = org_access.person_of(user)
    return person is not None and (
        nomination.nominator_id == person.pk or person.pk in nominee_people(nomination)
    )


def get_nomination_for_user(request: HttpRequest, programme_pk: int, pk: int) -> Nomination:
    programme = get_programme_for_user(request, programme_pk)
    if not 0 < pk <= MAX_ID:
        raise Http404
    row = (
        Nomination.objects.filter(programme=programme, pk=pk)
        .select_related("category", "item", "community", "session__community", "person", "nominator",
                        "programme__organisation", "forwarded_from__programme__organisation")
        .first()
    )  # fmt: skip
    if row is None or not can_see_nomination(request.user, row):
        raise Http404
    return row
