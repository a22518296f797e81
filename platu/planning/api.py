"""/api/v1/plans/...: an organisation's KM action plans and their documents (as the plan pages)."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from ninja import Router, Schema

from platu.api import clean, responses
from platu.exports.formats import CONTENT_TYPES
from platu.planning import access
from platu.planning.models import Plan

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
