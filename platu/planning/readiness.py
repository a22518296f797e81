"""Is a plan ready to go to the CKO? What is missing stops it; what looks wrong warns."""

from __future__ import annotations

from django.utils.translation import gettext as _

from platu.lib import thaidate
from platu.planning.models import Plan


def missing(plan: Plan) -> list[str]:
    """What a plan needs before it can be submitted, each said plainly (empty: ready)."""
    gaps = []
    if not plan.kpis.filter(chosen=True).exists():
        gaps.append(_("choose at least one KPI on worksheet 2"))
    if not plan.knowledge.filter(chosen=True).exists():
        gaps.append(_("choose at least one needed knowledge item on worksheet 4"))
    if not plan.activities.exists():
        gaps.append(_("add at least one activity to the KM action plan (Form 2)"))
    return gaps


def warnings(plan: Plan) -> list[str]:
    """Activities dated outside the plan's fiscal year (they may be meant, so only a warning)."""
    start, end = thaidate.fiscal_year_bounds(plan.fiscal_year)
    notes = []
    for activity in plan.activities.order_by("process", "step", "order", "pk"):
        outside = [d for d in (activity.start, activity.end) if d and not start <= d <= end]
        if outside:
            notes.append(
                _("“%(name)s” is dated outside fiscal year %(year)s (%(start)s – %(end)s).")
                % {
                    "name": activity.name,
                    "year": plan.fiscal_year,
                    "start": thaidate.format_date(start, "medium"),
                    "end": thaidate.format_date(end, "medium"),
                }
            )
    return notes
