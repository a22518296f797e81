from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from platu.knowledge.importer import import_lines
from platu.knowledge.management.commands._common import organisation, user


class Command(BaseCommand):
    help = (
        "Import knowledge items from a JSON Lines file (title, body, optional type, tags, summary, "
        "external_id). The same external_id updates the item; bad lines are reported and skipped."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="A .jsonl file, or - for standard input.")
        parser.add_argument("--org", required=True, help="The organisation's code.")
        parser.add_argument("--publish", action="store_true", help="Publish the items (no vetting).")
        parser.add_argument("--visibility", choices=["public", "organisation"], default="organisation")
        parser.add_argument("--as", dest="username", help="The user the items are written as.")

    def handle(self, *args: Any, **options: Any) -> None:
        org = organisation(options["org"])
        acting = user(options["username"], org)
        try:
            stream = sys.stdin if options["file"] == "-" else open(options["file"], encoding="utf-8-sig")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"Cannot read {options['file']}: {exc.strerror}") from exc
        with stream:
            try:
                report = import_lines(
                    stream,
                    org,
                    acting_user=acting,
                    publish=options["publish"],
                    visibility=options["visibility"],
                )
            except UnicodeDecodeError as exc:
                raise CommandError(f"The file is not UTF-8 text: {exc}") from exc
        for number, message in report.errors:
            self.stderr.write(f"line {number}: {message}")
        self.stdout.write(report.summary())
