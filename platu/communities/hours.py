"""PLC hours: each person's hours from the sessions they actually attended, by academic term and
fiscal year; approved when the session's record is signed off, or for a whole academic term by
the head of the person's organisation. The teacher's logbook (a page and a document) and the
organisation's summary read them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from platu.communities import records
from platu.communities.models import Attendance, TermApproval
from platu.lib import thaidate
from platu.orgs.models import Organisation, Person


@dataclass
class Entry:
    day: dt.date
    community: str
    community_id: int
    title: str
    hours: Decimal
    approved: bool
    session_id: int


@dataclass
class Logbook:
    person: Person
    fiscal_year: int
    entries: list[Entry] = field(default_factory=list)
    approvals: list[TermApproval] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((e.hours for e in self.entries), Decimal(0))

    @property
    def approved(self) -> Decimal:
        return sum((e.hours for e in self.entries if e.approved), Decimal(0))

    def by_term(self) -> list[tuple[str, Decimal]]:
        return [(t.label, t.hours) for t in self.terms()]

    def terms(self) -> list[Term]:
        """The academic terms of the fiscal year with hours in them, each with its approval."""
        terms: dict[tuple[int, int], Term] = {}
        for e in self.entries:
            year, term = thaidate.academic_term(e.day)
            row = terms.setdefault((year, term), Term(year, term))
            row.hours += e.hours
            if e.approved:
                row.approved_hours += e.hours
        for a in self.approvals:
            if (a.academic_year, a.term) in terms:
                terms[(a.academic_year, a.term)].approval = a
        return [terms[k] for k in sorted(terms)]


@dataclass
class Term:
    year: int
    term: int
    hours: Decimal = Decimal(0)
    approved_hours: Decimal = Decimal(0)
    approval: TermApproval | None = None

    @property
    def label(self) -> str:
        return f"{self.term}/{self.year}"


def logbook(person: Person, fiscal_year: int) -> Logbook:
    start, end = thaidate.fiscal_year_bounds(fiscal_year)
    rows = (
        Attendance.objects.filter(
            person=person, session__starts_at__date__gte=start, session__starts_at__date__lte=end
        )
        .exclude(session__state="cancelled")
        .select_related("session__community", "session__record")
        .order_by("session__starts_at")
    )
    approvals = records.approvals_for([person.pk], start, end).get(person.pk, [])
    book = Logbook(person, fiscal_year, approvals=approvals)
    for a in rows:
        record = getattr(a.session, "record", None)
        day = timezone.localtime(a.session.starts_at).date()
        book.entries.append(Entry(
            day, a.session.community.name, a.session.community_id, a.session.title, a.hours,
            bool(record and record.signed_at) or records.covered(approvals, day, a.at), a.session_id,
        ))  # fmt: skip
    return book


def minimum(org: Organisation) -> Decimal:
    return records.minimum(org)


def summary(org: Organisation, fiscal_year: int) -> list[tuple[Person, Decimal, Decimal, bool]]:
    """Each member of the organisation with their PLC hours in the fiscal year (all, and those
    approved by a signed record or a term approval) and whether the approved hours reach the
    minimum; those below it first."""
    start, end = thaidate.fiscal_year_bounds(fiscal_year)
    people = list(Person.objects.filter(memberships__organisation=org).distinct())
    rows = Attendance.objects.filter(
        person__in=people, session__starts_at__date__gte=start, session__starts_at__date__lte=end
    ).exclude(session__state="cancelled")
    totals: dict[int, Any] = dict(rows.values_list("person_id").annotate(n=Sum("hours")))
    approved: dict[int, Any] = dict(
        rows.filter(session__record__signed_at__isnull=False)
        .values_list("person_id")
        .annotate(n=Sum("hours"))
    )
    # Term approvals cover what no signed record approved yet.
    terms = records.approvals_for([p.pk for p in people], start, end)
    if terms:
        unsigned = rows.filter(person_id__in=list(terms)).exclude(session__record__signed_at__isnull=False)
        for person_id, starts_at, hours_, at in unsigned.values_list(
            "person_id", "session__starts_at", "hours", "at"
        ):
            if records.covered(terms[person_id], timezone.localtime(starts_at).date(), at):
                approved[person_id] = Decimal(approved.get(person_id) or 0) + hours_
    floor = minimum(org)
    out = []
    for p in people:
        ok = Decimal(approved.get(p.pk) or 0)
        out.append((p, Decimal(totals.get(p.pk) or 0), ok, ok >= floor))
    return sorted(out, key=lambda r: (r[3], r[2], r[0].first_name))
