"""What the dashboard pages show, read from the counted figures (models.py) and, for the
organisation itself, from its plan and latest round (live: a few rows).

Privacy: the network roll-up shows numbers only. The executive dashboard names the
organisation's own activities and people, and is shown only to those who may see the
organisation (its members and the offices above it); it names no knowledge item at all."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from platu.dashboards import charts
from platu.dashboards.models import ADDITIVE, OrgMonth, OrgYear, Scope
from platu.dashboards.refresh import AT_RISK_POINTS, expected, months_of
from platu.dashboards.tables import Chart, Column, Table
from platu.lib import thaidate
from platu.orgs.models import Membership, Organisation, Person

# Indicators whose measure is a counted column are read from the figures (no filters).
MEASURE_COLUMNS = {
    "knowledge.published": "items_published",
    "knowledge.applied": "applied",
    "communities.sessions": "sessions",
    "communities.attendance": "attendance",
    "communities.hours": "plc_hours",
}
# and these only for the organisation itself (people are counted once per organisation).
OWN_ONLY_COLUMNS = {"knowledge.contributors": "contributors", "communities.participants": "participants"}
TOP_CONTRIBUTORS = 10


def month_label(month: dt.date, digits: bool = False) -> str:
    """ "ต.ค. 68": Thai month abbreviation and the B.E. year's last two digits."""
    text = f"{thaidate.MONTHS_ABBR[month.month - 1]} {(month.year + thaidate.BE_OFFSET) % 100:02d}"
    return thaidate.thai_digits(text) if digits else text


def plan_state_label(state: str) -> str:
    from platu.planning.models import Plan

    return str(dict(Plan.State.choices).get(state, "")) if state else _("No plan yet")


def pick_plan(plans: list[Any]) -> Any:
    """The plan in force: the latest approved revision, else the latest (as refresh counts)."""
    from platu.planning.models import Plan

    chosen = None
    for plan in sorted(plans, key=lambda p: p.revision):
        if chosen is None or chosen.state != Plan.State.APPROVED or plan.state == Plan.State.APPROVED:
            chosen = plan
    return chosen


def percent(part: Any, whole: Any) -> float | None:
    return float(part) * 100 / float(whole) if whole else None


def years_of(org: Organisation) -> list[int]:
    """Fiscal years with figures, and the current one, newest first."""
    years = set(OrgYear.objects.filter(organisation=org).values_list("fiscal_year", flat=True).distinct())
    years.add(thaidate.fiscal_year(timezone.localdate()))
    return sorted(years, reverse=True)


def year_figures(org: Organisation, fiscal_year: int) -> dict[str, OrgYear | None]:
    rows = {r.scope: r for r in OrgYear.objects.filter(organisation=org, fiscal_year=fiscal_year)}
    return {"own": rows.get(Scope.OWN), "subtree": rows.get(Scope.SUBTREE)}


def monthly(org: Organisation, fiscal_year: int, scope: str) -> list[dict[str, Any]]:
    """Twelve rows, October first; months without a row count zero."""
    months = months_of(fiscal_year)
    found = {
        r["month"]: r
        for r in OrgMonth.objects.filter(organisation=org, scope=scope, month__in=months).values(
            "month", *ADDITIVE
        )
    }
    out = []
    for month in months:
        row = {name: found.get(month, {}).get(name, 0) for name in ADDITIVE}
        row["month"] = month
        out.append(row)
    return out


# -- the organisation's plan and latest round (live) --------------------------------------------


@dataclass
class EntryLine:
    name: str
    status: str
    status_label: str
    percent: int
    expected: float
    kind: str  # done, late, at_risk, on_track


