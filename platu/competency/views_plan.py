"""The 3-year people-development plan, its items (pushed into the KM plan's Form 2, with the
sessions that carried them out) and each person's development record, printable."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from platu.competency import access, actions, documents, frameworks, records
from platu.competency.forms import ItemForm, ReviewForm
from platu.competency.models import Competency, DevItem, DevPlan, Push, Review
from platu.competency.views import ORG, _base_version, fail
from platu.lib.errors import ActionRefused, EditConflict, InvalidAction
from platu.lib.ids import parse_int
from platu.orgs import access as org_access
from platu.orgs.models import Person
from platu.planning.models import Plan

P = ORG + "plans/<int:year>/"


def _competencies(plan: DevPlan) -> Any:
    fw = plan.cycle.framework if plan.cycle else frameworks.effective(plan.organisation)
    return Competency.objects.filter(framework=fw) if fw else Competency.objects.none()


def _item_form(plan: DevPlan, data: Any = None, initial: dict[str, Any] | None = None) -> ItemForm:
    people = (
        Person.objects.filter(memberships__organisation=plan.organisation).distinct().order_by("sort_key")
    )
    return ItemForm(data, initial=initial or {"years": [plan.first_year], "hours": "6"}, years=plan.years,
                    competencies=_competencies(plan), people=people)  # fmt: skip


def _plan_page(
    request: HttpRequest, plan: DevPlan, *, item_form: Any = None, review_form: Any = None
) -> HttpResponse:
    org = plan.organisation
    planner = access.can_plan(request.user, org)
    items = list(plan.items.prefetch_related("people", "competencies"))
    pushes: dict[int, list[Push]] = {}
    for p in Push.objects.filter(item__plan=plan, activity__isnull=False).select_related("activity__plan"):
        pushes.setdefault(p.item_id, []).append(p)
    budget_by_year = {y: Decimal(0) for y in plan.years}
    for i in items:
        i.targets = actions.target_people(i)  # type: ignore[attr-defined]
        i.pushed = pushes.get(i.pk, [])  # type: ignore[attr-defined]
        for y in i.years:
            if y in budget_by_year and i.budget:
                budget_by_year[y] += i.budget
    reviews = {r.year: r for r in Review.objects.filter(plan=plan).select_related("reviewed_by")}
    if planner:
        item_form = item_form or _item_form(plan)
        review_form = review_form or ReviewForm(years=plan.years)
    return render(request, "competency/plan.html", {
        "org": org, "plan": plan, "items": items, "planner": planner, "item_form": item_form,
        "review_form": review_form, "reviews": [(y, reviews.get(y)) for y in plan.years],
        "budget_by_year": list(budget_by_year.items()), "names": access.can_see_people(request.user, org),
    })  # fmt: skip


@login_required
def plan(request: HttpRequest, code: str, year: int) -> HttpResponse:
    row = access.get_plan(request, code, year)
    if request.method != "POST":
        return _plan_page(request, row)
    if not access.can_plan(request.user, row.organisation):
        raise ActionRefused(
            _("Only the organisation's administrators and KM team make its development plan.")
        )
    op = request.POST.get("op", "")
    if op == "item":
        form = _item_form(row, request.POST)
        if form.is_valid():
            try:
                item = actions.save_item(row, None, form.cleaned_data, acting_user=request.user,
                                         base_version=_base_version(request))  # fmt: skip
            except (InvalidAction, EditConflict) as exc:
                fail(request, form, exc)
            else:
                messages.success(request, _("The item is added to the plan."))
                return redirect(item.get_absolute_url())
        return _plan_page(request, row, item_form=form)
    if op == "review":
        rform = ReviewForm(request.POST, years=row.years)
        if rform.is_valid():
            try:
                actions.save_review(
                    row, rform.cleaned_data["year"], rform.cleaned_data["note"], acting_user=request.user
                )
            except InvalidAction as exc:
                fail(request, rform, exc)
            else:
                messages.success(request, _("The review is saved."))
                return redirect(row.get_absolute_url())
        return _plan_page(request, row, review_form=rform)
    raise Http404


def _item_page(request: HttpRequest, item: DevItem, *, form: Any = None) -> HttpResponse:
    plan_ = item.plan
    org = plan_.organisation
    planner = access.can_plan(request.user, org)
    names = access.can_see_people(request.user, org)
    if planner and form is None:
        form = _item_form(plan_, initial={
            "title": item.title, "way": item.way, "competencies": list(item.competencies.all()),
            "people": list(item.people.all()), "positions": item.positions, "years": item.years,
            "hours": f"{item.hours.normalize():f}", "budget": f"{item.budget:f}" if item.budget is not None else "",
            "note": item.note,
        })  # fmt: skip
    pushes = list(
        item.pushes.filter(activity__isnull=False).select_related("activity__plan__organisation", "pushed_by")
    )
    evidence = records.item_evidence(item)
    targets = actions.target_people(item)
    target_ids = {p.pk for p in targets}
    hours: dict[int, Decimal] = {}
    for _session, came in evidence:
        for a in came:
            if a.person_id in target_ids:
                hours[a.person_id] = hours.get(a.person_id, Decimal(0)) + a.hours
    plans = {
        y: Plan.objects.filter(organisation=org, fiscal_year=y).order_by("-revision").first()
        for y in item.years
    }
    return render(request, "competency/item.html", {
        "org": org, "plan": plan_, "item": item, "form": form, "planner": planner, "names": names,
        "pushes": pushes, "evidence": evidence if names else [], "sessions": len(evidence),
        "attended_total": sum(hours.values(), Decimal(0)),
        "targets": [(p, hours.get(p.pk, Decimal(0))) for p in targets], "km_plans": list(plans.items()),
    })  # fmt: skip


@login_required
def item(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    row = access.get_item(request, code, year, pk)
    if request.method != "POST":
        return _item_page(request, row)
    org = row.plan.organisation
    if not access.can_plan(request.user, org):
        raise ActionRefused(
            _("Only the organisation's administrators and KM team make its development plan.")
        )
    op = request.POST.get("op", "")
    if op == "save":
        form = _item_form(row.plan, request.POST)
        if form.is_valid():
            try:
                actions.save_item(row.plan, row, form.cleaned_data, acting_user=request.user,
                                  base_version=_base_version(request))  # fmt: skip
            except (InvalidAction, EditConflict) as exc:
                fail(request, form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(row.get_absolute_url())
        return _item_page(request, row, form=form)
    if op == "delete":
        try:
            actions.delete_item(row, acting_user=request.user, base_version=_base_version(request))
        except EditConflict as exc:
            fail(request, None, exc)
            return redirect(row.get_absolute_url())
        messages.success(
            request, _("The item is removed from the plan. Activities it put into KM plans stay there.")
        )
        return redirect(row.plan.get_absolute_url())
    if op == "push":
        fy = parse_int(request.POST.get("year")) or 0
        try:
            done = actions.push(row, fy, acting_user=request.user)
        except (InvalidAction, ActionRefused) as exc:
            messages.error(request, exc.message)
        else:
            assert done.activity is not None
            messages.success(
                request, _("The item is an activity of the KM plan %(year)s (Form 2) now.") % {"year": fy}
            )
        return redirect(row.get_absolute_url())
    raise Http404


# -- the development record ------------------------------------------------------------------


@login_required
def person(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    org = access.get_org(request, code)
    who = access.get_person(request, org, pk)
    rec = records.build(who, org, request.user)
    return render(request, "competency/person.html", {"org": org, "person": who, "rec": rec})


@login_required
def person_export(request: HttpRequest, code: str, pk: int, fmt: str) -> HttpResponse:
    if fmt not in ("pdf", "docx"):
        raise Http404
    org = access.get_org(request, code)
    who = access.get_person(request, org, pk)
    from platu.exports.formats import CONTENT_TYPES

    body = documents.render(records.build(who, org, request.user), fmt)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="development-record-{who.pk}.{fmt}"'
    return response


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """The user's own development record, in their first organisation."""
    person_ = org_access.person_of(request.user)
    memberships = org_access.memberships_of(request.user)
    if person_ is None or not memberships:
        raise Http404
    return redirect("competency:person", memberships[0].organisation.code, person_.pk)


urlpatterns = [
    path("competency/me/", me, name="me"),
    path(P, plan, name="plan"),
    path(P + "items/<int:pk>/", item, name="item"),
    path(ORG + "people/<int:pk>/", person, name="person"),
    path(ORG + "people/<int:pk>/record.<slug:fmt>", person_export, name="person_export"),
]
