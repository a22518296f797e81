"""/api/v1/plans/...: an organisation's KM action plans and their documents (as the plan pages)."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext as _
from ninja import Header, Router, Schema
from ninja.errors import HttpError

from platu.api import base_revision, clean, ident, require_write, responses
from platu.exports.formats import CONTENT_TYPES
from platu.lib.errors import ActionRefused, InvalidAction
from platu.lib.ids import MAX_ID
from platu.planning import access, actions
from platu.planning.models import Activity, Plan

router = Router(tags=["plans"])
# The plan's printed documents (the same builders as the page's downloads); through importlib so
# that mypy's strict check of this module does not take in that module, which it does not check.
documents: Any = importlib.import_module("platu.planning.documents")


class PlanSummary(Schema):
    id: int
    organisation: str
    fiscal_year: int
    revision: int
    state: str
    version: int
    updated_at: dt.datetime
    url: str


class PlanOut(PlanSummary):
    preface: str
    focus_area: str
    key_success_factors: str
    submitted_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    approved_at: dt.datetime | None
    counts: dict[str, int]
    documents: list[str]


def _summary(plan: Plan) -> dict[str, object]:
    return {
        "id": plan.pk,
        "organisation": plan.organisation.code,
        "fiscal_year": plan.fiscal_year,
        "revision": plan.revision,
        "state": plan.state,
        "version": plan.version,
        "updated_at": plan.updated_at,
        "url": reverse("planning:plan", args=[plan.organisation.code, plan.fiscal_year]),
    }


def _year(year: int) -> int:
    if not 2400 <= year <= 2800:  # Buddhist Era fiscal years
        raise Http404
    return year


def _plan(request: HttpRequest, code: str, year: int, revision: int | None) -> Plan:
    if revision is not None and not 0 < revision < 10_000:
        raise Http404
    return access.get_plan_for_user(request, clean(code, 100), _year(year), revision)


@router.get("/{code}", response=responses(list[PlanSummary]), summary="An organisation's plans, newest first")
def plan_list(request: HttpRequest, code: str) -> list[PlanSummary]:
    org = access.get_org_for_user(request, clean(code, 100))
    plans = Plan.objects.filter(organisation=org).select_related("organisation")
    return [PlanSummary(**_summary(p)) for p in plans.order_by("-fiscal_year", "-revision")[:200]]  # type: ignore[arg-type]


@router.get(
    "/{code}/{year}",
    response=responses(PlanOut),
    summary="A fiscal year's plan (B.E.): its latest revision unless one is asked for",
)
def plan_detail(request: HttpRequest, code: str, year: int, revision: int | None = None) -> PlanOut:
    plan = _plan(request, code, year, revision)
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
    return PlanOut(
        **_summary(plan),  # type: ignore[arg-type]
        preface=plan.preface,
        focus_area=plan.focus_area,
        key_success_factors=plan.key_success_factors,
        submitted_at=plan.submitted_at,
        reviewed_at=plan.reviewed_at,
        approved_at=plan.approved_at,
        counts=counts,
        documents=[d for d in documents.DOCUMENTS + documents.TEAM_DOCUMENTS if d != "booklet"],
    )


@router.get(
    "/{code}/{year}/documents/{document}/{fmt}",
    response=responses(None),
    openapi_extra={
        "responses": {
            200: {
                "description": "The document (pdf, docx or xlsx)",
                "content": {"application/octet-stream": {}},
            }
        }
    },
    summary="A worksheet or form of the plan as PDF, DOCX or XLSX (the booklet is prepared on its page)",
)
def plan_document(
    request: HttpRequest, code: str, year: int, document: str, fmt: str, revision: int | None = None
) -> HttpResponse:
    if document not in documents.DOCUMENTS + documents.TEAM_DOCUMENTS or document == "booklet":
        raise Http404
    if fmt not in documents.FORMATS:
        raise Http404
    plan = _plan(request, code, year, revision)
    data = documents.render(plan, document, fmt)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    filename = f"{documents.build(plan, document).filename}.{fmt}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response


# -- editing: the plan's texts and its Form 2 activities --------------------------------------------
# The tables' row forms and their save (platu/planning/tables.py), through importlib as above.
tables: Any = importlib.import_module("platu.planning.tables")
IF_MATCH = Header(None, alias="If-Match", description='The plan\'s version read: "3" (its ETag)')  # type: ignore[type-arg]


class ActivityOut(Schema):
    id: int
    order: int
    step_key: str  # km:1 … km:7, change:1 … change:6
    desired_state: int | None
    knowledge: int | None
    name: str
    method: str
    start: dt.date | None
    end: dt.date | None
    indicator: str
    target: str
    target_group: str
    responsible: str
    responsible_units: list[str]  # organisations' codes
    budget: float | None
    status: str
    note: str
    items: list[int]  # knowledge items the caller may read


class ActivityList(Schema):
    plan_version: int
    editable: bool
    activities: list[ActivityOut]


class ActivityIn(Schema):
    """What a row of Form 2 takes; on an update, what is left out keeps its value. Dates are ISO
    or typed the Thai way (1/10/2568); `version` (or If-Match) is the plan's version read."""

    step_key: str | None = None
    desired_state: int | None = None
    knowledge: int | None = None
    name: str | None = None
    method: str | None = None
    start: str | None = None
    end: str | None = None
    indicator: str | None = None
    target: str | None = None
    target_group: str | None = None
    responsible: str | None = None
    responsible_units: list[str] | None = None  # organisations' codes
    budget: str | None = None
    status: str | None = None
    note: str | None = None
    items: list[int] | None = None
    version: int | None = None


