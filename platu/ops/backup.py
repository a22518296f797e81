"""Backups into one archive, and restores from it (`platu_backup`, `platu_restore`).

The archive is a tar (gzip-compressed when its name ends in .gz or .tgz) holding:

- ``database/platu.sqlite3`` (SQLite, a copy made with the online backup API: consistent, safe while
  the site runs) or ``database/platu.dump`` (PostgreSQL, ``pg_dump --format=custom`` of an exported
  snapshot, with the row counts read in that same snapshot);
- ``media/…``: every uploaded file under MEDIA_ROOT;
- ``secret_key`` only when asked for (``--include-secret-key``);
- ``manifest.json`` (last): Platu's version and commit, when, the database vendor, the applied
  migrations, the rows of every table, and every other member's size and sha256.

A restore verifies every member against the manifest before it touches anything, restores only
into the same kind of database (SQLite into SQLite, PostgreSQL into PostgreSQL), always into the
configured one, and then checks every table's rows against the manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

import django
from django.conf import settings
from django.db import connections

FORMAT = "platu-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/platu.sqlite3"
PG_MEMBER = "database/platu.dump"
SECRET_MEMBER = "secret_key"
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
CHUNK = 1024 * 1024

Log = Callable[[str], None]


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says why, for the operator."""


def _quiet(message: str) -> None:
    pass


# --- what an installation holds --------------------------------------------------------------


def _db_settings(alias: str = "default") -> dict[str, Any]:
    return dict(connections[alias].settings_dict)


def vendor(alias: str = "default") -> str:
    name = connections[alias].vendor
    if name not in VENDOR_NAMES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {name}.")
    return name


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def count_rows(cursor: Any, vendor_name: str) -> dict[str, int]:
    """Rows of every table (SQLite: the search index's FTS5 tables and their shadow tables too)."""
    if vendor_name == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
        names = [(row[0], _quote(row[0])) for row in cursor.fetchall()]
    else:
        cursor.execute(
            "SELECT schemaname, tablename FROM pg_tables WHERE schemaname = ANY(current_schemas(false)) "
            "ORDER BY schemaname, tablename"
        )
        names = [
            (table if schema == "public" else f"{schema}.{table}", f"{_quote(schema)}.{_quote(table)}")
            for schema, table in cursor.fetchall()
        ]
    counts = {}
    for name, quoted in names:
        cursor.execute(f"SELECT COUNT(*) FROM {quoted}")
        counts[name] = int(cursor.fetchone()[0])
    return counts


