"""DATABASE_REPLICA_URLS: each URL a database alias, the router and its middleware only when set."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SHOW = (
    "import json; from django.conf import settings; print(json.dumps({"
    "'aliases': sorted(settings.DATABASES), 'replicas': settings.DATABASE_REPLICAS, "
    "'routers': settings.DATABASE_ROUTERS, 'middleware': settings.MIDDLEWARE, "
    "'replica1': settings.DATABASES.get('replica1')}))"
)


def settings_with(tmp_path: Any, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DATABASE_REPLICA_URLS"}}
    environ.update(PLATU_DATA_DIR=str(tmp_path), SECRET_KEY="x" * 60, **env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'platu.settings'; django.setup(); {SHOW}",
        ],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
    )


def test_without_replicas_nothing_is_routed(tmp_path: Any) -> None:
    result = settings_with(tmp_path, DATABASE_URL="postgres://platu:platu@db1.example.go.th:5432/platu")
    found = json.loads(result.stdout)
    assert found["aliases"] == ["default"] and found["replicas"] == [] and found["routers"] == []
    assert not any("dbrouting" in m for m in found["middleware"])


def test_each_replica_url_is_a_database_mirrored_in_tests(tmp_path: Any) -> None:
    result = settings_with(
        tmp_path,
        DATABASE_URL="postgres://platu:platu@db1.example.go.th:5432/platu",
        DATABASE_REPLICA_URLS="postgres://platu:p@db2.example.go.th:5432/platu, postgres://platu:p@db3.example.go.th/platu",
        PLATU_REPLICA_CONNECT_TIMEOUT="3",
    )
    found = json.loads(result.stdout)
    assert found["aliases"] == ["default", "replica1", "replica2"]
    assert found["replicas"] == ["replica1", "replica2"]
    assert found["routers"] == ["platu.dbrouting.router.ReplicaRouter"]
    assert found["middleware"][1] == "platu.dbrouting.middleware.replica_reads"
    replica = found["replica1"]
    assert replica["HOST"] == "db2.example.go.th" and replica["OPTIONS"]["connect_timeout"] == 3
    assert replica["TEST"]["MIRROR"] == "default"


def test_replicas_without_a_postgresql_primary_are_refused(tmp_path: Any) -> None:
    result = settings_with(tmp_path, DATABASE_REPLICA_URLS="postgres://platu:p@db2.example.go.th/platu")
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URLS needs DATABASE_URL" in result.stderr