class TextsIn(Schema):
    focus_area: str | None = None
    key_success_factors: str | None = None
    preface: str | None = None
    version: int | None = None


def _activity(a: Activity, visible: set[int]) -> ActivityOut:
    return ActivityOut(
        id=a.pk, order=a.order, step_key=f"{a.process}:{a.step}", desired_state=a.desired_state_id,
        knowledge=a.knowledge_id, name=a.name, method=a.method, start=a.start, end=a.end, indicator=a.indicator,
        target=a.target, target_group=a.target_group, responsible=a.responsible,
        responsible_units=sorted(o.code for o in a.responsible_units.all()),
        budget=float(a.budget) if a.budget is not None else None, status=a.status, note=a.note,
        items=sorted(i.pk for i in a.items.all() if i.pk in visible),
    )  # fmt: skip


def _visible(request: HttpRequest, plan: Plan) -> set[int]:
    from platu.knowledge.models import Item

    linked = Activity.items.through.objects.filter(activity__plan=plan).values_list("item_id", flat=True)
    return set(Item.objects.visible_to(request.user).filter(pk__in=linked).values_list("pk", flat=True))


def _editable_plan(request: HttpRequest, code: str, year: int) -> Plan:
    """The latest revision, if it is still a draft (or returned for changes) and the caller is on
    the KM team; 409 with the reason otherwise."""
    require_write(request)
    plan = _plan(request, code, year, None)
    if not plan.is_editable:
        raise HttpError(
            409,
            _("This plan is %(state)s and cannot be changed. Start an amendment to change an approved plan.")
            % {"state": plan.get_state_display()},
        )
    if not access.is_km_team(request.user, plan.organisation):
        raise ActionRefused(_("Only the organisation's KM team may edit its plan."))
    return plan


def _row_data(plan: Plan, row: Activity | None, payload: ActivityIn) -> dict[str, Any]:
    """The row form's data: the row's values (or a new row's defaults), then what was sent."""
    if row is None:
        data: dict[str, Any] = {"step_key": "km:1", "name": "", "status": Activity.Status.PLANNED}
        data |= {k: v.isoformat() for k, v in tables._fy_defaults(plan).items() if isinstance(v, dt.date)}
    else:
        data = {name: getattr(row, name) for name in ("name", "method", "indicator", "target", "target_group",
                                                      "responsible", "status", "note")}  # fmt: skip
        data |= {"step_key": f"{row.process}:{row.step}", "desired_state": row.desired_state_id or "",
                 "knowledge": row.knowledge_id or "", "start": row.start.isoformat() if row.start else "",
                 "end": row.end.isoformat() if row.end else "",
                 "budget": str(row.budget) if row.budget is not None else "",
                 "responsible_units": [str(pk) for pk in row.responsible_units.values_list("pk", flat=True)],
                 "items": [str(pk) for pk in row.items.values_list("pk", flat=True)]}  # fmt: skip
    for name, value in payload.model_dump(exclude_unset=True, exclude={"version"}).items():
        if name == "responsible_units":
            codes = [clean(str(c), 100) for c in (value or [])[:200]]
            found = dict(
                tables.network_orgs(plan.organisation).filter(code__in=codes).values_list("code", "pk")
            )
            if set(codes) - set(found):
                raise InvalidAction(_("That choice is not one of those available."), field=name)
            value = [str(found[c]) for c in codes]
        elif name == "items":
            if any(not 0 < v <= MAX_ID for v in value or []):
                raise InvalidAction(_("That choice is not one of those available."), field=name)
            value = [str(v) for v in (value or [])[:500]]
        elif isinstance(value, int):
            if not 0 < value <= MAX_ID:
                raise InvalidAction(_("That choice is not one of those available."), field=name)
        elif isinstance(value, str):
            value = clean(value, 20_000)
        data[name] = "" if value is None else value
    return data


