"""Which database a query goes to: a healthy replica for the reads of a web request, else the primary.

A read goes to a replica only inside a request that middleware.py let read from one: a GET, HEAD
or OPTIONS of a client that has not written lately. Everything else reads from the primary
("default"): writes and whatever follows a write in the same request, reads inside a transaction
on the primary, sessions, the cache and the task queue, the background worker and management
commands (no request, so no permission). A client that wrote carries the primary's WAL position
after its write (a signed cookie); only a replica that has replayed that far serves it, so people
see what they have just saved (read-your-writes).

A replica's health (is it a standby, how far behind, where its replay is) is asked at most every
PLATU_REPLICA_CHECK_SECONDS per process; one that is unreachable is left alone for
PLATU_REPLICA_RETRY_SECONDS, one more than PLATU_REPLICA_MAX_LAG seconds behind is skipped.
"""

from __future__ import annotations

import contextlib
import contextvars
import itertools
import logging
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

PRIMARY = "default"
# Read right after they are written, by every request, or deciding who may do what (a revoked
# token, a deactivated or erased account, a changed password must stop working at once, not
# after the standby's lag): always from the primary. They are primary-key lookups.
PRIMARY_ONLY_APPS = frozenset({
    "sessions", "django_cache", "django_tasks_database",
    "accounts", "auth", "account", "socialaccount", "mfa",
})  # fmt: skip

# Lag is 0 when the standby has replayed all it received and still receives; otherwise the age of
# the last transaction it replayed (which overstates the lag of a standby of an idle primary, so
# such a standby is skipped until the next commit reaches it: safe).
HEALTH_SQL = """
SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text,
       CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
                 AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver) THEN 0
            ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 END
"""


@dataclass
class RequestReads:
    """What the current request may read from: set by the middleware, changed by the router."""

    replicas: bool  # a safe method: may read from a replica
    after_lsn: int | None = None  # the client's last write: a replica must have replayed this far
    wrote: bool = False  # this request wrote: its reads, and the client's next ones, on the primary
    chosen: str | None = None  # one database for all the request's reads


@dataclass
class Health:
    checked: float  # time.monotonic()
    usable: bool
    down: bool = False
    replay_lsn: int = 0
    lag: float | None = None
    trouble: str = ""  # why it is not used, logged once when it starts


_request: contextvars.ContextVar[RequestReads | None] = contextvars.ContextVar("platu_reads", default=None)
_health: dict[str, Health] = {}
_turn = itertools.count()


def begin(state: RequestReads) -> contextvars.Token[RequestReads | None]:
    return _request.set(state)


def end(token: contextvars.Token[RequestReads | None]) -> None:
    _request.reset(token)


def replicas() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", []))


def parse_lsn(text: str | None) -> int:
    """A WAL position ('16/B374D848') as a number; 0 for none."""
    if not text:
        return 0
    high, _, low = text.partition("/")
    return (int(high, 16) << 32) + int(low, 16)


def forget_health() -> None:
    """Ask every replica again at its next read (tests, and after changing the replicas)."""
    _health.clear()


def health(alias: str) -> Health:
    """The replica's cached health, asked again once it is older than the check interval."""
    now = time.monotonic()
    known = _health.get(alias)
    if known is not None:
        wait = settings.PLATU_REPLICA_RETRY_SECONDS if known.down else settings.PLATU_REPLICA_CHECK_SECONDS
        if now - known.checked < wait:
            return known
    _health[alias] = found = _check(alias, now)
    if found.trouble and (known is None or known.trouble != found.trouble):
        logger.warning("Replica %s %s; reading from the primary", alias, found.trouble)
    elif known is not None and known.trouble and not found.trouble:
        logger.warning("Replica %s is back", alias)
    return found


def _check(alias: str, now: float) -> Health:
    connection = connections[alias]
    if connection.vendor != "postgresql" or _server(alias) == _server(PRIMARY):
        return Health(now, usable=False)  # not a standby: SQLite, or the primary (a test mirror)
    try:
        with connection.cursor() as cursor:
            cursor.execute(HEALTH_SQL)
            recovering, lsn, lag = cursor.fetchone()
    except DatabaseError as error:
        with contextlib.suppress(DatabaseError):
            connection.close()
        trouble = f"is unreachable (asked again in {settings.PLATU_REPLICA_RETRY_SECONDS} s): {error}"
        return Health(now, usable=False, down=True, trouble=trouble)
    if not recovering:
        return Health(now, usable=False, trouble="is not a standby (promoted?)")
    if lag is None or lag > settings.PLATU_REPLICA_MAX_LAG:
        trouble = f"is more than {settings.PLATU_REPLICA_MAX_LAG} s behind"
        return Health(now, usable=False, replay_lsn=parse_lsn(lsn), lag=lag, trouble=trouble)
    return Health(now, usable=True, replay_lsn=parse_lsn(lsn), lag=lag)


def _server(alias: str) -> tuple[str, str, str]:
    config = connections[alias].settings_dict
    return (str(config["HOST"]), str(config["PORT"]), str(config["NAME"]))


def _choose(state: RequestReads) -> str:
    aliases = replicas()
    if aliases:
        start = next(_turn) % len(aliases)
        for alias in aliases[start:] + aliases[:start]:
            found = health(alias)
            if found.usable and (state.after_lsn is None or found.replay_lsn >= state.after_lsn):
                return alias
    return PRIMARY


def primary_lsn() -> int | None:
    """Where the primary's WAL is now: past every transaction committed so far. If the primary
    cannot say, a position no replica reaches: the client reads from the primary until it expires."""
    connection = connections[PRIMARY]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            return parse_lsn(cursor.fetchone()[0])
    except DatabaseError:
        logger.warning("Could not read the primary's WAL position after a write", exc_info=True)
        return 2**64 - 1


class ReplicaRouter:
    """DATABASE_ROUTERS entry; settings.py installs it when DATABASE_REPLICA_URLS is set."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str:
        state = _request.get()
        if state is None or not state.replicas or state.wrote:
            return PRIMARY
        if model._meta.app_label in PRIMARY_ONLY_APPS or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        if state.chosen is None:
            state.chosen = _choose(state)
        return state.chosen

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        state = _request.get()
        if state is not None and model._meta.app_label not in PRIMARY_ONLY_APPS:
            state.wrote = True
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # every database holds the same rows

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == PRIMARY  # the standbys copy the primary's schema
