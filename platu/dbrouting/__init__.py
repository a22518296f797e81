"""Reads from PostgreSQL streaming replicas (DATABASE_REPLICA_URLS); writes, and reads that must
see them, on the primary. See router.py and docs/deployment.md."""