@dataclass
class RoundSummary:
    plan: Any = None
    round: Any = None
    lines: list[EntryLine] = field(default_factory=list)

    @property
    def counted(self) -> list[EntryLine]:
        return [line for line in self.lines if line.kind != "cancelled"]

    @property
    def progress(self) -> float | None:
        counted = self.counted
        return sum(line.percent for line in counted) / len(counted) if counted else None

    def count(self, kind: str) -> int:
        return sum(1 for line in self.lines if line.kind == kind)

    @property
    def watch(self) -> list[EntryLine]:
        """Late first, then at risk, the furthest behind first."""
        rows = [line for line in self.lines if line.kind in ("late", "at_risk")]
        return sorted(rows, key=lambda line: (line.kind != "late", line.percent - line.expected))


def round_summary(org: Organisation, fiscal_year: int) -> RoundSummary:
    from platu.planning.models import Plan
    from platu.tracking.models import Entry, Round

    summary = RoundSummary(
        plan=pick_plan(list(Plan.objects.filter(organisation=org, fiscal_year=fiscal_year)))
    )
    summary.round = (
        Round.objects.filter(plan__organisation=org, plan__fiscal_year=fiscal_year)
        .select_related("plan")
        .order_by("-months", "-plan__revision")
        .first()
    )
    if summary.round is None:
        return summary
    end = summary.round.period_end
    for entry in Entry.objects.filter(round=summary.round).select_related("activity"):
        a = entry.activity
        due = expected(a.start, a.end, end)
        if entry.status == Entry.Status.CANCELLED:
            kind = "cancelled"
        elif entry.status == Entry.Status.DONE:
            kind = "done"
        elif entry.status == Entry.Status.LATE:
            kind = "late"
        elif due - entry.percent > AT_RISK_POINTS:
            kind = "at_risk"
        else:
            kind = "on_track"
        summary.lines.append(
            EntryLine(a.name, entry.status, str(entry.get_status_display()), entry.percent, due, kind)
        )
    return summary


# -- tables and charts ----------------------------------------------------------------------------


def knowledge_chart(rows: list[dict[str, Any]], title: str, digits: bool, filename: str) -> Chart:
    names = [("items_written", _("Written")), ("items_vetted", _("Vetted")),
             ("items_published", _("Published")), ("applied", _("Applied"))]  # fmt: skip
    labels = [month_label(r["month"], digits) for r in rows]
    table = Table(
        key="knowledge",
        title=title,
        columns=[Column("month", _("Month"), number=False), *(Column(k, str(label)) for k, label in names)],
        rows=[{"month": month_label(r["month"]), **{k: r[k] for k, _l in names}} for r in rows],
        totals={"month": _("Total"), **{k: sum(r[k] for r in rows) for k, _l in names}},
        filename=filename,
    )
    svg = charts.bars(
        title, labels, [(str(label), [r[k] for r in rows]) for k, label in names], thai_digits=digits
    )
    return Chart(svg, table)


def communities_chart(rows: list[dict[str, Any]], title: str, digits: bool, filename: str) -> Chart:
    table = Table(
        key="communities",
        title=title,
        columns=[Column("month", _("Month"), number=False), Column("sessions", _("Sessions held")),
                 Column("attendance", _("Attendance")), Column("plc_hours", _("PLC hours"), places=1),
                 Column("participants", _("People who took part"))],
        rows=[{"month": month_label(r["month"]), **{k: r[k] for k in ("sessions", "attendance", "plc_hours", "participants")}}
              for r in rows],
        totals={"month": _("Total"), **{k: sum(r[k] for r in rows) for k in ("sessions", "attendance", "plc_hours")},
                "participants": None},
        filename=filename,
    )  # fmt: skip
    labels = [month_label(r["month"], digits) for r in rows]
    svg = charts.bars(title, labels, [(_("Sessions held"), [r["sessions"] for r in rows]),
                                      (_("PLC hours"), [r["plc_hours"] for r in rows])], thai_digits=digits)  # fmt: skip
    return Chart(svg, table)


