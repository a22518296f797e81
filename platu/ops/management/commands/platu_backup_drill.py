"""The backup drill's two halves (`make backup-drill` runs them around a backup, a wipe and a restore).

python manage.py platu_backup_drill fingerprint --out before.json   # tables' rows, files' sha256, searches
python manage.py platu_backup_drill compare before.json after.json  # exit 1 on any difference
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from platu.ops import drill


class Command(BaseCommand):
    help = "Take an installation's fingerprint, or compare two (the backup drill)."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        take = sub.add_parser("fingerprint", help="every table's rows, every media file's sha256, searches")
        take.add_argument("--out", required=True)
        take.add_argument("--user", help="who searches (default: the first superuser)")
        take.add_argument("--query", action="append", help=f"a search (default: {', '.join(drill.QUERIES)})")
        compare = sub.add_parser("compare", help="exit 1 when two fingerprints differ")
        compare.add_argument("before")
        compare.add_argument("after")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "fingerprint":
            taken = drill.fingerprint(drill.drill_user(options["user"]), options["query"] or drill.QUERIES)
            Path(options["out"]).write_text(json.dumps(taken, ensure_ascii=False, indent=1), "utf-8")
            hits = sum(len(ids) for ids in taken["search"].values())
            self.stdout.write(
                f"Fingerprint: {len(taken['tables'])} tables, {sum(taken['tables'].values())} rows, "
                f"{len(taken['files'])} files, {len(taken['search'])} searches ({hits} hits) -> {options['out']}"
            )
            return
        before = json.loads(Path(options["before"]).read_text("utf-8"))
        after = json.loads(Path(options["after"]).read_text("utf-8"))
        wrong = drill.differences(before, after)
        if wrong:
            raise CommandError("The restored installation differs:\n  " + "\n  ".join(wrong))
        self.stdout.write(
            self.style.SUCCESS(
                f"Identical: {len(before['tables'])} tables ({sum(before['tables'].values())} rows), "
                f"{len(before['files'])} files' sha256 and {len(before['search'])} searches' top results."
            )
        )
