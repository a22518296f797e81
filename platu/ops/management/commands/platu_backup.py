"""Back up the database and the media files into one archive with a manifest and checksums.

    python manage.py platu_backup /backup/                       # /backup/platu-backup-<when>.tar.gz
    python manage.py platu_backup /backup/platu-monday.tar.gz
    python manage.py platu_backup /backup/ --include-secret-key  # the data folder's secret_key too

Safe while the site runs (SQLite: the online backup API; PostgreSQL: pg_dump of one snapshot).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from platu.ops import backup


class Command(BaseCommand):
    help = "Back up the database and the media files into one archive (tar, .gz compressed) with a manifest."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "destination",
            nargs="?",
            default=".",
            help="the archive's file name (.tar or .tar.gz), or a folder for platu-backup-<when>.tar.gz",
        )
        parser.add_argument(
            "--include-secret-key",
            action="store_true",
            help="also store the data folder's secret_key (keep such an archive as safe as the key)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        destination = Path(options["destination"])
        if destination.is_dir() or options["destination"].endswith("/"):
            stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
            destination = destination / f"platu-backup-{stamp}.tar.gz"
        try:
            manifest = backup.create_backup(
                destination, include_secret_key=options["include_secret_key"], log=self.stdout.write
            )
        except backup.BackupError as e:
            raise CommandError(str(e)) from e
        files = [f for f in manifest["files"] if f["path"].startswith("media/")]
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {len(manifest['tables'])} tables ({sum(manifest['tables'].values())} rows) and "
                f"{len(files)} media files ({sum(f['size'] for f in files)} bytes) into {destination.resolve()} "
                f"({destination.stat().st_size} bytes)."
            )
        )
