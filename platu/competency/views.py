"""Competency pages: the organisation's page, the framework (own or inherited), the yearly
cycle with self and supervisor assessments, the development-needs survey and the summary.
Everything goes through platu/competency/access.py (404 for what the user may not see)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platu.competency import access, actions, frameworks, gaps
from platu.competency.forms import (
    AssessmentForm,
    CompetencyForm,
    CycleDatesForm,
    CycleForm,
    ExpectationForm,
    FrameworkStartForm,
    LevelForm,
    NeedForm,
    PlanStartForm,
    SupervisorForm,
    TextsForm,
)
from platu.competency.models import (
    Assessment,
    Competency,
    Cycle,
    DevPlan,
    Framework,
    Need,
    Rating,
    Supervisor,
)
from platu.lib import thaidate
from platu.lib.errors import ActionRefused, EditConflict, InvalidAction
from platu.lib.ids import parse_int
from platu.orgs import access as org_access
from platu.orgs.models import Organisation, Person

ORG = "orgs/<slug:code>/competency/"
C = ORG + "cycles/<int:year>/"


def _conflict_message() -> str:
    return _("Someone else saved this in the meantime. Your text is kept below: check and save again.")


def fail(request: HttpRequest, form: forms.Form | None, exc: Exception) -> None:
    """An action's refusal onto the form (its field when it names one) or as a message."""
    message = _conflict_message() if isinstance(exc, EditConflict) else getattr(exc, "message", str(exc))
    field = getattr(exc, "field", None)
    if form is not None:
        form.add_error(field if field in form.fields else None, message)
    else:
        messages.error(request, message)


def _base_version(request: HttpRequest) -> int:
    return parse_int(request.POST.get("base_version")) or 0


def _me(request: HttpRequest, org: Organisation) -> Person | None:
    person = org_access.person_of(request.user)
    return person if person is not None and access.is_member(person, org) else None


# -- the organisation's page -----------------------------------------------------------------


@login_required
def home(request: HttpRequest, code: str) -> HttpResponse:
    org = access.get_org(request, code)
    user = request.user
    admin = access.can_admin(user, org)
    planner = access.can_plan(user, org)
    current = frameworks.effective(org)
    own = list(Framework.objects.filter(organisation=org).order_by("-number")) if admin else []
    cycles = list(Cycle.objects.filter(organisation=org).select_related("framework__organisation"))
    plans = list(DevPlan.objects.filter(organisation=org))
    op = request.POST.get("op", "") if request.method == "POST" else ""
    if request.method == "POST" and op not in ("framework_start", "cycle_open", "plan_start"):
        raise Http404
    today = timezone.localdate()
    next_year = thaidate.to_be(today.year) if today.month <= 7 else thaidate.to_be(today.year) + 1
    opens, closes = actions.default_dates(next_year)
    start_form = FrameworkStartForm(request.POST if op == "framework_start" else None,
                                    initial={"name": current.name if current else ""}) if admin and not own else None  # fmt: skip
    cycle_form = CycleForm(request.POST if op == "cycle_open" else None,
                           initial={"year": next_year, "opens_on": opens, "closes_on": closes}) if admin and current else None  # fmt: skip
    fy = thaidate.fiscal_year(today)
    plan_form = PlanStartForm(request.POST if op == "plan_start" else None, cycles=cycles,
                              initial={"first_year": fy + 1, "title": f"แผนพัฒนาทรัพยากรบุคคล 3 ปี ({fy + 1}–{fy + 3})"}) if planner else None  # fmt: skip
    if request.method == "POST":
        try:
            if op == "framework_start" and start_form is not None and start_form.is_valid():
                row = actions.start_framework(org, acting_user=user, name=start_form.cleaned_data["name"],
                                              copy=current if start_form.cleaned_data["copy"] else None)  # fmt: skip
                messages.success(
                    request, _("The framework is started as a draft. Publish it when it is ready.")
                )
                return redirect(row.get_absolute_url())
            if op == "cycle_open" and cycle_form is not None and cycle_form.is_valid():
                d = cycle_form.cleaned_data
                cycle = actions.open_cycle(org, d["year"], d["opens_on"], d["closes_on"], acting_user=user)
                messages.success(request, _("The cycle is open. Everyone in the organisation has been told."))
                return redirect(cycle.get_absolute_url())
            if op == "plan_start" and plan_form is not None and plan_form.is_valid():
                d = plan_form.cleaned_data
                chosen = next((c for c in cycles if c.pk == d["cycle"]), None)
                plan = actions.start_plan(org, d["first_year"], d["title"], acting_user=user, cycle=chosen)
                messages.success(request, _("The 3-year plan is started."))
                return redirect(plan.get_absolute_url())
            if not {"framework_start": start_form, "cycle_open": cycle_form, "plan_start": plan_form}.get(op):
                raise ActionRefused(
                    _("Only the organisation's CEO, CKO, KM team lead or secretary may do this.")
                )
        except (InvalidAction, ActionRefused) as exc:
            form = {"framework_start": start_form, "cycle_open": cycle_form, "plan_start": plan_form}.get(op)
            fail(request, form, exc)
    me = _me(request, org)
    open_cycles = [c for c in cycles if c.accepts(today)]
    return render(request, "competency/home.html", {
        "org": org, "framework": current, "own": own, "cycles": cycles, "plans": plans, "me": me,
        "open_cycles": open_cycles, "admin": admin, "planner": planner, "start_form": start_form,
        "cycle_form": cycle_form, "plan_form": plan_form, "inherited": current is not None and current.organisation_id != org.pk,
    })  # fmt: skip


