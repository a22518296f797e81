from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from platu.search import registry
from platu.search.indexer import reindex


class Command(BaseCommand):
    help = (
        "Rebuild the search indexes with the organisations' dictionary terms: every one, or those "
        "named (app_label.model or the index's key, e.g. knowledge.item, orgs.person, plans)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("indexes", nargs="*", metavar="app.model")

    def handle(self, *args: Any, **options: Any) -> None:
        chosen = []
        for label in options["indexes"]:
            try:
                chosen.append(registry.by_label(label))
            except KeyError:
                known = ", ".join(f"{i.model._meta.label_lower} ({i.key})" for i in registry.indexes())
                raise CommandError(f"No search index for {label!r}. Known: {known}.") from None
        result = reindex(chosen or None)
        counts = ", ".join(f"{result[i.key]} {i.key}" for i in (chosen or registry.indexes()))
        self.stdout.write(
            f"Indexed {counts} with {result['terms']} extra terms in {result['seconds']:.2f} s."
        )
