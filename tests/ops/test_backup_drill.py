"""The backup drill on the database the suite runs on (SQLite, then PostgreSQL under `make test`):
a small installation is backed up, wiped (the SQLite database emptied / the PostgreSQL database
dropped and created again, the media deleted), restored, and found identical: every table's rows,
every file's sha256, the searches' top results. And the archives a restore must refuse."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from platu.ops import backup, drill
from platu.orgs.models import Organisation
from platu.search.indexer import reindex
from tests.knowledge.conftest import make_item

pytestmark = pytest.mark.django_db(transaction=True)

QUERIES = ["การอ่าน", "โรงเรียน"]


@pytest.fixture
def installation(world: SimpleNamespace) -> SimpleNamespace:
    """The shared world, two knowledge items and media files in folders (a Thai name too)."""
    make_item(world.owner, world.a)
    make_item(world.owner, world.a, title="ครูพี่เลี้ยงกับการอ่านของเด็กเล็ก")
    default_storage.save("knowledge/ab/attachment.pdf", ContentFile(b"%PDF-1.4 platu " * 100))
    default_storage.save("logos/โลโก้โรงเรียน.png", ContentFile(bytes(range(256)) * 4))
    reindex()
    return world


def _rewrite(archive: Path, target: Path, change: Any) -> None:
    """Copy `archive` to `target`, passing every member's (info, bytes) through `change`."""
    with tarfile.open(archive, "r:*") as src, tarfile.open(target, "w:gz") as dst:
        for info in src:
            f = src.extractfile(info)
            data = f.read() if f else b""
            changed = change(info, data)
            if changed is None:
                continue
            info, data = changed
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))


def test_a_restored_installation_is_identical(installation: SimpleNamespace, tmp_path: Path) -> None:
    user = installation.owner.user
    before = drill.fingerprint(user, QUERIES)
    assert before["files"] and any(before["search"].values())
    archive = tmp_path / "backup.tar.gz"
    manifest = backup.create_backup(archive)

    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["tables"] == before["tables"]
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    assert {f"media/{p}": h for p, h in before["files"].items()}.items() <= listed.items()
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names[-1] == "manifest.json" and set(names[:-1]) == set(listed)

    drill.wipe()
    assert not backup.media_root().exists()
    assert backup.table_rows().get("orgs_organisation", 0) == 0

    call_command("platu_restore", str(archive), "--yes", stdout=io.StringIO())
    after = drill.fingerprint(type(user).objects.get(pk=user.pk), QUERIES)
    assert drill.differences(before, after) == []
    assert after["search"] == before["search"]


def test_a_difference_is_reported(installation: SimpleNamespace) -> None:
    before = drill.fingerprint(installation.owner.user, QUERIES)
    default_storage.save("knowledge/new.txt", ContentFile(b"added after the backup"))
    installation.b.delete()
    after = drill.fingerprint(installation.owner.user, QUERIES)
    found = "\n".join(drill.differences(before, after))
    assert "file knowledge/new.txt" in found
    assert "table orgs_organisation" in found


def test_restore_refuses_without_yes_a_damaged_archive_and_another_database(
    installation: SimpleNamespace, tmp_path: Path
) -> None:
    archive = tmp_path / "backup.tar.gz"
    backup.create_backup(archive)
    rows = backup.table_rows()

    with pytest.raises(CommandError, match="Re-run with --yes"):
        call_command("platu_restore", str(archive), stdout=io.StringIO())

    damaged = tmp_path / "damaged.tar.gz"
    _rewrite(
        archive,
        damaged,
        lambda info, data: (info, data[:-1] + b"!") if info.name.startswith("media/logos") else (info, data),
    )
    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("platu_restore", str(damaged), "--yes", stdout=io.StringIO())

    smuggled = tmp_path / "smuggled.tar.gz"

    def smuggle(info: tarfile.TarInfo, data: bytes) -> tuple[tarfile.TarInfo, bytes]:
        if info.name.startswith("media/knowledge"):
            info.name = "../../outside.pdf"
        return info, data

    _rewrite(archive, smuggled, smuggle)
    with pytest.raises(CommandError, match="unexpected member"):
        call_command("platu_restore", str(smuggled), "--yes", stdout=io.StringIO())

    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    def elsewhere(info: tarfile.TarInfo, data: bytes) -> tuple[tarfile.TarInfo, bytes]:
        if info.name == "manifest.json":
            manifest = json.loads(data)
            manifest["database"]["vendor"] = other
            data = json.dumps(manifest).encode()
        return info, data

    foreign = tmp_path / "foreign.tar.gz"
    _rewrite(archive, foreign, elsewhere)
    with pytest.raises(CommandError, match="restores SQLite into SQLite and PostgreSQL into PostgreSQL only"):
        call_command("platu_restore", str(foreign), "--yes", stdout=io.StringIO())

    assert backup.table_rows() == rows  # nothing was touched
    assert (backup.media_root() / "logos" / "โลโก้โรงเรียน.png").is_file()
    assert not (tmp_path.parent / "outside.pdf").exists()

    # Restored over the running installation (not wiped): what came after the backup is gone.
    Organisation.objects.create(code="org-c", kind="school", name_th="โรงเรียนบ้านซี")
    default_storage.save("knowledge/later.txt", ContentFile(b"after the backup"))
    call_command("platu_restore", str(archive), "--yes", stdout=io.StringIO())
    assert backup.table_rows() == rows
    assert not Organisation.objects.filter(code="org-c").exists()
    assert not (backup.media_root() / "knowledge" / "later.txt").exists()


def test_the_backup_command_names_the_archive_in_a_folder(
    installation: SimpleNamespace, tmp_path: Path
) -> None:
    out = io.StringIO()
    call_command("platu_backup", str(tmp_path), stdout=out)
    made = list(tmp_path.glob("platu-backup-*.tar.gz"))
    assert len(made) == 1 and str(made[0]) in out.getvalue()
    assert made[0].stat().st_mode & 0o077 == 0  # the archive holds password hashes
    assert backup.read_manifest(made[0])["tables"]["orgs_person"] == 4


def test_the_secret_key_only_when_asked_for(
    installation: SimpleNamespace, tmp_path: Path, settings: Any
) -> None:
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    (settings.DATA_DIR / "secret_key").write_text("the-installation's-key\n")
    without, with_key = tmp_path / "without.tar", tmp_path / "with.tar"
    backup.create_backup(without)
    backup.create_backup(with_key, include_secret_key=True)
    with tarfile.open(without) as tar:
        assert "secret_key" not in tar.getnames()
    (settings.DATA_DIR / "secret_key").unlink()

    call_command("platu_restore", str(with_key), "--yes", stdout=io.StringIO())
    restored = settings.DATA_DIR / "secret_key"
    assert restored.read_text() == "the-installation's-key\n"
    assert restored.stat().st_mode & 0o077 == 0