# -- frameworks ------------------------------------------------------------------------------


def _framework_page(request: HttpRequest, org: Organisation, fw: Framework | None, *, bound: dict[str, Any] | None = None) -> HttpResponse:  # fmt: skip
    editable = False
    in_use = False
    if fw is not None and fw.organisation_id == org.pk:
        in_use = frameworks.in_use(fw)
        editable = access.can_admin(request.user, org) and not in_use
    bound = bound or {}
    forms_: dict[str, Any] = {}
    if fw is not None and editable:
        forms_ = {
            "texts": bound.get("texts")
            or TextsForm(initial={"name": fw.name, "description": fw.description}),
            "level": bound.get("level") or LevelForm(),
            "competency": bound.get("competency") or CompetencyForm(framework=fw),
            "expectation": bound.get("expectation") or ExpectationForm(framework=fw),
        }
    expectations: dict[str, list[Any]] = {}
    if fw is not None:
        for e in fw.expectations.select_related("competency").order_by("position", "competency__order"):
            expectations.setdefault(e.position, []).append(e)
    return render(request, "competency/framework.html", {
        "org": org, "framework": fw, "nodes": frameworks.tree(fw) if fw else [], "levels": frameworks.levels(fw) if fw else [],
        "expectations": sorted(expectations.items()), "editable": editable, "in_use": in_use, "forms": forms_,
        "versions": list(Framework.objects.filter(organisation=org).order_by("-number")) if access.can_admin(request.user, org) else [],
        "admin": access.can_admin(request.user, org),
    })  # fmt: skip


@login_required
def framework(request: HttpRequest, code: str) -> HttpResponse:
    """The framework the organisation uses now: its own or the nearest office's above."""
    org = access.get_org(request, code)
    return _framework_page(request, org, frameworks.effective(org))


@login_required
def framework_version(request: HttpRequest, code: str, number: int) -> HttpResponse:
    fw = access.get_framework(request, code, number)
    return _framework_page(request, fw.organisation, fw)


FORMS = {"texts": TextsForm, "level": LevelForm, "competency": CompetencyForm, "expectation": ExpectationForm}


