"""The backup drill: what an installation holds, taken before a backup and after its restore, must
be the same (`make backup-drill`, tests/ops/test_backup_drill.py).

A fingerprint is every table's rows, every media file's sha256, and the top results of a few
searches in every search index; `differences` lists what changed between two.
"""

from __future__ import annotations

import shutil
import sqlite3
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connections

from platu.ops import backup

QUERIES = ("โรงเรียน", "การอ่าน", "ครู")


def search_results(
    user: Any, queries: tuple[str, ...] | list[str] = QUERIES, limit: int = 10
) -> dict[str, Any]:
    """The ids of the best `limit` hits of each query in each index, as `user` sees them."""
    from platu.search import registry
    from platu.search.service import search

    out: dict[str, Any] = {}
    for index in registry.indexes():
        for query in queries:
            results = search(index, user, query, facets=False, limit=limit)
            out[f"{index.key}: {query}"] = [hit.obj.pk for hit in results.hits]
    return out


def drill_user(username: str | None = None) -> Any:
    """Who searches in the drill: the one named, else the first superuser (the demo's `admin`)."""
    from django.contrib.auth.models import AnonymousUser

    users = get_user_model().objects
    if username:
        return users.get(username=username)
    return users.filter(is_superuser=True, is_active=True).order_by("pk").first() or AnonymousUser()


def fingerprint(user: Any = None, queries: tuple[str, ...] | list[str] = QUERIES) -> dict[str, Any]:
    return {
        "vendor": backup.vendor(),
        "tables": backup.table_rows(),
        "files": {relative: backup.sha256_file(path) for relative, path in backup.media_files()},
        "search": search_results(user if user is not None else drill_user(), queries),
    }


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """What differs, one line each; empty when the restore is identical."""
    out: list[str] = []
    if not any(before["search"].values()):
        out.append("the drill's searches found nothing before the backup; it would prove nothing")
    for part, what in (("tables", "table"), ("files", "file"), ("search", "search")):
        a, b = before[part], after[part]
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                out.append(f"{what} {key}: before {a.get(key, 'absent')!r}, after {b.get(key, 'absent')!r}")
    return out


def wipe(alias: str = "default") -> None:
    """Empty the configured installation in this process, as a lost machine would be: the SQLite
    database emptied (an empty database copied over it) or the PostgreSQL database dropped and
    created again, and MEDIA_ROOT deleted."""
    connection = connections[alias]
    if backup.vendor(alias) == "sqlite":
        connection.ensure_connection()
        empty = sqlite3.connect(":memory:")
        try:
            empty.backup(connection.connection)
        finally:
            empty.close()
        connection.close()
    else:
        db = dict(connection.settings_dict)
        connection.close()
        name = backup._quote(db["NAME"])
        with backup.pg_connect(db, dbname="postgres") as conn:
            conn.autocommit = True
            conn.execute(f"DROP DATABASE {name}")
            conn.execute(f"CREATE DATABASE {name}")
    shutil.rmtree(backup.media_root(), ignore_errors=True)
