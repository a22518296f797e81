"""The worksheets and forms of a plan: editable tables, scoring matrices, plan texts."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from platu.lib.errors import ActionRefused, EditConflict, InvalidAction
from platu.lib.ids import MAX_ID, parse_int
from platu.planning import access, actions, display, scoring, tables
from platu.planning.models import Plan, StrategicIssue
from platu.planning.pages import PAGES, TABLE_PAGE
from platu.planning.views.plans import _revision, plan_context


def _int(value: str | None) -> int:
    """A posted number; anything else ("abc", "²", 25 digits) is 0, which matches nothing."""
    return parse_int(value, maximum=MAX_ID) or 0


class PlanTextForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Plan
        fields = ["focus_area", "key_success_factors", "preface"]
        widgets = {name: forms.Textarea(attrs={"rows": 4, "class": "form-control"}) for name in fields}


def _table(
    plan: Plan,
    key: str,
    user: Any,
    *,
    formset: Any = None,
    extra: int = 0,
    base: str | None = None,
    theirs: str = "",
) -> dict[str, Any]:
    """One table of the page: editable rows for the KM team while the plan is a draft, the rows
    as read (labels, names, B.E. dates) otherwise; after a conflict, the other person's saved
    rows beside the user's own and the choice to save over them."""
    spec = tables.SPECS[key]
    editable = access.can_edit(user, plan)
    table: dict[str, Any] = {"spec": spec, "editable": editable}
    visible = _visible_item_ids(plan, user) if "items" in spec.fields else None
    if editable:
        table["formset"] = formset if formset is not None else spec.formset(plan, extra=extra, user=user)
        table["base"] = base or spec.fingerprint(plan)
    if not editable or theirs:
        table["read"] = display.read_table(spec, plan, visible_items=visible)
    table["theirs"] = theirs
    return table


def _visible_item_ids(plan: Plan, user: Any) -> set[int]:
    from platu.knowledge.models import Item

    linked = Item.objects.filter(plan_activities__plan=plan)
    return set(Item.objects.visible_to(user).filter(pk__in=linked.values("pk")).values_list("pk", flat=True))


def _matrices(plan: Plan, page: str, viewer: Any) -> list[tuple[StrategicIssue | None, scoring.Matrix]]:
    if page == "ws2":
        return [
            (issue, scoring.build(plan, 2, viewer=viewer, issue_id=issue.pk)) for issue in plan.issues.all()
        ]
    if page == "ws4":
        return [(None, scoring.build(plan, 4, viewer=viewer))]
    return []


def _render_page(request: HttpRequest, plan: Plan, page: str, **overrides: Any) -> HttpResponse:
    from platu.orgs.access import person_of

    title, keys, document = PAGES[page]
    context = plan_context(request, plan, tab=page, title=title)
    context["sheet_documents"] = [document] if document else []
    context["tables"] = [overrides.get(key) or _table(plan, key, request.user) for key in keys]
    context["matrices"] = _matrices(plan, page, person_of(request.user))
    context["sheet_number"] = 2 if page == "ws2" else 4
    context["score_values"] = scoring.SCORE_VALUES
    if page == "focus":
        context["text_form"] = overrides.get("text_form") or PlanTextForm(instance=plan)
    if page == "action-plan":
        context["activity_groups"] = _activity_groups(plan)
        context["visible_items"] = _visible_item_ids(plan, request.user)
    return render(request, "planning/sheet.html", context)


def _activity_groups(plan: Plan) -> list[tuple[str, list[Any]]]:
    from platu.planning.models import Activity

    activities = sorted(
        plan.activities.prefetch_related("items", "responsible_units"), key=lambda a: (a.step, a.order, a.pk)
    )
    return [
        (str(label), [a for a in activities if a.process == process])
        for process, label in Activity.Process.choices
    ]


@login_required
def sheet(request: HttpRequest, code: str, year: int, page: str) -> HttpResponse:
    if page not in PAGES:
        raise Http404
    plan = access.get_plan_for_user(request, code, year, _revision(request))
    return _render_page(request, plan, page)


@login_required
@require_POST
def table_save(request: HttpRequest, code: str, year: int, key: str) -> HttpResponse:
    if key not in tables.SPECS:
        raise Http404
    plan = access.get_plan_for_user(request, code, year)
    page = TABLE_PAGE[key]
    spec = tables.SPECS[key]
    try:
        outcome = tables.apply(plan, spec, request.POST, acting_user=request.user)
    except ActionRefused as exc:
        messages.error(request, exc.message)
        return redirect(plan.url("sheet", page=page))
    if outcome.saved:
        plan.refresh_from_db()
        if not outcome.added:
            messages.success(request, _("Saved."))
        table = _table(plan, key, request.user, extra=1 if outcome.added else 0)
        if request.htmx and key == "activities" and not outcome.added:  # type: ignore[attr-defined]
            # The printed Form 2 below the table shows the saved rows too: reload the page.
            return HttpResponseClientRefresh()
        if request.htmx:  # type: ignore[attr-defined]
            return render(
                request, "planning/includes/table.html", {**plan_context(request, plan), "t": table}
            )
        if outcome.added:
            return _render_page(request, plan, page, **{key: table})
        return redirect(plan.url("sheet", page=page) + f"#table-{key}")
    if outcome.conflict:
        messages.error(
            request,
            _("Someone else saved this table while you were editing it. Nothing was saved: your rows are "
              "still in the form, and their saved rows are shown beside it. Save yours over theirs only if "
              "you mean to replace them."),
        )  # fmt: skip
        # The base stays the one the user loaded: saving again without choosing to overwrite
        # conflicts again, and the overwrite holds only for the rows the user was shown.
        table = _table(plan, key, request.user, formset=outcome.formset,
                       base=request.POST.get("base", "") or "-", theirs=outcome.current)  # fmt: skip
    else:
        messages.error(request, _("Please correct the rows marked below. Nothing you typed has been lost."))
        table = _table(plan, key, request.user, formset=outcome.formset, base=request.POST.get("base", "") or "-",
                       theirs=request.POST.get("overwrite", "")[:40])  # fmt: skip
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request, "planning/includes/table.html", {**plan_context(request, plan), "t": table}, status=200
        )
    return _render_page(request, plan, page, **{key: table})


