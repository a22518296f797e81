"""The settings an installation runs with: SQLite tuned for concurrent use, secrets required."""

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseWrapper

ROOT = Path(__file__).resolve().parents[1]


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(tmp_path: Any, django_db_blocker: Any) -> None:
    config = {**settings.DATABASES["default"]}
    if config["ENGINE"] != "django.db.backends.sqlite3":
        config = {
            "ENGINE": "django.db.backends.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 10,
                "init_command": "PRAGMA journal_mode=WAL;PRAGMA busy_timeout=10000;",
            },
        }
        assert "postgresql" in settings.DATABASES["default"]["ENGINE"]
        assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
        assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0
    config.update(
        NAME=str(tmp_path / "wal.sqlite3"),
        TIME_ZONE=None,
        CONN_MAX_AGE=0,
        CONN_HEALTH_CHECKS=False,
        AUTOCOMMIT=True,
        ATOMIC_REQUESTS=False,
        TEST={},
    )
    wrapper = DatabaseWrapper(config, alias="wal-check")
    with django_db_blocker.unblock(), wrapper.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert wrapper.transaction_mode == "IMMEDIATE"
    wrapper.close()


def test_a_missing_secret_key_is_a_clear_error(tmp_path: Any) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "SECRET_KEY_FILE"}}
    env.update(PLATU_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="platu.settings")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_the_secret_key_may_come_from_a_file(tmp_path: Any) -> None:
    secret = tmp_path / "key"
    secret.write_text("x" * 60)
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(PLATU_DATA_DIR=str(tmp_path), SECRET_KEY_FILE=str(secret))
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings; print(len(settings.SECRET_KEY))",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip().endswith("60"), result.stderr
