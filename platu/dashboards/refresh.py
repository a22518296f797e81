"""Counting the dashboards' figures (platu/dashboards/models.py) from what happened.

- `refresh(org_ids, fiscal_year)`: the organisations' own rows, counted again from the
  knowledge, community and monitoring tables (about a dozen grouped queries for any number of
  organisations), then the subtree rows of those organisations and of every office above them,
  level by level from the bottom (two reads and two writes per level).
- `rebuild(fiscal_year)`: the same for every organisation at once, the subtrees summed in memory
  (`platu_refresh_dashboards --all`).
- `changed_since(when)`: the organisations whose figures may have changed since then (rows
  written or updated since), for the housekeeping job.

What is counted (fiscal year from 1 October, months in Thai time):
- items written: knowledge items created in the month (any state: numbers only);
- items vetted: items whose vetting by the brain bank concluded in the month (`reviewed_at`);
- items published: items published in the month that are still live;
- applied: "I applied this" reports on the organisation's items, by the day they were applied;
- sessions: community sessions held (not cancelled, with attendance) by its communities;
- attendance, PLC hours (members' hours; guests are not credited), participants (people);
- contributors: people who own or co-wrote an item published in the period;
- the plan in force (an approved revision, else the latest) and the latest round's entries:
  average percent done, done, late (reported "behind schedule") and at risk (not done and more
  than 25 points below the progress the activity's dates call for at the round's end).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, DateField, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from platu.dashboards.models import ADDITIVE, OrgMonth, OrgYear, Scope
from platu.lib import thaidate
from platu.orgs.models import Organisation

AT_RISK_POINTS = 25
# Columns of the year rows summed over a subtree (besides ADDITIVE).
YEAR_SUMS = ("organisations", "plans", "plans_approved", "activities", "entries", "percent_sum", "done",
             "late", "at_risk")  # fmt: skip
DISTINCT = ("participants", "contributors")  # people: counted per organisation

Row = dict[str, Any]


def months_of(fiscal_year: int) -> list[dt.date]:
    """The first days of the fiscal year's twelve months, October first."""
    start, _end = thaidate.fiscal_year_bounds(fiscal_year)
    out = []
    year, month = start.year, start.month
    for _ in range(12):
        out.append(dt.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def bounds(fiscal_year: int) -> tuple[dt.datetime, dt.datetime]:
    """The fiscal year as aware datetimes in Thai time: [1 Oct 00:00, 1 Oct next year 00:00)."""
    tz = timezone.get_current_timezone()
    start, end = thaidate.fiscal_year_bounds(fiscal_year)
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def _month(field: str) -> TruncMonth:
    return TruncMonth(field, output_field=DateField(), tzinfo=timezone.get_current_timezone())


def _as_date(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def empty_counts() -> Row:
    row: Row = dict.fromkeys(ADDITIVE, 0)
    row["plc_hours"] = Decimal(0)
    return row


def empty_year() -> Row:
    row = empty_counts()
    row.update(dict.fromkeys(YEAR_SUMS, 0))
    row.update(organisations=1, plan_state="", round_months=0)
    return row


class Own:
    """One fiscal year's own figures of a set of organisations, counted in grouped queries."""

    def __init__(self, fiscal_year: int, org_ids: Iterable[int] | None = None) -> None:
        self.fiscal_year = fiscal_year
        self.ids = None if org_ids is None else sorted(set(org_ids))
        self.months: dict[tuple[int, dt.date], Row] = defaultdict(empty_counts)
        self.years: dict[int, Row] = defaultdict(empty_year)
        self.start, self.end = bounds(fiscal_year)
        self.first_day, self.last_day = thaidate.fiscal_year_bounds(fiscal_year)

    def _orgs(self, field: str) -> Q:
        return Q() if self.ids is None else Q(**{f"{field}__in": self.ids})

    def _add(self, org: int | None, month: Any, name: str, value: Any) -> None:
        if org is None or month is None or not value:
            return
        self.months[(org, _as_date(month))][name] += value
        self.years[org][name] += value

    def count(self) -> Own:
        self._knowledge()
        self._communities()
        self._surveys()
        self._plans()
        return self

    def _surveys(self) -> None:
        """Ratings answered by each organisation's people, by the month they answered."""
        from platu.surveys.models import Answer, Question, Response, Survey, min_group_for

        responses = Response.objects.filter(self._orgs("organisation_id"), organisation__isnull=False,
                                            submitted_at__gte=self.start, submitted_at__lt=self.end).order_by()  # fmt: skip
        sizes = {
            (survey, org): n
            for survey, org, n in responses.values_list("survey_id", "organisation_id").annotate(
                n=Count("pk")
            )
        }
        surveys = Survey.objects.filter(pk__in={survey for survey, _org in sizes}).select_related(
            "organisation"
        )
        floor = {s.pk: (min_group_for(s.organisation) if s.anonymous else 0) for s in surveys}
        ratings = (
            Answer.objects.filter(response__in=responses.values("pk"), question__kind=Question.Kind.LIKERT,
                                  value__isnull=False)
            .order_by()
            .values_list("response__survey_id", "response__organisation_id", _month("response__submitted_at"))
            .annotate(points=Sum("value"), n=Count("pk"))
        )  # fmt: skip
        for survey, org, month, points, n in ratings:
            if sizes.get((survey, org), 0) < floor.get(survey, 0):
                continue  # an anonymous survey's group below its minimum: not shown anywhere
            self._add(org, month, "survey_points", int(points or 0))
            self._add(org, month, "survey_answers", n)

    def _knowledge(self) -> None:
        from platu.knowledge.models import AppliedReport, Item

        items = Item.objects.filter(self._orgs("organisation_id")).order_by()
        for field, name, extra in (
            ("created_at", "items_written", Q()),
            ("reviewed_at", "items_vetted", Q()),
            ("published_at", "items_published", Q(state__in=Item.LIVE_STATES)),
        ):
            rows = (
                items.filter(extra, **{f"{field}__gte": self.start, f"{field}__lt": self.end})
                .values_list("organisation_id", _month(field))
                .annotate(n=Count("pk"))
            )
            for org, month, n in rows:
                self._add(org, month, name, n)
        applied = (
            AppliedReport.objects.filter(self._orgs("item__organisation_id"),
                                         applied_on__gte=self.first_day, applied_on__lte=self.last_day)
            .order_by().values_list("item__organisation_id", TruncMonth("applied_on", output_field=DateField()))
            .annotate(n=Count("pk"))
        )  # fmt: skip
        for org, month, n in applied:
            self._add(org, month, "applied", n)
        # Contributors: owners and co-authors of what was published, once per month and year.
        published = items.filter(state__in=Item.LIVE_STATES, published_at__gte=self.start,
                                 published_at__lt=self.end)  # fmt: skip
        people: dict[tuple[int, dt.date], set[int]] = defaultdict(set)
        for org, month, person in published.values_list(
            "organisation_id", _month("published_at"), "owner_id"
        ):
            people[(org, _as_date(month))].add(person)
        coauthors = Item.coauthors.through.objects.filter(item__in=published.values("pk")).values_list(
            "item__organisation_id", _month("item__published_at"), "person_id"
        )
        for org, month, person in coauthors:
            people[(org, _as_date(month))].add(person)
        year_people: dict[int, set[int]] = defaultdict(set)
        for (org, month), ids in people.items():
            self.months[(org, month)]["contributors"] = len(ids)
            year_people[org] |= ids
        for org, ids in year_people.items():
            self.years[org]["contributors"] = len(ids)

    def _communities(self) -> None:
        from platu.communities.models import Attendance, Session

        held = Session.objects.filter(self._orgs("community__organisation_id"), starts_at__gte=self.start,
                                      starts_at__lt=self.end).exclude(state=Session.State.CANCELLED)  # fmt: skip
        sessions = (
            held.filter(Exists(Attendance.objects.filter(session=OuterRef("pk"))))
            .order_by()
            .values_list("community__organisation_id", _month("starts_at"))
            .annotate(n=Count("pk"))
        )
        for org, month, n in sessions:
            self._add(org, month, "sessions", n)
        rows = Attendance.objects.filter(session__in=held.values("pk")).order_by()
        members = Q(person__isnull=False)
        by_month = rows.values_list(
            "session__community__organisation_id", _month("session__starts_at")
        ).annotate(n=Count("pk"), h=Sum("hours", filter=members), p=Count("person", distinct=True))
        for org, month, n, hours, people in by_month:
            self._add(org, month, "attendance", n)
            self._add(org, month, "plc_hours", hours or Decimal(0))
            if org is not None and people:
                self.months[(org, _as_date(month))]["participants"] = people
        for org, people in rows.values_list("session__community__organisation_id").annotate(
            p=Count("person", distinct=True)
        ):
            if org is not None:
                self.years[org]["participants"] = people

    def _plans(self) -> None:
        from platu.planning.models import Activity, Plan
        from platu.tracking.models import Entry, Round

        fy = self.fiscal_year
        plans = Plan.objects.filter(self._orgs("organisation_id"), fiscal_year=fy).order_by("revision")
        chosen: dict[int, tuple[int, str]] = {}  # org -> (plan, state): approved, else latest
        for org, pk, state in plans.values_list("organisation_id", "pk", "state"):
            if chosen.get(org, (0, ""))[1] != Plan.State.APPROVED or state == Plan.State.APPROVED:
                chosen[org] = (pk, state)
        plan_org = {pk: org for org, (pk, _s) in chosen.items()}
        for org, (_pk, state) in chosen.items():
            year = self.years[org]
            year.update(plan_state=state, plans=1, plans_approved=int(state == Plan.State.APPROVED))
        activities = (
            Activity.objects.filter(self._orgs("plan__organisation_id"), plan__fiscal_year=fy)
            .order_by()
            .values_list("plan_id")
            .annotate(n=Count("pk"))
        )
        for plan, n in activities:
            if plan in plan_org:
                self.years[plan_org[plan]]["activities"] = n
        # The latest round of the year, whichever revision it was opened on.
        latest: dict[int, tuple[int, int, int, dt.date]] = {}
        rounds = Round.objects.filter(self._orgs("plan__organisation_id"), plan__fiscal_year=fy).values_list(
            "plan__organisation_id", "months", "plan__revision", "pk", "period_end"
        )
        for org, months, revision, pk, period_end in rounds:
            if (months, revision) > latest.get(org, (0, 0, 0, period_end))[:2]:
                latest[org] = (months, revision, pk, period_end)
        round_org = {pk: (org, end) for org, (_m, _r, pk, end) in latest.items()}
        for org, (months, *_rest) in latest.items():
            self.years[org]["round_months"] = months
        entries = Entry.objects.filter(
            self._orgs("round__plan__organisation_id"), round__plan__fiscal_year=fy
        )
        cancelled = Entry.Status.CANCELLED
        for round_pk, status, percent, start, end in entries.order_by().values_list(
            "round_id", "status", "percent", "activity__start", "activity__end"
        ):
            if round_pk not in round_org or status == cancelled:
                continue
            org, period_end = round_org[round_pk]
            year = self.years[org]
            year["entries"] += 1
            year["percent_sum"] += percent
            if status == Entry.Status.DONE:
                year["done"] += 1
            elif status == Entry.Status.LATE:
                year["late"] += 1
            elif expected(start, end, period_end) - percent > AT_RISK_POINTS:
                year["at_risk"] += 1


def expected(start: dt.date | None, end: dt.date | None, on: dt.date) -> float:
    """The percent done an activity's dates call for on a day (0 without dates)."""
    if not start or not end:
        return 0.0
    if on >= end:
        return 100.0
    if on <= start:
        return 0.0
    return 100.0 * (on - start).days / max(1, (end - start).days)


def _write_own(own: Own, org_ids: list[int], now: dt.datetime) -> None:
    months = months_of(own.fiscal_year)
    OrgMonth.objects.filter(organisation_id__in=org_ids, scope=Scope.OWN, month__in=months).delete()
    OrgYear.objects.filter(organisation_id__in=org_ids, scope=Scope.OWN, fiscal_year=own.fiscal_year).delete()
    wanted = set(org_ids)
    OrgMonth.objects.bulk_create(
        [OrgMonth(organisation_id=org, scope=Scope.OWN, month=month, **row)
         for (org, month), row in own.months.items() if org in wanted and any(row.values())],
        batch_size=2000,
    )  # fmt: skip
    OrgYear.objects.bulk_create(
        [OrgYear(organisation_id=org, scope=Scope.OWN, fiscal_year=own.fiscal_year, updated_at=now, **own.years[org])
         for org in org_ids],
        batch_size=2000,
    )  # fmt: skip


def _add_into(total: Row, row: Row, names: Iterable[str]) -> None:
    for name in names:
        total[name] = total.get(name, 0) + (row.get(name) or 0)


def _subtrees(level: list[int], fiscal_year: int, now: dt.datetime) -> None:
    """The subtree rows of organisations of one level: own rows plus the children's subtree rows."""
    months = months_of(fiscal_year)
    sums: dict[int, Row] = {}
    month_sums: dict[tuple[int, dt.date], Row] = {}
    year_names = (*ADDITIVE, *YEAR_SUMS)
    # Two lists of ids on the rows' own index (a join on the organisation's parent reads them all).
    parent_of = dict(Organisation.objects.filter(parent_id__in=level).values_list("pk", "parent_id"))
    parent_of.update({pk: pk for pk in level})
    mine = set(level)
    rows = Q(organisation_id__in=level, scope=Scope.OWN) | Q(
        organisation_id__in=[pk for pk in parent_of if pk not in mine], scope=Scope.SUBTREE
    )
    for row in OrgYear.objects.filter(rows, fiscal_year=fiscal_year).values("organisation_id", *year_names):
        _add_into(sums.setdefault(parent_of[row["organisation_id"]], {}), row, year_names)
    for row in OrgMonth.objects.filter(rows, month__in=months).values("organisation_id", "month", *ADDITIVE):
        key = (parent_of[row["organisation_id"]], row["month"])
        _add_into(month_sums.setdefault(key, {}), row, ADDITIVE)
    OrgMonth.objects.filter(organisation_id__in=level, scope=Scope.SUBTREE, month__in=months).delete()
    OrgYear.objects.filter(organisation_id__in=level, scope=Scope.SUBTREE, fiscal_year=fiscal_year).delete()
    OrgMonth.objects.bulk_create(
        [OrgMonth(organisation_id=org, scope=Scope.SUBTREE, month=month, **row) for (org, month), row in month_sums.items()],
        batch_size=2000,
    )  # fmt: skip
    OrgYear.objects.bulk_create(
        [OrgYear(organisation_id=org, scope=Scope.SUBTREE, fiscal_year=fiscal_year, updated_at=now,
                 **{**empty_year(), **sums.get(org, {}), "plan_state": "", "round_months": 0})
         for org in level],
        batch_size=2000,
    )  # fmt: skip


def refresh(org_ids: Iterable[int], fiscal_year: int) -> int:
    """Count again the figures of these organisations for a fiscal year, and the subtree
    figures of every office above them. The offices' own figures are counted again with them,
    and so are their other children that were never counted (a new school), so that a subtree
    counts every organisation in it. Returns how many organisations' rows were written."""
    rows = list(Organisation.objects.filter(pk__in=set(org_ids)).values_list("pk", "path"))
    if not rows:
        return 0
    above = {int(p) for _pk, path in rows for p in path.strip("/").split("/")[:-1] if p}
    uncounted = (
        Organisation.objects.filter(parent_id__in=above)
        .exclude(
            pk__in=OrgYear.objects.filter(scope=Scope.OWN, fiscal_year=fiscal_year).values("organisation_id")
        )
        .values_list("pk", "path")
    )
    rows += list(uncounted) + list(Organisation.objects.filter(pk__in=above).values_list("pk", "path"))
    paths = dict(rows)
    now = timezone.now()
    own = Own(fiscal_year, paths).count()
    # Deepest first: a child's subtree row is written before its parent's is summed.
    levels: dict[int, list[int]] = defaultdict(list)
    for pk, path in paths.items():
        levels[path.count("/")].append(pk)
    with transaction.atomic():
        _write_own(own, sorted(paths), now)
        for depth in sorted(levels, reverse=True):
            _subtrees(sorted(levels[depth]), fiscal_year, now)
    return len(paths)


def rebuild(fiscal_year: int) -> int:
    """Count every organisation's figures for a fiscal year and sum the subtrees in memory."""
    now = timezone.now()
    own = Own(fiscal_year).count()
    tree = list(Organisation.objects.values_list("pk", "parent_id", "path"))
    ids = [pk for pk, _parent, _path in tree]
    children: dict[int, list[int]] = defaultdict(list)
    for pk, parent, _path in tree:
        if parent is not None:
            children[parent].append(pk)
    year_names = (*ADDITIVE, *YEAR_SUMS)
    sub_years: dict[int, Row] = {}
    sub_months: dict[tuple[int, dt.date], Row] = {}
    by_org_months: dict[int, list[tuple[dt.date, Row]]] = defaultdict(list)
    for (org, month), row in own.months.items():
        by_org_months[org].append((month, row))
    sub_by_org_months: dict[int, dict[dt.date, Row]] = defaultdict(dict)
    # Deepest first: a child's subtree is summed before its parent's.
    for pk, _parent, _path in sorted(tree, key=lambda t: -t[2].count("/")):
        total = {**empty_year(), **own.years[pk]} if pk in own.years else empty_year()
        total = {k: v for k, v in total.items() if k in year_names}
        mine = sub_by_org_months[pk]
        for month, row in by_org_months.get(pk, []):
            _add_into(mine.setdefault(month, {}), row, ADDITIVE)
        for child in children.get(pk, []):
            _add_into(total, sub_years[child], year_names)
            for month, row in sub_by_org_months[child].items():
                _add_into(mine.setdefault(month, {}), row, ADDITIVE)
        sub_years[pk] = total
    for pk, months in sub_by_org_months.items():
        for month, row in months.items():
            sub_months[(pk, month)] = row
    month_list = months_of(fiscal_year)
    with transaction.atomic():
        OrgMonth.objects.filter(month__in=month_list).delete()
        OrgYear.objects.filter(fiscal_year=fiscal_year).delete()
        OrgMonth.objects.bulk_create(
            (OrgMonth(organisation_id=org, scope=Scope.OWN, month=month, **row)
             for (org, month), row in own.months.items() if any(row.values())),
            batch_size=5000,
        )  # fmt: skip
        OrgMonth.objects.bulk_create(
            (OrgMonth(organisation_id=org, scope=Scope.SUBTREE, month=month, **row)
             for (org, month), row in sub_months.items() if any(row.values())),
            batch_size=5000,
        )  # fmt: skip
        OrgYear.objects.bulk_create(
            (OrgYear(organisation_id=pk, scope=Scope.OWN, fiscal_year=fiscal_year, updated_at=now,
                     **(own.years[pk] if pk in own.years else empty_year())) for pk in ids),
            batch_size=5000,
        )  # fmt: skip
        OrgYear.objects.bulk_create(
            (OrgYear(organisation_id=pk, scope=Scope.SUBTREE, fiscal_year=fiscal_year, updated_at=now,
                     **sub_years[pk]) for pk in ids),
            batch_size=5000,
        )  # fmt: skip
    return len(ids)


def changed_since(when: dt.datetime) -> set[int]:
    """Organisations whose figures may have changed since `when`: rows written or updated since
    (knowledge items, reports of applying them, attendance, sessions, plans, round entries)."""
    from platu.communities.models import Attendance, Session
    from platu.knowledge.models import AppliedReport, Item
    from platu.planning.models import Plan
    from platu.tracking.models import Entry, Round

    found: set[int] = set()
    for qs, field in (
        (Item.objects.filter(updated_at__gte=when), "organisation_id"),
        (AppliedReport.objects.filter(created_at__gte=when), "item__organisation_id"),
        (Attendance.objects.filter(at__gte=when), "session__community__organisation_id"),
        (Session.objects.filter(created_at__gte=when), "community__organisation_id"),
        (Plan.objects.filter(updated_at__gte=when), "organisation_id"),
        (Round.objects.filter(Q(opened_at__gte=when) | Q(closed_at__gte=when)), "plan__organisation_id"),
        (Entry.objects.filter(updated_at__gte=when), "round__plan__organisation_id"),
    ):
        found |= {pk for pk in qs.order_by().values_list(field, flat=True).distinct() if pk is not None}
    return found


def years_to_refresh(today: dt.date | None = None) -> list[int]:
    """The current fiscal year, and the one before in its first quarter (late entries)."""
    today = today or timezone.localdate()
    fy = thaidate.fiscal_year(today)
    return [fy - 1, fy] if today.month in (10, 11, 12) else [fy]