@login_required
def pick_items(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Knowledge items the user may read whose title holds the typed words, as boxes to tick
    into an activity's links (the Form 2 picker)."""
    from platu.knowledge.models import Item

    plan = access.get_plan_for_user(request, code, year)
    name = request.GET.get("name", "")
    if not access.can_edit(request.user, plan) or not _PICK_NAME.fullmatch(name):
        raise Http404
    text = " ".join(request.GET.get("q", "").split())[:200]
    items: list[Any] = []
    if text:
        qs = Item.objects.visible_to(request.user)
        for word in text.split()[:5]:
            qs = qs.filter(title__icontains=word)
        items = list(qs.order_by("-pk").only("pk", "title", "state")[:20])
    return render(request, "planning/includes/pick_items.html", {"items": items, "name": name, "q": text})


_PICK_NAME = re.compile(r"activities-\d{1,3}-items")


@login_required
@require_POST
def texts_save(request: HttpRequest, code: str, year: int) -> HttpResponse:
    plan = access.get_plan_for_user(request, code, year)
    form = PlanTextForm(request.POST, instance=plan)
    try:
        actions.require_edit(plan, request.user)
        if form.is_valid():
            actions.save_texts(plan, form.cleaned_data, acting_user=request.user,
                               base_version=_int(request.POST.get("version")))  # fmt: skip
            messages.success(request, _("Saved."))
            return redirect(plan.url("sheet", page="focus"))
    except ActionRefused as exc:
        messages.error(request, exc.message)
        return redirect(plan.url("sheet", page="focus"))
    except EditConflict:
        plan.refresh_from_db()
        messages.error(
            request,
            _("Someone else changed the plan while you were editing. Nothing was saved; your text is still "
              "below. Save again to keep yours."),
        )  # fmt: skip
    return _render_page(request, plan, "focus", text_form=form)


@login_required
@require_POST
def score(request: HttpRequest, code: str, year: int, sheet: int) -> HttpResponse:
    if sheet not in (2, 4):
        raise Http404
    plan = access.get_plan_for_user(request, code, year)
    raw = request.POST.get("value", "")
    try:
        actions.set_score(
            plan,
            sheet=sheet,
            criterion_id=_int(request.POST.get("criterion")),
            column_id=_int(request.POST.get("column")),
            value=parse_int(raw),
            acting_user=request.user,
        )
    except (ActionRefused, InvalidAction) as exc:
        if request.htmx:  # type: ignore[attr-defined]
            return HttpResponse(exc.message, status=400)
        messages.error(request, exc.message)
    page = "ws2" if sheet == 2 else "ws4"
    if request.htmx:  # type: ignore[attr-defined]
        from platu.orgs.access import person_of

        plan.refresh_from_db()
        issue_id = _int(request.POST.get("issue"))
        matrix = scoring.build(
            plan,
            sheet,
            viewer=person_of(request.user),
            issue_id=int(issue_id) if issue_id and sheet == 2 else None,
        )
        issue = plan.issues.filter(pk=issue_id).first() if sheet == 2 and issue_id else None
        return render(
            request,
            "planning/includes/matrix.html",
            {
                **plan_context(request, plan),
                "issue": issue,
                "m": matrix,
                "score_values": scoring.SCORE_VALUES,
            },
        )
    return redirect(plan.url("sheet", page=page))


@login_required
@require_POST
def choose(request: HttpRequest, code: str, year: int, sheet: int) -> HttpResponse:
    if sheet not in (2, 4):
        raise Http404
    plan = access.get_plan_for_user(request, code, year)
    try:
        if request.POST.get("by_rank"):
            count = _int(request.POST.get("top")) or 3
            ids = actions.top_ranked(plan, sheet, max(1, min(count, 50)))
        else:
            ids = [n for n in (parse_int(x, maximum=MAX_ID) for x in request.POST.getlist("chosen")) if n]
        actions.set_chosen(plan, sheet=sheet, chosen_ids=ids, acting_user=request.user)
    except (ActionRefused, InvalidAction) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The choice has been saved."))
    return redirect(plan.url("sheet", page="ws2" if sheet == 2 else "ws4"))