@login_required
@require_POST
def framework_edit(request: HttpRequest, code: str, number: int) -> HttpResponse:
    fw = access.get_framework(request, code, number)
    org = fw.organisation
    if not access.can_admin(request.user, org):
        raise ActionRefused(_("Only the organisation's CEO, CKO, KM team lead or secretary may do this."))
    op = request.POST.get("op", "")
    form = None
    data: dict[str, Any] = dict(request.POST.items())
    if op in FORMS:
        cls = FORMS[op]
        form = (
            cls(request.POST, framework=fw) if cls in (CompetencyForm, ExpectationForm) else cls(request.POST)
        )  # type: ignore[call-arg]
        if not form.is_valid():
            return _framework_page(request, org, fw, bound={op: form})
        data = {k: ("" if v is None else v) for k, v in form.cleaned_data.items()}
    try:
        target, moved = actions.edit_framework(
            fw, op, data, acting_user=request.user, base_version=_base_version(request)
        )
    except (InvalidAction, EditConflict) as exc:
        fail(request, form, exc)
        if form is not None:
            return _framework_page(request, org, fw, bound={op: form})
        return redirect(fw.get_absolute_url())
    if moved and op != "new_version":
        messages.warning(request, _("Assessments have been made against this version, so it was not changed. Version %(n)s is a copy to edit: make your change there.") % {"n": target.number})  # fmt: skip
    elif moved:
        messages.success(request, _("Version %(n)s is a draft copy to edit.") % {"n": target.number})
    elif op == "publish":
        messages.success(request, _("Version %(n)s is published: new cycles use it.") % {"n": target.number})
    else:
        messages.success(request, _("Saved."))
    return redirect(target.get_absolute_url())


# -- cycles ----------------------------------------------------------------------------------


def _cycle_page(
    request: HttpRequest, cycle: Cycle, *, dates_form: Any = None, sup_form: Any = None
) -> HttpResponse:
    org = cycle.organisation
    user = request.user
    admin = access.can_admin(user, org)
    today = timezone.localdate()
    me = _me(request, org)
    mine = None
    if me is not None:
        mine = gaps.results(cycle, [me])[0]
    people: list[Any] = []
    supervised = access.supervised_ids(user, org, cycle)
    if admin or supervised or access.is_staff(user):
        everyone = list(gaps.people_of(cycle))
        shown = everyone if admin or access.is_staff(user) else [p for p in everyone if p.pk in supervised]
        names = {
            s.person_id: s.supervisor
            for s in Supervisor.objects.filter(cycle=cycle).select_related("supervisor")
        }
        needs = set(Need.objects.filter(cycle=cycle).values_list("person_id", flat=True))
        for r in gaps.results(cycle, shown):
            people.append({"r": r, "supervisor": names.get(r.person.pk), "need": r.person.pk in needs})
        if admin:
            sup_form = sup_form or SupervisorForm(people=everyone, supervisors=list(
                org_access.network_people(org, user).order_by("sort_key")[:500]))  # fmt: skip
            dates_form = dates_form or CycleDatesForm(
                initial={"opens_on": cycle.opens_on, "closes_on": cycle.closes_on}
            )
    my_need = Need.objects.filter(cycle=cycle, person=me).first() if me else None
    return render(request, "competency/cycle.html", {
        "org": org, "cycle": cycle, "admin": admin, "open": cycle.accepts(today), "me": me, "mine": mine,
        "my_need": my_need, "people": people, "dates_form": dates_form, "sup_form": sup_form,
    })  # fmt: skip


@login_required
def cycle(request: HttpRequest, code: str, year: int) -> HttpResponse:
    return _cycle_page(request, access.get_cycle(request, code, year))


