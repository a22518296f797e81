"""Community measures for monitoring indicators (registered with platu/tracking/measures.py)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from platu.communities.models import Attendance, Session
from platu.tracking.measures import Counted, Measure, Scope, day_bounds, register

FILTERS = ("community", "kind")


def held_sessions(scope: Scope) -> QuerySet[Session]:
    start, end = day_bounds(scope)
    qs = Session.objects.filter(
        starts_at__gte=start, starts_at__lt=end, **scope.org_q("community__organisation")
    )
    qs = qs.exclude(state=Session.State.CANCELLED).filter(attendance__isnull=False).distinct()
    if scope.filters.get("community"):
        qs = qs.filter(community_id=int(scope.filters["community"]))
    if scope.filters.get("kind"):
        qs = qs.filter(community__kind=scope.filters["kind"])
    return qs


def _attendance(scope: Scope) -> QuerySet[Attendance]:
    return Attendance.objects.filter(session__in=held_sessions(scope))


def _sessions(scope: Scope) -> Counted:
    ids = list(held_sessions(scope).order_by("starts_at").values_list("pk", flat=True))
    return Counted(Decimal(len(ids)), len(ids), ids)


def _attendances(scope: Scope) -> Counted:
    n = _attendance(scope).count()
    return Counted(Decimal(n), n)


def _hours(scope: Scope) -> Counted:
    total = _attendance(scope).filter(person__isnull=False).aggregate(h=Sum("hours"))["h"] or Decimal(0)
    return Counted(Decimal(total).quantize(Decimal("0.01")), 0)


def _participants(scope: Scope) -> Counted:
    ids = sorted(set(_attendance(scope).filter(person__isnull=False).values_list("person_id", flat=True)))
    return Counted(Decimal(len(ids)), len(ids), ids)


register(
    Measure(
        "communities.sessions",
        _("Community sessions held"),
        _("sessions"),
        _sessions,
        FILTERS,
        "communities.session",
    )
)
register(Measure("communities.attendance", _("Attendance at community sessions"), _("attendances"), _attendances,
                 FILTERS))  # fmt: skip
register(Measure("communities.hours", _("PLC hours"), _("hours"), _hours, FILTERS))
register(Measure("communities.participants", _("People who took part in community sessions"), _("people"),
                 _participants, FILTERS, "orgs.person"))  # fmt: skip
