from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from platu.core import home as home_panels
from platu.core.context_processors import TEXT_SIZES
from platu.core.middleware import SESSION_ORG_KEY
from platu.lib import thaidate
from platu.orgs import access
from platu.orgs.models import TeamMember

# The modules to come, as the navigation names them (SPEC modules 4-6).
MODULES = {
    "communities": (_("Communities of practice"), _("Communities, their sessions, minutes and AARs.")),
    "plan": (_("KM plan"), _("Worksheets 1–6, the KM action plan (Form 2) and its approval.")),
    "reports": (_("Reports"), _("Progress at 6, 9 and 12 months, dashboards and the year-end summary.")),
}


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or reverse("home")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return reverse("home")
    return target


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "core/landing.html")
    today = timezone.localdate()
    fy = thaidate.fiscal_year(today)
    fy_start, fy_end = thaidate.fiscal_year_bounds(fy)
    round_fy, round_months = thaidate.monitoring_round(today)
    person = access.person_of(request.user)
    teams = (
        TeamMember.objects.filter(person=person)
        .select_related("team__organisation")
        .order_by("team__organisation__name_sort", "team__order")
        if person
        else []
    )
    return render(
        request,
        "core/home.html",
        {
            "person": person,
            "today": today,
            "fiscal_year": fy,
            "fiscal_start": fy_start,
            "fiscal_end": fy_end,
            "round_months": round_months,
            "round_end": thaidate.round_bounds(round_fy, round_months)[1],
            "team_memberships": teams,
            "panels": home_panels.panels(request),
        },
    )


@login_required
def module(request: HttpRequest, name: str) -> HttpResponse:
    if name == "knowledge":  # open now: old links go to the repository
        return HttpResponseRedirect(reverse("knowledge:repository"))
    if name == "communities":  # open now
        return HttpResponseRedirect(reverse("communities:list"))
    org = getattr(request, "org", None)
    if name == "plan" and org is not None:  # open now: the current organisation's plans
        return HttpResponseRedirect(reverse("planning:list", args=[org.code]))
    if name == "reports" and org is not None:  # open now: the current organisation's dashboard
        return HttpResponseRedirect(reverse("dashboards:dashboard", args=[org.code]))
    if name not in MODULES:
        raise Http404
    title, description = MODULES[name]
    return render(request, "core/module.html", {"module": name, "title": title, "description": description})


@require_POST
def text_size(request: HttpRequest) -> HttpResponse:
    size = request.POST.get("size", "normal")
    response = HttpResponseRedirect(_next_url(request))
    if size in TEXT_SIZES:
        response.set_cookie("platu_text_size", size, max_age=365 * 24 * 3600, samesite="Lax")
    return response


@login_required
@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    try:
        org_id = int(request.POST.get("organisation", ""))
    except ValueError:
        raise Http404 from None
    if not any(m.organisation_id == org_id for m in access.memberships_of(request.user)):
        raise Http404
    request.session[SESSION_ORG_KEY] = org_id
    return HttpResponseRedirect(_next_url(request))
