"""GET /api/v1/orgs/...: the organisations and people the caller may see (as the directory pages)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema

from platu.api import PageParams, clean, ident, page, responses
from platu.orgs import access
from platu.orgs.models import Membership, Organisation, Person

router = Router(tags=["organisations and people"])


class OrganisationOut(Schema):
    id: int
    code: str
    kind: str
    name_th: str
    name_en: str
    parent: str | None
    path: str


class OrganisationPage(Schema):
    count: int
    limit: int
    offset: int
    results: list[OrganisationOut]


class OrgFilter(PageParams):
    parent: str = ""  # an organisation's code: its direct children
    kind: str = ""


class MembershipOut(Schema):
    organisation: str
    roles: list[str]
    km_roles: list[str]


class PersonOut(Schema):
    id: int
    title: str
    first_name: str
    last_name: str
    full_name: str
    position: str
    phone: str
    email: str
    expertise: str
    memberships: list[MembershipOut]


class PersonPage(Schema):
    count: int
    limit: int
    offset: int
    results: list[PersonOut]


class PeopleFilter(PageParams):
    q: str = ""
    org: str = ""  # an organisation's code: its members


def _org(org: Organisation) -> OrganisationOut:
    return OrganisationOut(
        id=org.pk,
        code=org.code,
        kind=org.kind,
        name_th=org.name_th,
        name_en=org.name_en,
        parent=org.parent.code if org.parent_id and org.parent else None,
        path=org.path,
    )


def _person(person: Person) -> PersonOut:
    return PersonOut(
        id=person.pk,
        title=person.title,
        first_name=person.first_name,
        last_name=person.last_name,
        full_name=person.full_name,
        position=person.position,
        phone=person.phone,
        email=person.email,
        expertise=person.expertise,
        memberships=[
            MembershipOut(organisation=m.organisation.code, roles=m.roles, km_roles=m.km_roles)
            for m in person.memberships.all()
        ],
    )


@router.get("/", response=responses(OrganisationPage), summary="Organisations the caller may see")
def organisation_list(request: HttpRequest, params: Query[OrgFilter]) -> OrganisationPage:
    orgs = Organisation.objects.for_user(request.user).select_related("parent").order_by("path")
    if params.parent:
        orgs = orgs.filter(parent=access.get_organisation_for_user(request, clean(params.parent, 100)))
    if params.kind:
        orgs = orgs.filter(kind=clean(params.kind, 40))
    total, rows, limit, offset = page(orgs, params)
    return OrganisationPage(count=total, limit=limit, offset=offset, results=[_org(o) for o in rows])


@router.get("/{code}", response=responses(OrganisationOut), summary="One organisation")
def organisation_detail(request: HttpRequest, code: str) -> OrganisationOut:
    return _org(access.get_organisation_for_user(request, clean(code, 100)))


def _people_with_memberships(request: HttpRequest) -> Any:
    visible = access.visible_q(request.user, "organisation__path")
    return Prefetch(
        "memberships",
        queryset=Membership.objects.filter(visible)
        .select_related("organisation")
        .prefetch_related("role_rows")
        .order_by("organisation__name_sort"),
    )


people_router = Router(tags=["organisations and people"])


@people_router.get("/", response=responses(PersonPage), summary="People the caller may see (the directory)")
def people_list(request: HttpRequest, params: Query[PeopleFilter]) -> PersonPage:
    people: QuerySet[Person] = Person.objects.for_user(request.user)
    if params.org:
        people = people.filter(
            memberships__organisation=access.get_organisation_for_user(request, clean(params.org, 100))
        )
    if q := clean(params.q):
        for word in q.split()[
            :8
        ]:  # as the directory: every word matches a name, position, e-mail or expertise
            people = people.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(title__icontains=word)
                | Q(position__icontains=word)
                | Q(email__icontains=word)
                | Q(expertise__icontains=word)
            )
    people = people.order_by("sort_key", "pk").prefetch_related(_people_with_memberships(request))
    total, rows, limit, offset = page(people, params)
    return PersonPage(count=total, limit=limit, offset=offset, results=[_person(p) for p in rows])


@people_router.get("/{pk}", response=responses(PersonOut), summary="One person")
def person_detail(request: HttpRequest, pk: int) -> PersonOut:
    person = access.get_person_for_user(request, ident(pk))
    person = Person.objects.prefetch_related(_people_with_memberships(request)).get(pk=person.pk)
    return _person(person)
