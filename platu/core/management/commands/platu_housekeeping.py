"""Daily housekeeping for cron: every module's registered jobs (knowledge: write buffered views,
mark items due for review; communities: remind members of tomorrow's sessions).

    15 0 * * *  cd /srv/platu && .venv/bin/python manage.py platu_housekeeping
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from platu.core import housekeeping


class Command(BaseCommand):
    help = "Run the daily jobs of every module (views, review dates, session reminders)."

    def handle(self, *args: Any, **options: Any) -> None:
        for name, job in housekeeping.jobs():
            self.stdout.write(f"{name}: {job()}")
