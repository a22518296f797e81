"""PLC hours: each person's hours from the sessions they actually attended, by academic term and
fiscal year; approved when the session's record is signed off. The teacher's logbook (a page and
a document) and the organisation's summary read them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from platu.communities.models import Attendance
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

    @property
    def total(self) -> Decimal:
        return sum((e.hours for e in self.entries), Decimal(0))

    @property
    def approved(self) -> Decimal:
        return sum((e.hours for e in self.entries if e.approved), Decimal(0))

    def by_term(self) -> list[tuple[str, Decimal]]:
        terms: dict[tuple[int, int], Decimal] = {}
        for e in self.entries:
            key = thaidate.academic_term(e.day)
            terms[key] = terms.get(key, Decimal(0)) + e.hours
        return [(f"{term}/{year}", hours) for (year, term), hours in sorted(terms.items())]


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
    book = Logbook(person, fiscal_year)
    for a in rows:
        record = getattr(a.session, "record", None)
        book.entries.append(Entry(
            timezone.localtime(a.session.starts_at).date(), a.session.community.name, a.session.community_id,
            a.session.title, a.hours,
            bool(record and record.signed_at), a.session_id,
        ))  # fmt: skip
    return book


def minimum(org: Organisation) -> Decimal:
    return Decimal(settings.PLATU_PLC_MIN_HOURS)


def summary(org: Organisation, fiscal_year: int) -> list[tuple[Person, Decimal, Decimal, bool]]:
    """Each member of the organisation with their PLC hours in the fiscal year (all, and those
    approved by a signed record) and whether the approved hours reach the minimum; those below
    it first."""
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
    floor = minimum(org)
    out = []
    for p in people:
        ok = Decimal(approved.get(p.pk) or 0)
        out.append((p, Decimal(totals.get(p.pk) or 0), ok, ok >= floor))
    return sorted(out, key=lambda r: (r[3], r[2], r[0].first_name))
