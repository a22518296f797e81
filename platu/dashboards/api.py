"""/api/v1/dashboards/{code}: the numbers of an organisation's dashboard for a fiscal year (its own
and with the organisations under it, by month, and its latest round), as the dashboard page counts
them (platu/dashboards/figures.py), for organisations the caller may see (404 otherwise)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from platu.api import clean, responses
from platu.dashboards import figures
from platu.dashboards.models import ADDITIVE, OrgYear, Scope
from platu.lib import thaidate
from platu.orgs import access
from platu.orgs.models import Organisation

router = Router(tags=["dashboards"])

YEAR_FIELDS = (*ADDITIVE, "organisations", "plan_state", "plans", "plans_approved", "activities",
               "round_months", "entries", "percent_sum", "done", "late", "at_risk")  # fmt: skip


class RoundNumbers(Schema):
    months: int | None
    progress: float | None
    done: int
    late: int
    at_risk: int


class DashboardOut(Schema):
    organisation: str
    fiscal_year: int
    years: list[int]
    scope: str
    own: dict[str, Any] | None
    subtree: dict[str, Any] | None
    monthly: list[dict[str, Any]]
    round: RoundNumbers
    updated_at: dt.datetime | None


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _year_row(row: OrgYear | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {name: _plain(getattr(row, name)) for name in YEAR_FIELDS if hasattr(row, name)}


@router.get(
    "/{code}",
    response=responses(DashboardOut),
    summary="A dashboard's numbers for a fiscal year (B.E.; this year unless given)",
)
def dashboard(request: HttpRequest, code: str, year: int | None = None, scope: str = "") -> DashboardOut:
    org = access.get_organisation_for_user(request, clean(code, 100))
    current = thaidate.fiscal_year(timezone.localdate())
    if year is None:
        year = current
    if not 2400 <= year <= current + 1:
        raise Http404
    has_children = Organisation.objects.filter(parent=org).exists()
    if scope not in (Scope.OWN, Scope.SUBTREE) or not has_children:
        scope = Scope.SUBTREE if has_children else Scope.OWN
    years = figures.year_figures(org, year)
    summary = figures.round_summary(org, year)
    shown = years["subtree"] if scope == Scope.SUBTREE else years["own"]
    return DashboardOut(
        organisation=org.code,
        fiscal_year=year,
        years=figures.years_of(org),
        scope=scope,
        own=_year_row(years["own"]),
        subtree=_year_row(years["subtree"]),
        monthly=[{k: _plain(v) for k, v in row.items()} for row in figures.monthly(org, year, scope)],
        round=RoundNumbers(
            months=summary.round.months if summary.round else None,
            progress=round(summary.progress, 1) if summary.progress is not None else None,
            done=summary.count("done"),
            late=summary.count("late"),
            at_risk=summary.count("at_risk"),
        ),
        updated_at=shown.updated_at if shown else None,
    )
