from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from platu.search.indexer import reindex_all


class Command(BaseCommand):
    help = "Rebuild the search index (items and people) with the organisations' dictionary terms."

    def handle(self, *args: Any, **options: Any) -> None:
        result = reindex_all()
        self.stdout.write(
            f"Indexed {result['items']} items and {result['people']} people "
            f"with {result['terms']} extra terms in {result['seconds']:.2f} s."
        )
