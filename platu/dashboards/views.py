"""The executive dashboard of an organisation and the roll-up over the organisations under it.
Read-only pages; each table downloads as CSV or XLSX (`?format=csv|xlsx&table=<key>`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from platu.dashboards import charts, figures, refresh
from platu.dashboards.models import Scope
from platu.dashboards.tables import Table
from platu.lib import thaidate
from platu.lib.ids import parse_int
from platu.orgs import access
from platu.orgs.models import Organisation


def _year(request: HttpRequest) -> int:
    current = thaidate.fiscal_year(timezone.localdate())
    year = parse_int(request.GET.get("year"))
    return year if year and 2400 <= year <= current + 1 else current


def _digits(org: Organisation) -> bool:
    return bool(org.thai_digits) and translation.get_language() == "th"


def _download(request: HttpRequest, org: Organisation, tables: list[Table | None]) -> HttpResponse | None:
    fmt = request.GET.get("format")
    if fmt not in ("csv", "xlsx"):
        return None
    table = next((t for t in tables if t is not None and t.key == request.GET.get("table")), None)
    if table is None:
        raise Http404
    return table.csv() if fmt == "csv" else table.xlsx(org.name)


def _common(request: HttpRequest, org: Organisation, year: int) -> dict[str, Any]:
    return {
        "org": org,
        "year": year,
        "years": figures.years_of(org),
        "ancestors": list(Organisation.objects.filter(pk__in=org.ancestor_ids()).order_by("path")),
    }


@login_required
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    org = access.get_organisation_for_user(request, code)
    year = _year(request)
    digits = _digits(org)
    has_children = Organisation.objects.filter(parent=org).exists()
    scope = request.GET.get("scope", "")
    if scope not in (Scope.OWN, Scope.SUBTREE) or not has_children:
        scope = Scope.SUBTREE if has_children else Scope.OWN
    years = figures.year_figures(org, year)
    rows = figures.monthly(org, year, scope)
    filename = f"{org.code}-{year}"
    whose = (
        _("%(name)s and the organisations under it") % {"name": org.name}
        if scope == Scope.SUBTREE
        else org.name
    )
    knowledge = figures.knowledge_chart(
        rows, _("Knowledge flow by month: %(whose)s") % {"whose": whose}, digits, filename
    )
    communities = figures.communities_chart(
        rows, _("Communities of practice by month: %(whose)s") % {"whose": whose}, digits, filename
    )
    indicators = figures.indicators(org, year, years, digits, filename)
    top = figures.contributors(org, year, filename)
    network = figures.network(org, year) if has_children else None
    net_table = (
        network.table(filename, _("Organisations under %(name)s") % {"name": org.name}) if network else None
    )
    download = _download(request, org, [knowledge.table, communities.table, indicators.table if indicators else None,
                                        top, net_table])  # fmt: skip
    if download is not None:
        return download
    for table in (
        knowledge.table,
        communities.table,
        indicators.table if indicators else None,
        top,
        net_table,
    ):
        if table is not None:
            table.prepare(digits=digits)
    shown = years["subtree"] if scope == Scope.SUBTREE else years["own"]
    summary = figures.round_summary(org, year)
    try:  # the round's page (tracking), where there is one
        round_url = (
            reverse("tracking:round", args=[org.code, year, summary.round.months]) if summary.round else ""
        )
    except NoReverseMatch:
        round_url = ""
    return render(request, "dashboards/dashboard.html", {
        **_common(request, org, year),
        "has_children": has_children,
        "scope": scope,
        "own": years["own"],
        "subtree": years["subtree"],
        "shown": shown,
        "summary": summary,
        "round_url": round_url,
        "summary_done": summary.count("done"),
        "summary_late": summary.count("late"),
        "summary_at_risk": summary.count("at_risk"),
        "at_risk_points": refresh.AT_RISK_POINTS,
        "query": f"year={year}&scope={scope}",
        "knowledge": knowledge,
        "communities": communities,
        "indicators": indicators,
        "top": top,
        "network": network,
        "net_table": net_table,
        "digits": digits,
        "updated_at": shown.updated_at if shown else None,
    })  # fmt: skip


@login_required
def network(request: HttpRequest, code: str) -> HttpResponse:
    org = access.get_organisation_for_user(request, code)
    year = _year(request)
    digits = _digits(org)
    sort = request.GET.get("sort", "name")
    if sort.lstrip("-") not in figures.NETWORK_SORTS:
        sort = "name"
    rollup = figures.network(org, year, sort)
    filename = f"{org.code}-{year}-network"
    table = rollup.table(filename, _("Organisations under %(name)s") % {"name": org.name})
    rows = figures.monthly(org, year, Scope.SUBTREE)
    whose = _("%(name)s and the organisations under it") % {"name": org.name}
    knowledge = figures.knowledge_chart(
        rows, _("Knowledge flow by month: %(whose)s") % {"whose": whose}, digits, filename
    )
    communities = figures.communities_chart(
        rows, _("Communities of practice by month: %(whose)s") % {"whose": whose}, digits, filename
    )
    download = _download(request, org, [table, knowledge.table, communities.table])
    if download is not None:
        return download
    for each in (table, knowledge.table, communities.table):
        each.prepare(digits=digits)
    progress_chart = charts.meters(
        _("Progress of the latest monitoring round (%)"),
        [(r["name"], r["progress"] or 0) for r in rollup.rows],
        thai_digits=digits,
    )
    headers = []
    for column in table.columns:
        active = sort.lstrip("-") == column.key
        descending = sort.startswith("-")
        if active:
            next_sort = column.key if descending else "-" + column.key
        else:  # numbers largest first, names in Thai order
            next_sort = "-" + column.key if column.number else column.key
        headers.append({
            "column": column,
            "sortable": column.sortable,
            "next": next_sort,
            "aria": ("descending" if descending else "ascending") if active else "",
        })  # fmt: skip
    return render(request, "dashboards/network.html", {
        **_common(request, org, year),
        "rollup": rollup,
        "table": table,
        "headers": headers,
        "sort": sort,
        "knowledge": knowledge,
        "communities": communities,
        "progress_chart": progress_chart,
        "query": f"year={year}&sort={sort}",
        "digits": digits,
        "updated_at": rollup.updated_at,
    })  # fmt: skip
