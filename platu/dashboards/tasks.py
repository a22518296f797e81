"""Background work of the dashboards: counting again what changed (see pending.py)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils import timezone
from django_tasks import task

from platu.lib import thaidate


def resolve(notes: list[list[Any]]) -> dict[int, set[int]]:
    """{fiscal year: organisation ids} of the notes (rows already deleted are skipped; their
    organisation is noted beside them)."""
    from platu.communities.models import Community, Session
    from platu.knowledge.models import Item
    from platu.planning.models import Plan
    from platu.tracking.models import Round

    current = thaidate.fiscal_year(timezone.localdate())
    wanted: dict[str, dict[int, set[int | None]]] = defaultdict(lambda: defaultdict(set))
    for kind, pk, year in notes:
        wanted[str(kind)][int(pk)].add(int(year) if year else None)
    out: dict[int, set[int]] = defaultdict(set)

    def add(org: int | None, years: set[int | None]) -> None:
        if org is not None:
            for year in years:
                out[year or current].add(org)

    for org, years in wanted["org"].items():
        add(org, years)
    if wanted["item"]:
        for pk, org in Item.objects.filter(pk__in=list(wanted["item"])).values_list("pk", "organisation_id"):
            add(org, wanted["item"][pk])
    if wanted["community"]:
        for pk, org in Community.objects.filter(pk__in=list(wanted["community"])).values_list(
            "pk", "organisation_id"
        ):
            add(org, wanted["community"][pk])
    if wanted["session"]:
        sessions = Session.objects.filter(pk__in=list(wanted["session"]))
        for org, starts in sessions.values_list("community__organisation_id", "starts_at"):
            add(org, {thaidate.fiscal_year(timezone.localtime(starts).date())})
    if wanted["plan"]:
        rows = Plan.objects.filter(pk__in=list(wanted["plan"])).values_list(
            "pk", "organisation_id", "fiscal_year"
        )
        for _pk, org, year in rows:
            add(org, {year})
    if wanted["round"]:
        rounds = Round.objects.filter(pk__in=list(wanted["round"]))
        for org, year in rounds.values_list("plan__organisation_id", "plan__fiscal_year"):
            add(org, {year})
    return out


@task()
def refresh_changes(notes: list[list[Any]]) -> int:
    """Count again the organisations that the notes ([kind, id, fiscal year or None]) touch."""
    from platu.dashboards import refresh

    done = 0
    for year, orgs in sorted(resolve(notes).items()):
        done += refresh.refresh(orgs, year)
    return done
