"""The people directory, person pages and the shell's search box."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from platu.lib.errors import ActionRefused
from platu.orgs import access, actions
from platu.orgs.forms import TITLE_SUGGESTIONS, PersonForm
from platu.orgs.models import (
    Membership,
    MembershipRole,
    Organisation,
    Person,
    TeamMember,
)
from platu.orgs.views.common import apply_action, saved_values

PAGE_SIZE = 50


def search_people(people: QuerySet[Person], query: str) -> QuerySet[Person]:
    """Every word typed must match a name, position, e-mail or expertise keyword."""
    for word in query.split()[:8]:
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(title__icontains=word)
            | Q(position__icontains=word)
            | Q(email__icontains=word)
            | Q(expertise__icontains=word)
        )
    return people


def _with_visible_memberships(people: QuerySet[Person], visible: Q) -> QuerySet[Person]:
    memberships = (
        Membership.objects.filter(visible).select_related("organisation").order_by("organisation__name_sort")
    )
    return people.prefetch_related(
        Prefetch("memberships", queryset=memberships.prefetch_related("role_rows"))
    )


def _visible(request: HttpRequest, path_field: str = "organisation__path") -> Q:
    return access.visible_q(request.user, path_field)


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    people = Person.objects.for_user(request.user)
    org = None
    org_code = request.GET.get("org", "")
    if org_code:
        org = access.get_organisation_for_user(request, org_code)
        people = people.filter(memberships__organisation=org)
    if query:
        people = search_people(people, query)
    people = _with_visible_memberships(people.order_by("sort_key", "pk"), _visible(request))
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "orgs/directory.html"
    if request.htmx and not request.htmx.boosted:  # type: ignore[attr-defined]
        template += "#results"
    organisations = Organisation.objects.for_user(request.user).order_by("name_sort")
    return render(
        request,
        template,
        {"page": page, "query": query, "org": org, "organisations": organisations},
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person_for_user(request, pk)
    memberships = (
        person.memberships.filter(_visible(request))
        .select_related("organisation")
        .prefetch_related(Prefetch("role_rows", queryset=MembershipRole.objects.all()))
    )
    teams = (
        TeamMember.objects.filter(person=person)
        .filter(_visible(request, "team__organisation__path"))
        .select_related("team__organisation")
    )
    return render(
        request,
        "orgs/person_detail.html",
        {
            "person": person,
            "memberships": memberships.order_by("organisation__name_sort"),
            "team_memberships": teams.order_by("team__organisation__name_sort", "team__order"),
            "can_edit": access.can_edit_person(request.user, person),
        },
    )


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person_for_user(request, pk)
    if not access.can_edit_person(request.user, person):
        raise ActionRefused(_("You may not edit this person's details."))
    form = PersonForm(request.POST or None, instance=person, initial={"version": person.version})
    conflict = False
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in actions.PERSON_FIELDS}
        fresh = Person.objects.get(pk=person.pk)
        result, conflict = apply_action(
            form,
            lambda: actions.update_person(
                fresh, acting_user=request.user, version=form.cleaned_data["version"], **fields
            ),
        )
        if result is not None:
            messages.success(request, _("Saved."))
            return redirect("person_detail", pk=person.pk)
    current = saved_values(form, Person.objects.get(pk=person.pk)) if conflict else None
    return render(
        request,
        "orgs/person_edit.html",
        {"person": person, "form": form, "current": current, "title_suggestions": TITLE_SUGGESTIONS},
    )
