"""Reads from a real streaming replica: scripts/pg-replica-up.sh makes a hot standby of the test
cluster on port 5433 (`make test-pg`), so the test database pytest creates on the primary is there
too. The tests commit (transactional_db): a test's open transaction never reaches a standby.

They run in the PostgreSQL run of the suite and fail, not skip, when the standby is missing.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

import psycopg
import pytest
from django.db import connections
from django.db.utils import load_backend
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from platu.dbrouting import router
from platu.dbrouting.middleware import COOKIE
from platu.orgs.models import Team

pytestmark = pytest.mark.django_db(transaction=True)  # collected in the PostgreSQL run only (conftest)

REPLICA_PORT = int(os.environ.get("PLATU_TEST_REPLICA_PORT", "5433"))


def add_database(alias: str, port: int) -> None:
    """A connection to the test database on another server, as DATABASE_REPLICA_URLS would make
    (made here, not in settings.DATABASES, so the test database is neither made nor flushed there)."""
    primary = connections["default"].settings_dict
    wrapper = load_backend(primary["ENGINE"]).DatabaseWrapper(
        {**primary, "PORT": port, "OPTIONS": {"connect_timeout": 2}}, alias
    )
    setattr(connections._connections, alias, wrapper)


def remove_database(alias: str) -> None:
    connections[alias].close()
    delattr(connections._connections, alias)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Standby:
    """The standby on REPLICA_PORT, asked and paused over its own connection (not Django's)."""

    def __init__(self) -> None:
        primary = connections["default"].settings_dict
        self.conn = psycopg.connect(
            host="127.0.0.1",
            port=REPLICA_PORT,
            dbname="postgres",
            user=primary["USER"],
            password=primary["PASSWORD"],
            autocommit=True,
            connect_timeout=5,
        )

    def value(self, sql: str) -> Any:
        row = self.conn.execute(sql).fetchone()
        assert row is not None
        return row[0]

    def catch_up(self) -> None:
        """Wait until the standby has replayed everything committed on the primary so far."""
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            target = router.parse_lsn(cursor.fetchone()[0])
        deadline = time.monotonic() + 60
        while router.parse_lsn(self.value("SELECT pg_last_wal_replay_lsn()::text")) < target:
            assert time.monotonic() < deadline, "the standby did not catch up within 60 s"
            time.sleep(0.05)
        router.forget_health()

    @contextmanager
    def paused(self) -> Iterator[None]:
        """The standby receives the primary's WAL but replays none of it: it falls behind."""
        self.value("SELECT pg_wal_replay_pause()::text")
        try:
            while self.value("SELECT pg_get_wal_replay_pause_state()") != "paused":
                time.sleep(0.02)
            router.forget_health()
            yield
        finally:
            self.value("SELECT pg_wal_replay_resume()::text")
            router.forget_health()


@pytest.fixture
def standby(settings: Any, world: SimpleNamespace) -> Iterator[Standby]:
    settings.DATABASE_ROUTERS = ["platu.dbrouting.router.ReplicaRouter"]
    if "platu.dbrouting.middleware.replica_reads" not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [
            settings.MIDDLEWARE[0],
            "platu.dbrouting.middleware.replica_reads",
            *settings.MIDDLEWARE[1:],
        ]
    settings.DATABASE_REPLICAS = ["test_standby"]
    settings.PLATU_REPLICA_CHECK_SECONDS = 0  # ask the standby at every request: the tests change it
    settings.PLATU_REPLICA_MAX_LAG = 30
    add_database("test_standby", REPLICA_PORT)
    server = Standby()
    try:
        assert server.value("SELECT pg_is_in_recovery()") is True, f"port {REPLICA_PORT} is not a standby"
        yield server
    finally:
        server.value("SELECT pg_wal_replay_resume()::text")
        server.conn.close()
        remove_database("test_standby")
        router.forget_health()


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def team_page(client: Client, world: SimpleNamespace) -> tuple[str, list[str], list[str]]:
    """The team's page as the client sees it, and the SQL run on the replica and on the primary."""
    with (
        CaptureQueriesContext(connections["test_standby"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        response = client.get(reverse("team_detail", args=[world.a.code, world.team.pk]))
    assert response.status_code == 200
    return (
        response.content.decode(),
        [q["sql"] for q in on_replica.captured_queries],
        [q["sql"] for q in on_primary.captured_queries],
    )


def reads_team(queries: list[str]) -> bool:
    return any('FROM "orgs_team"' in sql for sql in queries)


def test_it_serves_a_read_from_the_replica(standby: Standby, world: SimpleNamespace) -> None:
    member = logged_in(world.member.user)
    standby.catch_up()
    html, on_replica, on_primary = team_page(member, world)
    assert world.team.name in html
    assert reads_team(on_replica) and not reads_team(on_primary)

    # What only a replica can show: a rename it has not replayed yet.
    with standby.paused():
        Team.objects.filter(pk=world.team.pk).update(name="ทีมเปลี่ยนชื่อแล้ว")
        html, _, _ = team_page(member, world)
        assert world.team.name in html and "ทีมเปลี่ยนชื่อแล้ว" not in html
    standby.catch_up()
    html, on_replica, _ = team_page(member, world)
    assert "ทีมเปลี่ยนชื่อแล้ว" in html and reads_team(on_replica)


def test_who_saved_reads_the_primary_until_the_replica_has_it(
    standby: Standby, world: SimpleNamespace
) -> None:
    owner, member = logged_in(world.owner.user), logged_in(world.member.user)
    standby.catch_up()
    with standby.paused():
        response = owner.post(
            reverse("team_edit", args=[world.a.code, world.team.pk]),
            {"version": world.team.version, "kind": world.team.kind, "name": "ทีมชื่อใหม่ของฉัน"},
        )
        assert response.status_code == 302
        assert COOKIE in response.cookies

        html, on_replica, on_primary = team_page(owner, world)  # right after saving: the primary
        assert "ทีมชื่อใหม่ของฉัน" in html
        assert reads_team(on_primary) and not reads_team(on_replica)

        html, on_replica, _ = team_page(member, world)  # someone else: the replica, a moment behind
        assert "ทีมชื่อใหม่ของฉัน" not in html and reads_team(on_replica)

    standby.catch_up()  # once the replica has replayed the owner's write, it serves the owner again
    html, on_replica, on_primary = team_page(owner, world)
    assert "ทีมชื่อใหม่ของฉัน" in html
    assert reads_team(on_replica) and not reads_team(on_primary)


def test_a_replica_that_is_down_is_skipped(
    standby: Standby, settings: Any, world: SimpleNamespace, caplog: Any
) -> None:
    add_database("test_down", closed_port())
    try:
        settings.DATABASE_REPLICAS = ["test_down"]
        member = logged_in(world.member.user)
        standby.catch_up()
        html, _, on_primary = team_page(member, world)
        assert world.team.name in html and reads_team(on_primary)
        down = router.health("test_down")
        assert down.down and not down.usable
        team_page(member, world)
        assert router.health("test_down").checked == down.checked  # not asked again while it backs off
        said = [r.getMessage() for r in caplog.records if r.name == "platu.dbrouting.router"]
        assert len(said) == 1 and said[0].startswith("Replica test_down is unreachable")

        settings.DATABASE_REPLICAS = ["test_down", "test_standby"]  # the healthy one serves
        for _ in range(2):  # whichever the round robin starts with
            html, on_replica, on_primary = team_page(member, world)
            assert reads_team(on_replica) and not reads_team(on_primary)
    finally:
        remove_database("test_down")


def test_a_replica_that_lags_is_skipped(standby: Standby, settings: Any, world: SimpleNamespace) -> None:
    settings.PLATU_REPLICA_MAX_LAG = 1
    member = logged_in(world.member.user)
    standby.catch_up()
    with standby.paused():
        Team.objects.filter(pk=world.team.pk).update(name="ทีมเปลี่ยนชื่อแล้ว")
        deadline = time.monotonic() + 30
        while router.health("test_standby").usable:
            assert time.monotonic() < deadline, "the paused standby never counted as lagging"
            time.sleep(0.2)
        html, on_replica, on_primary = team_page(member, world)
        assert "ทีมเปลี่ยนชื่อแล้ว" in html
        assert reads_team(on_primary) and not reads_team(on_replica)
        assert router.health("test_standby").lag > 1


def test_a_cookie_the_client_made_up_keeps_nobody_on_the_primary(
    standby: Standby, world: SimpleNamespace
) -> None:
    member = logged_in(world.member.user)
    member.cookies[COOKIE] = str(2**63)  # unsigned: ignored
    standby.catch_up()
    _, on_replica, on_primary = team_page(member, world)
    assert reads_team(on_replica) and not reads_team(on_primary)
    response = member.get(reverse("team_detail", args=[world.a.code, world.team.pk]))
    assert COOKIE not in response.cookies  # reading is not writing
