"""The plans of an organisation, one plan's overview, and its approval steps."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platu.lib import thaidate
from platu.lib.errors import ActionRefused, InvalidAction
from platu.lib.ids import parse_int
from platu.orgs.models import Role, Team
from platu.planning import access, actions, readiness
from platu.planning.models import Plan
from platu.planning.pages import DOCUMENT_LABELS, PAGES, SHORT


def _revision(request: HttpRequest) -> int | None:
    rev = request.GET.get("rev", "")
    return parse_int(rev)


def plan_context(request: HttpRequest, plan: Plan, **extra: Any) -> dict[str, Any]:
    user = request.user
    org = plan.organisation
    revisions = list(Plan.objects.filter(organisation=org, fiscal_year=plan.fiscal_year).order_by("revision"))
    return {
        "org": org,
        "plan": plan,
        "is_latest": revisions[-1].pk == plan.pk,
        "can_edit": access.can_edit(user, plan),
        "is_km_team": access.is_km_team(user, org),
        "is_cko": access.has_role(user, org, Role.CKO),
        "is_ceo": access.has_role(user, org, Role.CEO),
        "plan_pages": [(key, SHORT[key]) for key in PAGES],
        "plan_documents": list(DOCUMENT_LABELS.items()),
        "plan_formats": ("pdf", "docx", "xlsx"),
        "revisions": revisions,
        **extra,
    }


@login_required
def plan_list(request: HttpRequest, code: str) -> HttpResponse:
    org = access.get_org_for_user(request, code)
    plans = list(Plan.objects.filter(organisation=org).order_by("-fiscal_year", "-revision"))
    current_fy = thaidate.fiscal_year(timezone.localdate())
    years = sorted({p.fiscal_year for p in plans}, reverse=True)
    latest = {y: next(p for p in plans if p.fiscal_year == y) for y in years}
    return render(
        request,
        "planning/plan_list.html",
        {
            "org": org,
            "latest": [latest[y] for y in years],
            "can_start": access.can_start(request.user, org),
            "suggested_year": current_fy if current_fy not in latest else max(latest) + 1,
            "current_fy": current_fy,
        },
    )


@login_required
@require_POST
def plan_start(request: HttpRequest, code: str) -> HttpResponse:
    org = access.get_org_for_user(request, code)
    try:
        year = thaidate.parse_year(request.POST.get("year", ""))
        plan = actions.start_plan(
            org, year, acting_user=request.user, copy_last_year=request.POST.get("copy") == "1"
        )
    except thaidate.YearError as exc:
        messages.error(request, str(exc))
    except (ActionRefused, InvalidAction) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The plan for fiscal year %(year)s has been started.") % {"year": year})
        return redirect(plan.get_absolute_url())
    return redirect("planning:list", org.code)


@login_required
def plan_detail(request: HttpRequest, code: str, year: int) -> HttpResponse:
    plan = access.get_plan_for_user(request, code, year, _revision(request))
    counts = {
        "issues": plan.issues.count(),
        "kpis": plan.kpis.count(),
        "chosen_kpis": plan.kpis.filter(chosen=True).count(),
        "knowledge": plan.knowledge.count(),
        "chosen_knowledge": plan.knowledge.filter(chosen=True).count(),
        "desired": plan.desired_states.count(),
        "activities": plan.activities.count(),
        "milestones": plan.milestones.count(),
    }
    teams = Team.objects.filter(organisation=plan.organisation).order_by("order", "pk")
    return render(
        request,
        "planning/plan_detail.html",
        plan_context(
            request,
            plan,
            counts=counts,
            teams=teams,
            events=plan.events.select_related("actor"),
            tab="overview",
            missing=readiness.missing(plan) if plan.is_editable else [],
            warnings=readiness.warnings(plan) if plan.is_editable else [],
        ),
    )


TRANSITIONS = {
    "submit": (actions.submit, _("The plan has been submitted to the CKO.")),
    "review": (actions.review, _("The plan has been reviewed and sent to the CEO.")),
    "return": (actions.return_plan, _("The plan has been returned to the KM team.")),
    "approve": (actions.approve, _("The plan has been approved.")),
}


@login_required
@require_POST
def plan_transition(request: HttpRequest, code: str, year: int, name: str) -> HttpResponse:
    plan = access.get_plan_for_user(request, code, year)
    comment = request.POST.get("comment", "")[:5000]
    try:
        if name == "amend":
            new = actions.amend(plan, acting_user=request.user)
            messages.success(
                request,
                _(
                    "Revision %(n)s has been started as a draft. The approved plan stays in force until it is approved."
                )
                % {"n": new.revision},
            )
            return redirect(new.get_absolute_url())
        if name not in TRANSITIONS:
            raise Http404
        run, success = TRANSITIONS[name]
        run(plan, acting_user=request.user, comment=comment)
        request.session.pop("planning_return_comment", None)
    except (ActionRefused, InvalidAction) as exc:
        messages.error(request, exc.message)
        if name == "return" and comment:
            request.session["planning_return_comment"] = comment  # nothing typed is lost
    else:
        messages.success(request, success)
    return redirect(plan.get_absolute_url())