def indicators(org: Organisation, fiscal_year: int, years: dict[str, OrgYear | None], digits: bool,
               filename: str) -> Chart | None:  # fmt: skip
    from platu.tracking import measures
    from platu.tracking.models import Binding, OrgIndicator

    rows = list(OrgIndicator.objects.filter(organisation=org, fiscal_year=fiscal_year))
    if not rows:
        return None
    start, end = thaidate.fiscal_year_bounds(fiscal_year)
    end = min(end, timezone.localdate())
    out = []
    for ind in rows:
        subtree = ind.scope == Binding.Scope.SUBTREE
        stored = years["subtree" if subtree else "own"]
        column = MEASURE_COLUMNS.get(ind.measure) or (None if subtree else OWN_ONLY_COLUMNS.get(ind.measure))
        value: Decimal | None
        if column and not ind.filters and stored is not None:
            value = Decimal(getattr(stored, column))
        else:
            counted = measures.compute(
                ind.measure, measures.Scope(org, subtree, start, end, ind.filters or {})
            )
            value = counted.value if counted else None
        out.append({"name": ind.name, "target": ind.target, "value": value,
                    "share": percent(value, ind.target) if value is not None and ind.target else None})  # fmt: skip
    title = _("KM indicators against their targets")
    table = Table(
        key="indicators",
        title=title,
        columns=[Column("name", _("Indicator"), number=False), Column("target", _("Target"), places=2),
                 Column("value", _("Result so far"), places=2), Column("share", _("Percent of target"), places=1)],
        rows=out,
        filename=filename,
    )  # fmt: skip
    svg = charts.meters(
        title, [(str(r["name"]), float(r["share"] or 0)) for r in out], maximum=100, thai_digits=digits
    )
    return Chart(svg, table)


def contributors(org: Organisation, fiscal_year: int, filename: str) -> Table:
    """The organisation's people with most knowledge published in the year (as owner or
    co-author). People of other organisations who co-wrote are counted but not named."""
    from platu.knowledge.models import Item

    start, end = _bounds(fiscal_year)
    published = Item.objects.filter(organisation=org, state__in=Item.LIVE_STATES, published_at__gte=start,
                                    published_at__lt=end)  # fmt: skip
    counts: dict[int, int] = defaultdict(int)
    for person, n in published.order_by().values_list("owner_id").annotate(n=Count("pk")):
        counts[person] += n
    coauthored = (
        Item.coauthors.through.objects.filter(item__in=published.values("pk"))
        .order_by()
        .values_list("person_id")
        .annotate(n=Count("pk"))
    )
    for person, n in coauthored:
        counts[person] += n
    top = sorted(counts.items(), key=lambda kv: -kv[1])[:TOP_CONTRIBUTORS]
    ids = [pk for pk, _n in top]
    members = set(
        Membership.objects.filter(organisation=org, person_id__in=ids).values_list("person_id", flat=True)
    )
    names = {p.pk: p.full_name for p in Person.objects.filter(pk__in=members)}
    rows = []
    for rank, (pk, n) in enumerate(top, 1):
        rows.append({"rank": rank, "name": names.get(pk) or _("(a co-author from another organisation)"), "items": n,
                     "_url": reverse("person_detail", args=[pk]) if pk in names else ""})  # fmt: skip
    return Table(
        key="contributors",
        title=_("Top contributors"),
        columns=[Column("name", _("Name"), number=False), Column("items", _("Knowledge items published"))],
        rows=rows,
        filename=filename,
    )


def _bounds(fiscal_year: int) -> tuple[dt.datetime, dt.datetime]:
    from platu.dashboards.refresh import bounds

    return bounds(fiscal_year)


# -- the network roll-up ------------------------------------------------------------------------

# Plans by how far they got (sorting the roll-up by plan).
PLAN_ORDER = ("", "draft", "returned", "submitted", "reviewed", "superseded", "approved")
NETWORK_SORTS = ("name", "organisations", "plan", "progress", "late", "at_risk", "items_written",
                 "items_published", "applied", "sessions", "plc_hours", "survey")  # fmt: skip


