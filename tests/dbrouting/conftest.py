"""The replica tests read a PostgreSQL standby: they are collected only in the PostgreSQL run of the
suite (make test-pg), where they fail, never skip, if the standby is missing. The SQLite run does
not collect them, so `CI=true make test` skips nothing."""

import os

collect_ignore = [] if os.environ.get("DATABASE_URL", "").startswith("postgres") else ["test_replicas.py"]
