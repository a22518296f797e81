"""Who may do what with personal data: installation staff run the notice, retention, breaches and
the record of processing; an organisation's administrators also decide the erasure requests of
their members. Everyone else gets a 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from platu.orgs.access import can_admin
from platu.orgs.models import Organisation, Person
from platu.privacy.models import ErasureRequest


def is_installation_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)


def require_installation_admin(user: Any) -> None:
    if not is_installation_admin(user):
        raise Http404


def admin_organisations(user: Any) -> list[Organisation]:
    from platu.orgs.access import memberships_of

    return [m.organisation for m in memberships_of(user) if can_admin(user, m.organisation)]


def can_decide(user: Any, request: ErasureRequest) -> bool:
    """Staff, or an administrator of one of the person's organisations (never for themself)."""
    if not getattr(user, "is_authenticated", False) or request.user_id == user.pk:
        return False
    if is_installation_admin(user):
        return True
    if request.user.is_staff or request.user.is_superuser:
        return False  # the installation's staff are erased by the installation's staff only
    person = Person.objects.filter(user_id=request.user_id).first()
    if person is None:
        return False
    orgs = Organisation.objects.filter(memberships__person=person)
    return any(can_admin(user, org) for org in orgs)


def requests_for(user: Any) -> QuerySet[ErasureRequest]:
    qs = ErasureRequest.objects.select_related("user", "decided_by")
    if is_installation_admin(user):
        return qs
    org_ids = [o.pk for o in admin_organisations(user)]
    people = Person.objects.filter(memberships__organisation_id__in=org_ids).exclude(user=user)
    return qs.filter(user_id__in=people.values("user_id"))


def can_see_requests(user: Any) -> bool:
    return is_installation_admin(user) or bool(admin_organisations(user))


def get_request_for_user(user: Any, pk: int) -> ErasureRequest:
    found = requests_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def deciders(user: Any) -> list[Any]:
    """Who may decide ``user``'s request: installation staff and the administrators of their organisations."""
    from django.contrib.auth import get_user_model

    from platu.orgs.models import ADMIN_ROLES, Membership

    people = Person.objects.filter(user=user).first()
    admins: list[Any] = list(get_user_model().objects.filter(is_staff=True, is_active=True))
    if people is not None:
        orgs = Membership.objects.filter(person=people).values("organisation_id")
        admins += [
            m.person.user
            for m in Membership.objects.filter(organisation_id__in=orgs, role_rows__role__in=ADMIN_ROLES)
            .select_related("person__user")
            .distinct()
            if m.person.user is not None and m.person.user != user
        ]
    return admins
