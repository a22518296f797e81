from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError

from platu.knowledge.management.commands._common import organisation, user
from platu.knowledge.search import search_items


class Command(BaseCommand):
    help = (
        "Search knowledge as a user and print the results: a JSON list of "
        '{"id", "external_id", "title", "score"} in rank order (one list per line with --queries).'
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("query", nargs="?", help="What to search for.")
        parser.add_argument("--queries", help="A file with one query per line, instead of QUERY.")
        parser.add_argument("--org", required=True, help="Only items of this organisation (its code).")
        parser.add_argument(
            "--as", dest="username", help="Search as this user (default: the organisation's admin)."
        )
        parser.add_argument(
            "--anonymous", action="store_true", help="Search as a visitor (public items only)."
        )
        parser.add_argument("--limit", type=int, default=20)
        parser.add_argument(
            "--json", action="store_true", help="JSON output (the default; kept for scripts)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if bool(options["query"]) == bool(options["queries"]):
            raise CommandError("Give a QUERY or --queries FILE (one of them).")
        org = organisation(options["org"])
        acting = AnonymousUser() if options["anonymous"] else user(options["username"], org)
        limit = max(1, min(options["limit"], 1000))
        if options["queries"]:
            try:
                with open(options["queries"], encoding="utf-8-sig") as stream:
                    queries = [line.rstrip("\n") for line in stream]
            except OSError as exc:
                raise CommandError(f"Cannot read {options['queries']}: {exc.strerror}") from exc
        else:
            queries = [options["query"]]
        for query in queries:
            results = search_items(acting, query, {"org": org.code}, limit=limit, facets=False)
            rows = [
                {
                    "id": hit.obj.pk,
                    "external_id": hit.obj.external_id or None,
                    "title": hit.obj.title,
                    "score": round(hit.score, 6),
                }
                for hit in results.hits
            ]
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
