"""python manage.py platu_export DOCUMENT --org CODE --year YYYY --format pdf|docx|xlsx --out PATH"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from platu.orgs.models import Organisation
from platu.planning import documents
from platu.planning.models import Plan


class Command(BaseCommand):
    help = "Print a plan document (worksheets 1-6, the sufficiency form, Form 2 or the booklet) to a file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("document", choices=documents.DOCUMENTS + documents.TEAM_DOCUMENTS)
        parser.add_argument("--org", required=True, help="The organisation's code.")
        parser.add_argument("--year", required=True, type=int, help="The fiscal year in B.E., e.g. 2569.")
        parser.add_argument("--format", required=True, choices=documents.FORMATS)
        parser.add_argument("--out", required=True, help="Where to write the file.")
        parser.add_argument("--revision", type=int, help="A revision (default: the latest).")

    def handle(self, *args: Any, **options: Any) -> None:
        org = Organisation.objects.filter(code=options["org"]).first()
        if org is None:
            raise CommandError(f"No organisation with the code {options['org']!r}.")
        plans = Plan.objects.filter(organisation=org, fiscal_year=options["year"]).select_related(
            "organisation"
        )
        if options["revision"]:
            plans = plans.filter(revision=options["revision"])
        plan = plans.order_by("-revision").first()
        if plan is None:
            raise CommandError(f"{org.code} has no plan for fiscal year {options['year']}.")
        data = documents.render(plan, options["document"], options["format"])
        out = Path(options["out"])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
        self.stdout.write(f"Written {out} ({len(data):,} bytes)")