def network_columns() -> list[Column]:
    return [
        Column("name", _("Organisation"), number=False),
        Column("organisations", _("Number of organisations")),
        Column("plan", _("KM plan"), number=False),
        Column("plans_approved", _("Approved plans"), sortable=False),
        Column("progress", _("Progress (%)"), places=1),
        Column("late", _("Late")),
        Column("at_risk", _("At risk")),
        Column("items_written", _("Items written")),
        Column("items_published", _("Items published")),
        Column("applied", _("Applied")),
        Column("sessions", _("Sessions held")),
        Column("plc_hours", _("PLC hours"), places=1),
        Column("survey", _("Survey score (1–5)"), places=2),
    ]


def _network_row(name: str, own: OrgYear | None, subtree: OrgYear | None) -> dict[str, Any]:
    row: dict[str, Any] = {"name": name}
    figures = subtree or own
    for key in ("organisations", "late", "at_risk", "items_written", "items_published", "applied", "sessions",
                "plc_hours", "plans_approved", "entries", "percent_sum", "plans"):  # fmt: skip
        row[key] = getattr(figures, key) if figures is not None else 0
    row["plan"] = plan_state_label(own.plan_state if own else "")
    row["plan_state"] = own.plan_state if own else ""
    row["plan_rank"] = PLAN_ORDER.index(row["plan_state"]) if row["plan_state"] in PLAN_ORDER else 0
    row["progress"] = figures.progress if figures is not None else None
    mean = figures.survey_mean if figures is not None else None
    row["survey"] = mean
    return row


@dataclass
class Network:
    org: Organisation
    rows: list[dict[str, Any]]
    own_row: dict[str, Any]
    totals: dict[str, Any]
    updated_at: dt.datetime | None

    def table(self, filename: str, title: str) -> Table:
        return Table("network", title, network_columns(), [*self.rows, self.own_row], self.totals, filename)


def network(org: Organisation, fiscal_year: int, sort: str = "name") -> Network:
    """Each direct child with its subtree's figures, the office's own row, and the totals (the
    office's subtree row: the rows add up to it). Four queries, whatever the number of children."""
    children = list(
        Organisation.objects.filter(parent=org).only("pk", "code", "name_th", "name_en", "name_sort")
    )
    parents = set(
        Organisation.objects.filter(parent__parent=org)
        .order_by()
        .values_list("parent_id", flat=True)
        .distinct()
    )
    found: dict[tuple[int, str], OrgYear] = {
        (r.organisation_id, r.scope): r
        for r in OrgYear.objects.filter(
            Q(organisation__parent=org) | Q(organisation=org), fiscal_year=fiscal_year
        )
    }
    rows = []
    for child in children:
        row = _network_row(child.name, found.get((child.pk, Scope.OWN)), found.get((child.pk, Scope.SUBTREE)))
        row["_sort"] = child.name_sort
        row["has_children"] = child.pk in parents
        row["_url"] = reverse(
            "dashboards:network" if child.pk in parents else "dashboards:dashboard", args=[child.code]
        )
        rows.append(row)
    own = found.get((org.pk, Scope.OWN))
    own_row = _network_row(_("%(name)s itself") % {"name": org.name}, own, None)
    own_row["_url"] = reverse("dashboards:dashboard", args=[org.code])
    totals = _network_row(_("Total"), own, found.get((org.pk, Scope.SUBTREE)))
    totals["plan"] = ""
    key = sort.lstrip("-") if sort.lstrip("-") in NETWORK_SORTS else "name"
    reverse_order = sort.startswith("-")
    if key == "name":
        rows.sort(key=lambda r: r["_sort"], reverse=reverse_order)
    else:
        sort_key = "plan_rank" if key == "plan" else key
        present = [r for r in rows if r[sort_key] is not None]
        missing = [r for r in rows if r[sort_key] is None]
        present.sort(key=lambda r: (r[sort_key], r["_sort"]), reverse=reverse_order)
        rows = present + missing  # rows without a number last, either way
    stamps = [r.updated_at for r in found.values()]
    return Network(org, rows, own_row, totals, min(stamps) if stamps else None)
