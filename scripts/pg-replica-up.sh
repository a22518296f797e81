#!/usr/bin/env bash
# A hot standby of the local PostgreSQL 15 cluster (port 5432) for the read-replica tests
# (tests/dbrouting): Debian cluster `<version> replica` on port 5433, a physical copy made with
# pg_basebackup that streams the primary's WAL through the replication slot `platu_replica`.
# Idempotent: a standby that is already streaming is left alone; a broken one is made again.
# The primary is never restarted: the role, the slot's size limit and the grants need a reload at most.
set -euo pipefail
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else sudo -u postgres bash -c "$*"; fi; }

PRIMARY_PORT=${PLATU_PRIMARY_PORT:-5432}
# The primary's major version (scripts/pg-up.sh: 15 or later); the standby must have the same.
VERSION=$(pg_lsclusters --no-header | awk -v p="$PRIMARY_PORT" '$3 == p {print $1; exit}')
if [ -z "$VERSION" ]; then
  echo "No PostgreSQL cluster on port $PRIMARY_PORT (run scripts/pg-up.sh first)" >&2
  exit 1
fi
PORT=${PLATU_REPLICA_PORT:-5433}
NAME=replica
ROLE=platu_replicator
SLOT=platu_replica
# WAL the slot may hold back for a standby that is down or behind; past it the slot is given up
# (and this script makes the standby again) rather than the primary's disk filling up.
MAX_SLOT_WAL=${PLATU_REPLICA_MAX_SLOT_WAL:-2GB}

primary() { as_postgres "psql -p $PRIMARY_PORT -qtAX -d postgres -c \"$1\""; }
standby() { as_postgres "psql -p $PORT -qtAX -d postgres -c \"$1\"" 2>/dev/null; }

streaming() {
  [ "$(standby 'select pg_is_in_recovery()')" = "t" ] &&
    [ "$(standby "select count(*) from pg_stat_wal_receiver where status = 'streaming'")" = "1" ]
}

wait_streaming() {
  for _ in $(seq 1 "${1:-60}"); do
    streaming && return 0
    sleep 0.5
  done
  return 1
}

# The primary: a replication role, a bound on the WAL a slot keeps, and (in the `postgres`
# database, which no test database is copied from) the right for `platu` to pause and resume
# replay on the standby, with which the tests make it lag.
if [ "$(primary "select 1 from pg_roles where rolname = '$ROLE'")" != "1" ]; then
  primary "create role $ROLE with replication login password '$ROLE'"
fi
if [ "$(primary "select setting from pg_settings where name = 'max_slot_wal_keep_size'")" = "-1" ]; then
  primary "alter system set max_slot_wal_keep_size = '$MAX_SLOT_WAL'"
  primary "select pg_reload_conf()" >/dev/null
fi
primary "grant execute on function pg_wal_replay_pause(), pg_wal_replay_resume() to platu"

if pg_lsclusters --no-header | awk -v v="$VERSION" -v n="$NAME" '$1 == v && $2 == n {f = 1} END {exit !f}'; then
  if [[ "$(pg_lsclusters --no-header | awk -v v="$VERSION" -v n="$NAME" '$1 == v && $2 == n {print $4}')" != online* ]]; then
    as_root pg_ctlcluster "$VERSION" "$NAME" start || true
  fi
  if wait_streaming 30; then
    standby "select pg_wal_replay_resume()" >/dev/null  # a test that stopped half-way left it paused
    echo "PostgreSQL standby $VERSION/$NAME streams from port $PRIMARY_PORT (port $PORT)."
    exit 0
  fi
  echo "The standby $VERSION/$NAME does not stream; making it again." >&2
  as_root pg_dropcluster --stop "$VERSION" "$NAME"
fi

# A slot left by an earlier standby would keep WAL for nobody.
if [ "$(primary "select 1 from pg_replication_slots where slot_name = '$SLOT'")" = "1" ]; then
  primary "select pg_drop_replication_slot('$SLOT')" >/dev/null
fi
as_root pg_createcluster "$VERSION" "$NAME" -p "$PORT" >/dev/null
datadir=$(pg_lsclusters --no-header | awk -v v="$VERSION" -v n="$NAME" '$1 == v && $2 == n {print $6}')
as_postgres "find '$datadir' -mindepth 1 -delete"
# -R writes standby.signal and primary_conninfo (with the slot); -C creates the slot.
as_postgres "PGPASSWORD=$ROLE pg_basebackup -h 127.0.0.1 -p $PRIMARY_PORT -U $ROLE -D '$datadir' -R -X stream -C -S $SLOT --checkpoint=fast"
as_root pg_ctlcluster "$VERSION" "$NAME" start
if ! wait_streaming 120; then
  echo "The standby $VERSION/$NAME did not start streaming; see /var/log/postgresql/postgresql-$VERSION-$NAME.log" >&2
  exit 1
fi
echo "PostgreSQL standby $VERSION/$NAME streams from port $PRIMARY_PORT (port $PORT)."
