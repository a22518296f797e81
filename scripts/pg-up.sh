#!/usr/bin/env bash
# Make sure a local PostgreSQL 15+ runs and has the `platu` role used by the tests.
set -euo pipefail
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else sudo -u postgres bash -c "$*"; fi; }

if ! command -v pg_lsclusters >/dev/null; then
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql
fi
cluster=$(pg_lsclusters --no-header | awk '$1 >= 15 {print $1" "$2" "$4; exit}')
if [ -z "$cluster" ]; then
  echo "No PostgreSQL 15+ cluster found" >&2
  exit 1
fi
read -r version name status <<<"$cluster"
if [ "$status" != "online" ]; then
  as_root pg_ctlcluster "$version" "$name" start
fi
for _ in $(seq 1 30); do
  as_postgres "psql -qtAc 'select 1'" >/dev/null 2>&1 && break
  sleep 0.5
done
if [ "$(as_postgres "psql -qtAc \"select 1 from pg_roles where rolname='platu'\"")" != "1" ]; then
  as_postgres "psql -qc \"create role platu login password 'platu' createdb\""
fi
if [ "$(as_postgres "psql -qtAc \"select 1 from pg_database where datname='platu'\"")" != "1" ]; then
  as_postgres "createdb -O platu platu"
fi
