"""Count the dashboards' figures again (cron). Without options: the organisations where
something was written or updated in the last --since minutes (default 70, for an hourly cron
line); --all: every organisation, the subtrees summed in memory (after an import, a move of
organisations, or weekly); --org: one organisation and the offices above it.

    10 * * * *  cd /srv/platu && .venv/bin/python manage.py platu_refresh_dashboards
    30 2 * * 0  cd /srv/platu && .venv/bin/python manage.py platu_refresh_dashboards --all
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from platu.dashboards import refresh
from platu.orgs.models import Organisation


class Command(BaseCommand):
    help = "Count the dashboards' figures again: recently changed organisations, one, or all."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--all", action="store_true", help="every organisation")
        parser.add_argument("--org", default="", help="one organisation's code")
        parser.add_argument("--year", type=int, action="append", default=[], help="fiscal year (B.E.)")
        parser.add_argument("--since", type=int, default=70, help="minutes (default 70)")

    def handle(self, *args: Any, **o: Any) -> None:
        years = o["year"] or refresh.years_to_refresh()
        started = time.perf_counter()
        if o["all"]:
            for year in years:
                n = refresh.rebuild(year)
                self.stdout.write(f"{year}: {n} organisation(s) counted")
        else:
            if o["org"]:
                org = Organisation.objects.filter(code=o["org"]).first()
                if org is None:
                    raise CommandError(f"No organisation with the code {o['org']!r}.")
                orgs = {org.pk}
            else:
                orgs = refresh.changed_since(timezone.now() - dt.timedelta(minutes=o["since"]))
            for year in years:
                n = refresh.refresh(orgs, year) if orgs else 0
                self.stdout.write(f"{year}: {len(orgs)} changed organisation(s), {n} with the offices above")
        self.stdout.write(f"done in {time.perf_counter() - started:.1f} s")