def _activities(request: HttpRequest, plan: Plan, status: int = 200) -> HttpResponse:
    from platu.api import api

    plan.refresh_from_db()
    rows = Activity.objects.filter(plan=plan).prefetch_related("responsible_units", "items")
    visible = _visible(request, plan)
    body = ActivityList(
        plan_version=plan.version,
        editable=access.can_edit(request.user, plan),
        activities=[_activity(a, visible) for a in rows.order_by("order", "pk")],
    )
    response = api.create_response(request, body, status=status)
    response["ETag"] = f'"{plan.version}"'
    return response


@router.get(
    "/{code}/{year}/activities",
    response=responses(ActivityList),
    summary="The plan's Form 2 activities (its ETag is the plan's version)",
)
def activity_list(request: HttpRequest, code: str, year: int, revision: int | None = None) -> HttpResponse:
    return _activities(request, _plan(request, code, year, revision))


def _save(request: HttpRequest, plan: Plan, row: Activity | None, payload: ActivityIn) -> None:
    base = base_revision(request, payload.version)
    data = _row_data(plan, row, payload)
    _saved, form = tables.save_row(plan, tables.SPECS["activities"], row, data, acting_user=request.user,
                                   base_version=base)  # fmt: skip
    if form is not None:
        field, errors = next(iter(form.errors.items()))
        raise InvalidAction(str(errors[0]), field=None if field == "__all__" else field)


@router.post(
    "/{code}/{year}/activities",
    response=responses(ActivityList, 201),
    summary="Add a Form 2 activity (a draft plan; If-Match or version: the plan's version, 409 when changed)",
)
def activity_add(
    request: HttpRequest, code: str, year: int, payload: ActivityIn, if_match: str | None = IF_MATCH
) -> HttpResponse:
    plan = _editable_plan(request, code, year)
    if not payload.name:
        raise InvalidAction(_("The activity needs a name."), field="name")
    _save(request, plan, None, payload)
    return _activities(request, plan, 201)


@router.put(
    "/{code}/{year}/activities/{pk}",
    response=responses(ActivityList),
    summary="Change a Form 2 activity (a draft plan; If-Match or version: the plan's version, 409 when changed)",
)
def activity_update(
    request: HttpRequest, code: str, year: int, pk: int, payload: ActivityIn, if_match: str | None = IF_MATCH
) -> HttpResponse:
    plan = _editable_plan(request, code, year)
    row = Activity.objects.filter(plan=plan, pk=ident(pk)).first()
    if row is None:
        raise Http404
    _save(request, plan, row, payload)
    return _activities(request, plan)


@router.put(
    "/{code}/{year}/texts",
    response=responses(PlanOut),
    summary="Change the plan's focus area, key success factors and preface (If-Match or version; 409)",
)
def plan_texts(
    request: HttpRequest, code: str, year: int, payload: TextsIn, if_match: str | None = IF_MATCH
) -> HttpResponse:
    from platu.api import api

    plan = _editable_plan(request, code, year)
    base = base_revision(request, payload.version)
    data = {name: getattr(plan, name) for name in ("focus_area", "key_success_factors", "preface")}
    for name, value in payload.model_dump(exclude_unset=True, exclude={"version"}).items():
        data[name] = clean(value or "", 50_000)
    actions.save_texts(plan, data, acting_user=request.user, base_version=base)
    response = api.create_response(request, plan_detail(request, code, year), status=200)
    response["ETag"] = f'"{plan.version}"'
    return response
