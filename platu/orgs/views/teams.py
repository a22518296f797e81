"""KM teams and committees (worksheets 5 and 6)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platu.lib.errors import InvalidAction
from platu.orgs import access, actions
from platu.orgs.forms import TeamForm, TeamMemberForm, TeamRoleForm
from platu.orgs.models import Organisation, Team, TeamMember
from platu.orgs.views.common import apply_action, saved_values


def _get_team(org: Organisation, pk: int) -> Team:
    team = (
        Team.objects.filter(organisation=org, pk=pk)
        .prefetch_related(Prefetch("members", queryset=TeamMember.objects.select_related("person")))
        .first()
    )
    if team is None:
        raise Http404
    return team


def _get_member(team: Team, member_pk: int) -> TeamMember:
    member = TeamMember.objects.filter(team=team, pk=member_pk).select_related("person").first()
    if member is None:
        raise Http404
    return member


@login_required
def team_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    org = access.get_organisation_for_user(request, code)
    team = _get_team(org, pk)
    can_admin = access.can_admin(request.user, org)
    add_form = None
    if can_admin:
        people = actions.eligible_team_people(org).exclude(team_memberships__team=team)
        add_form = TeamMemberForm(people=people.order_by("sort_key"))
    return render(
        request,
        "orgs/team_detail.html",
        {
            "org": org,
            "team": team,
            "can_admin": can_admin,
            "add_form": add_form,
            "role_form": TeamRoleForm(),
        },
    )


@login_required
def team_create(request: HttpRequest, code: str) -> HttpResponse:
    org = access.get_organisation_for_user(request, code)
    access.require_admin(request.user, org)
    form = TeamForm(request.POST or None, initial={"kind": request.GET.get("kind", "")})
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in TeamForm.Meta.fields}
        team, _conflict = apply_action(
            form, lambda: actions.create_team(org, acting_user=request.user, **fields)
        )
        if team is not None:
            messages.success(request, _("The team was created. Now add its members."))
            return redirect("team_detail", code=org.code, pk=team.pk)
    return render(request, "orgs/team_form.html", {"org": org, "form": form, "team": None})


@login_required
def team_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    org = access.get_organisation_for_user(request, code)
    access.require_admin(request.user, org)
    team = _get_team(org, pk)
    form = TeamForm(request.POST or None, instance=team, initial={"version": team.version})
    conflict = False
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in TeamForm.Meta.fields}
        fresh = Team.objects.get(pk=team.pk)
        result, conflict = apply_action(
            form,
            lambda: actions.update_team(
                fresh, acting_user=request.user, version=form.cleaned_data["version"], **fields
            ),
        )
        if result is not None:
            messages.success(request, _("Saved."))
            return redirect("team_detail", code=org.code, pk=team.pk)
    current = saved_values(form, Team.objects.get(pk=team.pk)) if conflict else None
    return render(
        request, "orgs/team_form.html", {"org": org, "form": form, "team": team, "current": current}
    )


@login_required
@require_POST
def team_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    org = access.get_organisation_for_user(request, code)
    access.require_admin(request.user, org)
    team = _get_team(org, pk)
    actions.delete_team(team, acting_user=request.user)
    messages.success(request, _("The team %(team)s was deleted.") % {"team": team.name})
    return redirect("organisation_detail", code=org.code)


@login_required
@require_POST
def team_member_add(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    org = access.get_organisation_for_user(request, code)
    access.require_admin(request.user, org)
    team = _get_team(org, pk)
    form = TeamMemberForm(request.POST, people=actions.eligible_team_people(org))
    if form.is_valid():
        try:
            actions.add_team_member(
                team, form.cleaned_data["person"], role=form.cleaned_data["role"], acting_user=request.user
            )
            messages.success(request, _("%(person)s was added.") % {"person": form.cleaned_data["person"]})
        except InvalidAction as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Choose a person from the list."))
    return redirect("team_detail", code=org.code, pk=team.pk)


@login_required
@require_POST
def team_member_role(request: HttpRequest, code: str, pk: int, member_pk: int) -> HttpResponse:
    org = access.get_organisation_for_user(request, code)
    access.require_admin(request.user, org)
    member = _get_member(_get_team(org, pk), member_pk)
    form = TeamRoleForm(request.POST)
    if form.is_valid():
        actions.set_team_member_role(member, role=form.cleaned_data["role"], acting_user=request.user)
        messages.success(request, _("Role saved."))
    else:
        messages.error(request, _("Choose a role from the list."))
    return redirect("team_detail", code=org.code, pk=pk)


@login_required
@require_POST
def team_member_remove(request: HttpRequest, code: str, pk: int, member_pk: int) -> HttpResponse:
    org = access.get_organisation_for_user(request, code)
    access.require_admin(request.user, org)
    member = _get_member(_get_team(org, pk), member_pk)
    actions.remove_team_member(member, acting_user=request.user)
    messages.success(request, _("%(person)s was removed from the team.") % {"person": member.person})
    return redirect("team_detail", code=org.code, pk=pk)
