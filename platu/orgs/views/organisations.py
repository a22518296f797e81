"""Organisation, member and team screens. Thin: access helpers in, actions out."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platu.audit.models import AuditEntry
from platu.lib.errors import InvalidAction
from platu.orgs import access, actions
from platu.orgs.forms import (
    TITLE_SUGGESTIONS,
    AddMemberForm,
    InviteMemberForm,
    OrganisationForm,
    RolesForm,
)
from platu.orgs.models import (
    Membership,
    MembershipRole,
    Organisation,
    Team,
    TeamMember,
)
from platu.orgs.views.common import apply_action, saved_values


def _members(org: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=org)
        .select_related("person")
        .prefetch_related(Prefetch("role_rows", queryset=MembershipRole.objects.all()))
        .order_by("person__sort_key", "person__pk")
    )


def _teams(org: Organisation) -> QuerySet[Team]:
    return Team.objects.filter(organisation=org).prefetch_related(
        Prefetch("members", queryset=TeamMember.objects.select_related("person"))
    )


# Organisations -----------------------------------------------------------------


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    orgs = Organisation.objects.for_user(request.user).order_by("path")
    # Indent by depth below the shallowest visible organisation.
    rows = list(orgs)
    top = min((o.path.count("/") for o in rows), default=1)
    tree = [(o, o.path.count("/") - top) for o in rows]
    return render(request, "orgs/organisation_list.html", {"tree": tree})


@login_required
def organisation_detail(request: HttpRequest, code: str) -> HttpResponse:
    org = access.get_organisation_for_user(request, code)
    ancestors = list(Organisation.objects.filter(pk__in=org.ancestor_ids()).order_by("path"))
    return render(
        request,
        "orgs/organisation_detail.html",
        {
            "org": org,
            "ancestors": [a for a in ancestors if access.can_see(request.user, a)],
            "members": _members(org),
            "teams": _teams(org),
            "children": Organisation.objects.filter(parent=org).order_by("name_sort"),
            "can_admin": access.can_admin(request.user, org),
        },
    )


@login_required
def organisation_edit(request: HttpRequest, code: str) -> HttpResponse:
    org = access.get_organisation_for_user(request, code)
    access.require_admin(request.user, org)
    form = OrganisationForm(
        request.POST or None, request.FILES or None, instance=org, initial={"version": org.version}
    )
    conflict = False
    if request.method == "POST" and form.is_valid():
        names = ("name_th", "name_en", "kind", "thai_digits", "default_visibility", "review_quorum")
        data = {k: form.cleaned_data[k] for k in names}
        if "logo" in request.FILES or form.cleaned_data.get("logo") is False:
            data["logo"] = form.cleaned_data["logo"] or ""
        fresh = Organisation.objects.get(pk=org.pk)
        result, conflict = apply_action(
            form,
            lambda: actions.update_organisation(
                fresh, acting_user=request.user, version=form.cleaned_data["version"], **data
            ),
        )
        if result is not None:
            messages.success(request, _("Saved."))
            return redirect("organisation_detail", code=org.code)
    current = saved_values(form, Organisation.objects.get(pk=org.pk)) if conflict else None
    return render(request, "orgs/organisation_edit.html", {"org": org, "form": form, "current": current})


# Members -------------------------------------------------------------------------


@login_required
def member_add(request: HttpRequest, code: str) -> HttpResponse:
    org = access.get_organisation_for_user(request, code)
    access.require_admin(request.user, org)
    candidates = (
        access.network_people(org, request.user)
        .exclude(memberships__organisation=org)
        .order_by("sort_key", "pk")
    )
    form = AddMemberForm(request.POST or None, people=candidates)
    if request.method == "POST" and form.is_valid():
        result, _conflict = apply_action(
            form,
            lambda: actions.add_member(
                org,
                form.cleaned_data["person"],
                roles=form.cleaned_data["roles"],
                km_roles=form.cleaned_data["km_roles"],
                acting_user=request.user,
            ),
        )
        if result is not None:
            messages.success(request, _("%(person)s was added.") % {"person": result.person})
            return redirect("organisation_detail", code=org.code)
    return render(request, "orgs/member_add.html", {"org": org, "form": form})


@login_required
def member_invite(request: HttpRequest, code: str) -> HttpResponse:
    org = access.get_organisation_for_user(request, code)
    access.require_admin(request.user, org)
    form = InviteMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result, _conflict = apply_action(
            form,
            lambda: actions.invite_member(
                org,
                title=data["title"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                position=data["position"],
                phone=data["phone"],
                roles=data["roles"],
                km_roles=data["km_roles"],
                acting_user=request.user,
            ),
        )
        if result is not None:
            messages.success(
                request,
                _("%(person)s was invited; an e-mail with a link to set a password was sent to %(email)s.")
                % {"person": result.person, "email": result.person.email},
            )
            return redirect("organisation_detail", code=org.code)
    return render(
        request,
        "orgs/member_invite.html",
        {"org": org, "form": form, "title_suggestions": TITLE_SUGGESTIONS},
    )


def _get_membership(org: Organisation, pk: int) -> Membership:
    membership = _members(org).filter(pk=pk).first()
    if membership is None:
        raise Http404
    return membership


@login_required
def member_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    org = access.get_organisation_for_user(request, code)
    access.require_admin(request.user, org)
    membership = _get_membership(org, pk)
    form = RolesForm(
        request.POST or None,
        initial={
            "version": membership.version,
            "roles": membership.roles,
            "km_roles": membership.km_roles,
        },
    )
    conflict = False
    if request.method == "POST" and form.is_valid():
        result, conflict = apply_action(
            form,
            lambda: actions.set_member_roles(
                membership,
                roles=form.cleaned_data["roles"],
                km_roles=form.cleaned_data["km_roles"],
                acting_user=request.user,
                version=form.cleaned_data["version"],
            ),
        )
        if result is not None:
            messages.success(request, _("Roles saved."))
            return redirect("organisation_detail", code=org.code)
    current = None
    if conflict:
        saved = _get_membership(org, pk)
        current = [
            (str(form.fields["roles"].label), ", ".join(saved.role_labels)),
            (str(form.fields["km_roles"].label), ", ".join(saved.km_role_labels)),
        ]
    return render(
        request,
        "orgs/member_edit.html",
        {"org": org, "membership": membership, "form": form, "current": current},
    )


@login_required
@require_POST
def member_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    org = access.get_organisation_for_user(request, code)
    access.require_admin(request.user, org)
    membership = _get_membership(org, pk)
    try:
        actions.remove_member(membership, acting_user=request.user)
    except InvalidAction as exc:
        messages.error(request, exc.message)
        return redirect("member_edit", code=org.code, pk=pk)
    messages.success(request, _("%(person)s was removed.") % {"person": membership.person})
    return redirect("organisation_detail", code=org.code)


# Audit log -----------------------------------------------------------------------


@login_required
def audit_log(request: HttpRequest, code: str) -> HttpResponse:
    org = access.get_organisation_for_user(request, code)
    access.require_admin(request.user, org)
    member_user_ids = [
        str(pk)
        for pk in Membership.objects.filter(organisation=org, person__user__isnull=False).values_list(
            "person__user_id", flat=True
        )
    ]
    entries = AuditEntry.objects.filter(
        Q(organisation=org)
        | Q(organisation__isnull=True, object_type="accounts.user", object_id__in=member_user_ids)
    ).select_related("organisation", "actor__person")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "orgs/audit_log.html", {"org": org, "page": page})
