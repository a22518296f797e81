"""Daily housekeeping for cron: write buffered views and mark knowledge due for review."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from platu.knowledge import counter
from platu.knowledge.workflow import mark_stale


class Command(BaseCommand):
    help = "Mark published knowledge whose review date has come as due for review (ควรทบทวน)."

    def handle(self, *args: Any, **options: Any) -> None:
        counter.flush()
        marked = mark_stale()
        self.stdout.write(f"{marked} item(s) marked as due for review.")