@login_required
@require_POST
def cycle_action(request: HttpRequest, code: str, year: int) -> HttpResponse:
    row = access.get_cycle(request, code, year)
    org = row.organisation
    if not access.can_admin(request.user, org):
        raise ActionRefused(_("Only the organisation's CEO, CKO, KM team lead or secretary may do this."))
    op = request.POST.get("op", "")
    try:
        if op == "dates":
            form = CycleDatesForm(request.POST)
            if not form.is_valid():
                return _cycle_page(request, row, dates_form=form)
            try:
                actions.set_cycle(row, acting_user=request.user, base_version=_base_version(request),
                                  opens_on=form.cleaned_data["opens_on"], closes_on=form.cleaned_data["closes_on"])  # fmt: skip
            except (InvalidAction, EditConflict) as exc:
                fail(request, form, exc)
                return _cycle_page(request, row, dates_form=form)
            messages.success(request, _("Saved."))
        elif op in ("close", "reopen"):
            state = Cycle.State.CLOSED if op == "close" else Cycle.State.OPEN
            actions.set_cycle(row, acting_user=request.user, base_version=_base_version(request), state=state)
            messages.success(
                request, _("The cycle is closed.") if op == "close" else _("The cycle is open again.")
            )
        elif op == "supervisor":
            everyone = list(gaps.people_of(row))
            candidates = org_access.network_people(org, request.user)
            sform = SupervisorForm(
                request.POST, people=everyone, supervisors=list(candidates.order_by("sort_key")[:500])
            )
            if not sform.is_valid():
                return _cycle_page(request, row, sup_form=sform)
            person = next(p for p in everyone if p.pk == sform.cleaned_data["person"])
            sup = (
                candidates.filter(pk=sform.cleaned_data["supervisor"]).first()
                if sform.cleaned_data["supervisor"]
                else None
            )
            try:
                actions.name_supervisor(row, person, sup, acting_user=request.user)
            except InvalidAction as exc:
                fail(request, sform, exc)
                return _cycle_page(request, row, sup_form=sform)
            messages.success(request, _("Saved."))
        else:
            raise InvalidAction(_("Unknown request."))
    except (InvalidAction, EditConflict) as exc:
        fail(request, None, exc)
    return redirect(row.get_absolute_url())


