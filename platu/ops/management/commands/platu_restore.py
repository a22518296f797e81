"""Restore a `platu_backup` archive into the configured database and MEDIA_ROOT.

    python manage.py platu_restore /backup/platu-backup-20261130-010000.tar.gz          # verify only
    python manage.py platu_restore /backup/platu-backup-20261130-010000.tar.gz --yes    # and restore

Every file is checked against the manifest's sha256 before anything is touched; SQLite is restored
into SQLite and PostgreSQL into PostgreSQL only; afterwards every table's rows are compared with the
manifest. Stop the web server and the worker first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from platu.ops import backup


class Command(BaseCommand):
    help = (
        "Verify a backup archive and, with --yes, replace the configured database and the media "
        "files with its contents."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive", help="a platu_backup archive")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="replace the configured database and media files (without it: verify only)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        try:
            with backup.verified(archive, log=self.stdout.write) as restore:
                manifest = restore.manifest
                made = manifest["platu"].get("commit", "")[:12] or manifest["platu"].get("version", "?")
                self.stdout.write(
                    f"The archive is intact: {backup.VENDOR_NAMES[manifest['database']['vendor']]}, "
                    f"{len(manifest['tables'])} tables, {len(restore.files)} media files, "
                    f"made {manifest['created_at']} by Platu {made}."
                )
                target = backup.target_description()
                if not options["yes"]:
                    raise CommandError(
                        f"Nothing restored. Restoring replaces the {target}. Re-run with --yes to do it."
                    )
                self.stdout.write(f"Replacing the {target} …")
                counts = backup.apply(restore, log=self.stdout.write)
        except backup.BackupError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {len(counts)} tables ({sum(counts.values())} rows, as in the manifest) and "
                f"{len(restore.files)} media files. Run `manage.py migrate` if this code is newer than "
                "the archive, then start Platu."
            )
        )
