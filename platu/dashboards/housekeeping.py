"""The dashboards' daily job: count again the organisations where something was written or
updated in the last day and a bit (what the task queue missed: bulk writes send no signal)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from platu.core.housekeeping import register

WINDOW = dt.timedelta(hours=26)


@register("dashboards.refresh")
def refresh_recent() -> str:
    from platu.dashboards import refresh

    orgs = refresh.changed_since(timezone.now() - WINDOW)
    for year in refresh.years_to_refresh():
        refresh.refresh(orgs, year)
    return f"dashboard figures of {len(orgs)} organisation(s) counted again"