@login_required
def summary(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The cycle in numbers: readable by the organisation and the offices above (no names)."""
    from platu.surveys.models import min_group_for

    row = access.get_cycle(request, code, year)
    data = gaps.summary(row)
    admin = access.can_admin(request.user, row.organisation)
    # Averages of a handful of colleagues identify them: below the organisation's minimum group
    # (its survey setting, 5 by default) only its administrators read the levels and gaps.
    floor = min_group_for(row.organisation)
    assessed = max((r.assessed for r in data.rows), default=0)
    return render(request, "competency/summary.html", {
        "org": row.organisation, "cycle": row, "s": data, "admin": admin,
        "hidden": not admin and assessed < floor, "floor": floor,
    })  # fmt: skip


# -- assessments -----------------------------------------------------------------------------


def _expected_competencies(cycle: Cycle, person: Person) -> tuple[list[Competency], dict[int, int]]:
    expected = frameworks.expected(cycle.framework, person.position)
    return [n.competency for n in frameworks.tree(cycle.framework) if n.competency.pk in expected], expected


@login_required
def assess(request: HttpRequest, code: str, year: int, pk: int, kind: str) -> HttpResponse:
    row = access.get_cycle(request, code, year)
    org = row.organisation
    person = access.get_person(request, org, pk)
    if kind not in Assessment.Kind.values:
        raise Http404
    may = (
        access.is_self(request.user, person)
        if kind == Assessment.Kind.SELF
        else access.can_assess_as_supervisor(request.user, person, row)
    )
    if not may:
        raise Http404
    assessment = Assessment.objects.filter(cycle=row, person=person, kind=kind).first()
    competencies, expected = _expected_competencies(row, person)
    levels = frameworks.levels(row.framework)
    initial: dict[str, Any] = {}
    if assessment is not None:
        initial["comment"] = assessment.comment
        for r in Rating.objects.filter(assessment=assessment):
            initial[f"c{r.competency_id}"], initial[f"n{r.competency_id}"] = r.level, r.note
    form = AssessmentForm(request.POST or None, initial=initial, competencies=competencies, levels=levels)
    version = assessment.version if assessment else 1
    open_ = row.accepts(timezone.localdate())
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.save_assessment(
                row, person, kind, {c.pk: d.get(f"c{c.pk}") for c in competencies}, acting_user=request.user,
                base_version=_base_version(request), notes={c.pk: d.get(f"n{c.pk}") or "" for c in competencies},
                comment=d.get("comment") or "", submit=request.POST.get("submit") == "1",
            )  # fmt: skip
        except (InvalidAction, EditConflict, ActionRefused) as exc:
            fail(request, form, exc)
            version = exc.current_version if isinstance(exc, EditConflict) else _base_version(request)
        else:
            if request.POST.get("submit") == "1":
                messages.success(request, _("The assessment is handed in."))
                return redirect("competency:person_cycle", org.code, row.year, person.pk)
            messages.success(request, _("Saved as a draft. Hand it in when every competency is rated."))
            return redirect(request.path)
    other = None
    if kind == Assessment.Kind.SUPERVISOR:  # the supervisor sees the person's own levels beside theirs
        own = Assessment.objects.filter(
            cycle=row, person=person, kind=Assessment.Kind.SELF, submitted_at__isnull=False
        ).first()
        if own is not None:
            other = {r.competency_id: r for r in Rating.objects.filter(assessment=own)}
    rows = [
        (c, field, note, expected.get(c.pk), other.get(c.pk) if other else None)
        for c, field, note in form.rows()
    ]
    return render(request, "competency/assess.html", {
        "org": org, "cycle": row, "person": person, "kind": kind, "form": form, "rows": rows, "levels": levels,
        "assessment": assessment, "version": version, "open": open_, "own": other is not None,
    })  # fmt: skip


@login_required
def person_cycle(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    """One person's levels in a cycle: expected, own, the supervisor's, agreed and the gap."""
    row = access.get_cycle(request, code, year)
    org = row.organisation
    person = access.get_person(request, org, pk)
    result = gaps.results(row, [person])[0]
    competencies, _expected = _expected_competencies(row, person)
    agreed, gaps_ = result.agreed, result.gaps
    lines = [(c, result.expected.get(c.pk), result.own.get(c.pk), result.supervisor.get(c.pk), agreed.get(c.pk), gaps_.get(c.pk))
             for c in competencies]  # fmt: skip
    need = Need.objects.filter(cycle=row, person=person).prefetch_related("competencies").first()
    return render(request, "competency/person_cycle.html", {
        "org": org, "cycle": row, "person": person, "result": result, "lines": lines, "need": need,
        "is_self": access.is_self(request.user, person), "open": row.accepts(timezone.localdate()),
        "can_supervise": access.can_assess_as_supervisor(request.user, person, row),
        "levels": {lv.value: lv.name for lv in frameworks.levels(row.framework)},
    })  # fmt: skip


@login_required
def needs(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The user's own development-needs survey in the cycle."""
    row = access.get_cycle(request, code, year)
    me = _me(request, row.organisation)
    if me is None:
        raise Http404
    need = Need.objects.filter(cycle=row, person=me).prefetch_related("competencies").first()
    initial = {"topics": need.topics, "ways": need.ways, "note": need.note,
               "competencies": list(need.competencies.all())} if need else {}  # fmt: skip
    form = NeedForm(request.POST or None, initial=initial, cycle=row)
    version = need.version if need else 1
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_need(
                row, me, form.cleaned_data, acting_user=request.user, base_version=_base_version(request)
            )
        except (InvalidAction, EditConflict, ActionRefused) as exc:
            fail(request, form, exc)
            version = exc.current_version if isinstance(exc, EditConflict) else _base_version(request)
        else:
            messages.success(request, _("Your development needs are saved. Thank you."))
            return redirect(row.get_absolute_url())
    return render(request, "competency/needs.html", {
        "org": row.organisation, "cycle": row, "form": form, "version": version, "open": row.accepts(timezone.localdate()),
    })  # fmt: skip


urlpatterns = [
    path(ORG, home, name="home"),
    path(ORG + "framework/", framework, name="framework"),
    path(ORG + "frameworks/<int:number>/", framework_version, name="framework_version"),
    path(ORG + "frameworks/<int:number>/edit/", framework_edit, name="framework_edit"),
    path(C, cycle, name="cycle"),
    path(C + "do/", cycle_action, name="cycle_action"),
    path(C + "summary/", summary, name="summary"),
    path(C + "needs/", needs, name="needs"),
    path(C + "people/<int:pk>/", person_cycle, name="person_cycle"),
    path(C + "people/<int:pk>/<slug:kind>/", assess, name="assess"),
]