def table_rows(alias: str = "default") -> dict[str, int]:
    """Rows of every table of the configured database, now."""
    with connections[alias].cursor() as cursor:
        return count_rows(cursor, vendor(alias))


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def media_files(root: Path | None = None) -> Iterator[tuple[str, Path]]:
    """(path relative to MEDIA_ROOT in POSIX form, path) of every regular file, sorted."""
    root = root or media_root()
    if not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix(), path


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def applied_migrations(alias: str = "default") -> list[str]:
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connections[alias])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def platu_version() -> dict[str, str]:
    base = Path(settings.BASE_DIR)
    info = {"version": "", "commit": ""}
    with suppress(OSError, KeyError, tomllib.TOMLDecodeError):
        info["version"] = tomllib.loads((base / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=base, capture_output=True, text=True, timeout=10, check=False
        )
        if done.returncode == 0:
            info["commit"] = done.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return info


# --- PostgreSQL's tools ----------------------------------------------------------------------


def pg_env(db: dict[str, Any]) -> dict[str, str]:
    """The libpq environment for pg_dump/pg_restore: the configured database, nothing else."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    values = {
        "PGDATABASE": db.get("NAME"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGHOST": db.get("HOST"),
        "PGPORT": db.get("PORT"),
    }
    options = db.get("OPTIONS") or {}
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
        ("service", "PGSERVICE"),
        ("passfile", "PGPASSFILE"),
    ):
        values[variable] = options.get(option)
    env.update({k: str(v) for k, v in values.items() if v not in (None, "")})
    return env


def pg_connect(db: dict[str, Any], dbname: str | None = None) -> Any:
    import psycopg

    options = db.get("OPTIONS") or {}
    kwargs = {
        "dbname": dbname or db.get("NAME"),
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        **{
            k: v
            for k, v in options.items()
            if k in {"sslmode", "sslrootcert", "sslcert", "sslkey", "service"}
        },
    }
    return psycopg.connect(**{k: v for k, v in kwargs.items() if v is not None})


def _run_tool(args: list[str], env: dict[str, str]) -> None:
    tool = shutil.which(args[0])
    if tool is None:
        raise BackupError(f"{args[0]} is not installed (Debian: apt-get install postgresql-client).")
    done = subprocess.run([tool, *args[1:]], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{args[0]} failed ({done.returncode}):\n{done.stderr.strip()}")


# --- backing up ------------------------------------------------------------------------------


class _HashingReader:
    """Reads at most `size` bytes of a file for tarfile, hashing exactly what it hands over."""

    def __init__(self, f: IO[bytes], size: int) -> None:
        self.f, self.left, self.digest = f, size, hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        data = self.f.read(n)
        self.left -= len(data)
        self.digest.update(data)
        return data


def _add(tar: tarfile.TarFile, path: Path, arcname: str, files: list[dict[str, Any]]) -> None:
    with open(path, "rb") as f:
        st = os.fstat(f.fileno())
        info = tarfile.TarInfo(arcname)
        info.size, info.mtime, info.mode = st.st_size, int(st.st_mtime), 0o640
        reader = _HashingReader(f, st.st_size)
        tar.addfile(info, reader)  # type: ignore[arg-type]
    files.append({"path": arcname, "size": st.st_size, "sha256": reader.digest.hexdigest()})


def _open_for_writing(raw: IO[bytes], path: Path) -> tarfile.TarFile:
    if path.name.endswith((".gz", ".tgz")):
        return tarfile.open(fileobj=raw, mode="w:gz")
    return tarfile.open(fileobj=raw, mode="w")


def _dump_sqlite(alias: str, target: Path) -> dict[str, int]:
    connection = connections[alias]
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)  # the online backup API: a consistent copy
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        return count_rows(copy.cursor(), "sqlite")
    finally:
        copy.close()


def _dump_postgresql(alias: str, target: Path) -> dict[str, int]:
    db = _db_settings(alias)
    with pg_connect(db) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        _run_tool(["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}"], pg_env(db))
        with conn.cursor() as cursor:
            counts = count_rows(cursor, "postgresql")  # in the snapshot pg_dump saved
        conn.rollback()
    return counts


def create_backup(
    destination: Path, *, include_secret_key: bool = False, alias: str = "default", log: Log = _quiet
) -> dict[str, Any]:
    """Write the archive to `destination` (through a `.partial` file renamed at the end); the manifest."""
    destination = destination.resolve()
    destination.parent.mkdir(parents=True, exist_ok=True)
    vendor_name = vendor(alias)
    partial = destination.with_name(destination.name + ".partial")
    files: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix=".platu-backup-", dir=destination.parent) as staging:
        member = SQLITE_MEMBER if vendor_name == "sqlite" else PG_MEMBER
        dump = Path(staging) / PurePosixPath(member).name
        log(f"Copying the {VENDOR_NAMES[vendor_name]} database …")
        counts = (_dump_sqlite if vendor_name == "sqlite" else _dump_postgresql)(alias, dump)
        migrations = applied_migrations(alias)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # it holds password hashes
        try:
            with os.fdopen(fd, "wb") as raw, _open_for_writing(raw, destination) as tar:
                _add(tar, dump, member, files)
                log("Adding the media files …")
                for relative, path in media_files():
                    _add(tar, path, f"media/{relative}", files)
                secret = Path(settings.DATA_DIR) / "secret_key"
                if include_secret_key:
                    if not secret.is_file():
                        raise BackupError(f"--include-secret-key: there is no {secret} (is SECRET_KEY set?).")
                    _add(tar, secret, SECRET_MEMBER, files)
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                    "platu": platu_version(),
                    "django": django.get_version(),
                    "database": {"vendor": vendor_name, "member": member},
                    "migrations": migrations,
                    "tables": counts,
                    "files": files,
                }
                body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(body), int(datetime.now(UTC).timestamp()), 0o640
                tar.addfile(info, _bytes_reader(body))
                raw.flush()
                os.fsync(raw.fileno())
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    os.replace(partial, destination)
    return manifest


def _bytes_reader(body: bytes) -> Any:
    import io

    return io.BytesIO(body)


# --- verifying and restoring -----------------------------------------------------------------


@dataclass
class Verified:
    """An archive whose every member matched its manifest, unpacked into `staging`."""

    archive: Path
    manifest: dict[str, Any]
    staging: Path

    @property
    def database(self) -> Path:
        return self.staging / "database" / PurePosixPath(self.manifest["database"]["member"]).name

    @property
    def media(self) -> Path:
        return self.staging / "media"

    @property
    def secret_key(self) -> Path | None:
        path = self.staging / SECRET_MEMBER
        return path if path.is_file() else None

    @property
    def files(self) -> list[dict[str, Any]]:
        return [f for f in self.manifest["files"] if f["path"].startswith("media/")]


def read_manifest(archive: Path) -> dict[str, Any]:
    try:
        with tarfile.open(archive, "r:*") as tar:
            try:
                f = tar.extractfile(MANIFEST)
            except KeyError:
                raise BackupError(f"{archive} has no {MANIFEST}: it is not a Platu backup.") from None
            if f is None:
                raise BackupError(f"{archive}: {MANIFEST} is not a file.")
            manifest: dict[str, Any] = json.loads(f.read())
    except (tarfile.TarError, OSError, EOFError, ValueError) as e:
        raise BackupError(f"{archive} cannot be read as a Platu backup: {e}") from e
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive}: its manifest is not a Platu backup's.")
    if int(manifest.get("format_version", 0)) > FORMAT_VERSION:
        raise BackupError(f"{archive} was written by a newer Platu (format {manifest['format_version']}).")
    return manifest


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and bool(path.parts)


def check_compatible(manifest: dict[str, Any], alias: str = "default") -> None:
    """Same kind of database; no migration the code does not know."""
    here, there = vendor(alias), manifest["database"]["vendor"]
    if there != here:
        raise BackupError(
            f"This archive holds a {VENDOR_NAMES.get(there, there)} database and this installation uses "
            f"{VENDOR_NAMES[here]}. Platu restores SQLite into SQLite and PostgreSQL into PostgreSQL only."
        )
    from django.db.migrations.loader import MigrationLoader

    known = {
        f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    }
    unknown = sorted(set(manifest.get("migrations", [])) - known)
    if unknown:
        shown = ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")
        raise BackupError(
            f"The archive comes from a newer Platu ({len(unknown)} migrations this code does not have: "
            f"{shown}). Install that version first."
        )


@contextmanager
def verified(archive: Path, alias: str = "default", log: Log = _quiet) -> Iterator[Verified]:
    """Unpack `archive` beside MEDIA_ROOT, every member checked against the manifest; nothing
    installed is touched. The unpacked copy is removed afterwards."""
    archive = archive.resolve()
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist.")
    manifest = read_manifest(archive)
    check_compatible(manifest, alias)
    expected = {f["path"]: f for f in manifest["files"]}
    member = manifest["database"]["member"]
    if member not in expected:
        raise BackupError(f"{archive}: the manifest lists no database ({member}).")
    parent = media_root().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".platu-restore-", dir=parent))
    try:
        log(f"Verifying {len(expected)} files against the manifest …")
        seen: set[str] = set()
        try:
            with tarfile.open(archive, "r:*") as tar:
                for info in tar:
                    if info.name == MANIFEST:
                        continue
                    if info.name not in expected or not _safe_member(info.name) or not info.isfile():
                        raise BackupError(f"{archive}: unexpected member {info.name!r}; refusing it.")
                    if info.name in seen:
                        raise BackupError(f"{archive}: {info.name!r} appears twice; refusing it.")
                    seen.add(info.name)
                    target = staging / PurePosixPath(info.name)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    source = tar.extractfile(info)
                    assert source is not None
                    digest, size = hashlib.sha256(), 0
                    with open(target, "wb") as out:
                        while block := source.read(CHUNK):
                            digest.update(block)
                            size += len(block)
                            out.write(block)
                    os.chmod(target, 0o640)
                    want = expected[info.name]
                    if size != want["size"] or digest.hexdigest() != want["sha256"]:
                        raise BackupError(
                            f"{archive}: {info.name} does not match its checksum in the manifest; "
                            "the archive is damaged. Nothing was restored."
                        )
        except (tarfile.TarError, OSError, EOFError) as e:
            raise BackupError(f"{archive} is damaged ({e}). Nothing was restored.") from e
        missing = sorted(set(expected) - seen)
        if missing:
            raise BackupError(f"{archive} lacks {len(missing)} files its manifest lists, e.g. {missing[0]}.")
        verified_archive = Verified(archive, manifest, staging)
        if manifest["database"]["vendor"] == "sqlite":
            check = sqlite3.connect(verified_archive.database)
            try:
                result = check.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                check.close()
            if result != "ok":
                raise BackupError(f"{archive}: the SQLite database fails its integrity check ({result}).")
        (staging / "media").mkdir(exist_ok=True)
        yield verified_archive
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def target_description(alias: str = "default") -> str:
    db = _db_settings(alias)
    if vendor(alias) == "sqlite":
        where = f"SQLite database {db['NAME']}"
    else:
        where = f"PostgreSQL database {db['NAME']!r} on {db.get('HOST') or 'the local socket'}:{db.get('PORT') or 5432}"
    return f"{where} and the media files in {media_root()}"


def _restore_sqlite(source: Path, alias: str) -> None:
    connection = connections[alias]
    if connection.in_atomic_block:
        raise BackupError("A restore cannot run inside a transaction.")
    connection.ensure_connection()
    copy = sqlite3.connect(source)
    try:
        # The backup API the other way: the configured database's pages are replaced in one locked
        # step, so a process holding it open sees the old or the new database, never a mix.
        copy.backup(connection.connection)
    finally:
        copy.close()
    connection.close()


def _restore_postgresql(source: Path, alias: str) -> None:
    db = _db_settings(alias)
    connections[alias].close()
    _run_tool(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={db['NAME']}",
            str(source),
        ],
        pg_env(db),
    )


def _replace_media(new: Path) -> None:
    root = media_root()
    root.parent.mkdir(parents=True, exist_ok=True)
    old = None
    if root.exists():
        old = root.with_name(f".{root.name}.replaced-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(root, old)
    os.replace(new, root)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def apply(restore: Verified, alias: str = "default", log: Log = _quiet) -> dict[str, int]:
    """Install a verified archive into the configured database and MEDIA_ROOT; then every table's
    rows must equal the manifest's. Returns the tables' rows."""
    vendor_name = restore.manifest["database"]["vendor"]
    log(f"Restoring the {VENDOR_NAMES[vendor_name]} database …")
    if vendor_name == "sqlite":
        _restore_sqlite(restore.database, alias)
    else:
        _restore_postgresql(restore.database, alias)
    log(f"Restoring {len(restore.files)} media files …")
    _replace_media(restore.media)
    if restore.secret_key is not None:
        secret = Path(settings.DATA_DIR) / "secret_key"
        secret.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(secret, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(restore.secret_key.read_bytes())
        log(f"Restored the secret key into {secret} (used at the next start unless SECRET_KEY is set).")
    counts = table_rows(alias)
    expected: dict[str, int] = restore.manifest["tables"]
    wrong = [
        f"{table}: {counts.get(table, 'missing')} rows, the manifest says {rows}"
        for table, rows in sorted(expected.items())
        if counts.get(table) != rows
    ]
    if wrong:
        raise BackupError("The restored database differs from the manifest:\n  " + "\n  ".join(wrong))
    return counts
