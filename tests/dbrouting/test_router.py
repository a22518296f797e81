"""Where the router sends a query, on any database: the primary unless a web request's read may go
to a replica (these need no replica; test_replicas.py reads from a real one)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import transaction
from django.test import Client
from django.urls import reverse

from platu.dbrouting import router
from platu.dbrouting.router import PRIMARY, ReplicaRouter, RequestReads
from platu.orgs.models import Team


@pytest.fixture
def routed(settings: Any) -> Any:
    """A replica that is never asked: every decision here is made before a replica is."""
    settings.DATABASE_REPLICAS = ["replica1"]
    settings.DATABASE_ROUTERS = ["platu.dbrouting.router.ReplicaRouter"]
    if "platu.dbrouting.middleware.replica_reads" not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [
            settings.MIDDLEWARE[0],
            "platu.dbrouting.middleware.replica_reads",
            *settings.MIDDLEWARE[1:],
        ]
    router.forget_health()
    yield ReplicaRouter()
    router.forget_health()


def reading(state: RequestReads, model: type[Any], routed: ReplicaRouter) -> str:
    token = router.begin(state)
    try:
        return routed.db_for_read(model)
    finally:
        router.end(token)


def test_it_reads_from_the_primary_outside_a_web_request(routed: ReplicaRouter) -> None:
    # The background worker and management commands: no request, so no replica.
    assert routed.db_for_read(Team) == PRIMARY
    assert routed.db_for_write(Team) == PRIMARY


def test_it_reads_from_the_primary_in_a_request_that_may_change_something(routed: ReplicaRouter) -> None:
    assert reading(RequestReads(replicas=False), Team, routed) == PRIMARY


def test_it_reads_from_the_primary_after_the_request_wrote(routed: ReplicaRouter) -> None:
    state = RequestReads(replicas=True)
    token = router.begin(state)
    try:
        assert routed.db_for_write(Team) == PRIMARY
        assert state.wrote
        assert routed.db_for_read(Team) == PRIMARY
    finally:
        router.end(token)


def test_sessions_the_cache_and_the_task_queue_stay_on_the_primary(routed: ReplicaRouter) -> None:
    from platu.accounts.models import ApiToken, User

    state = RequestReads(replicas=True, chosen="replica1")  # the request already reads from a replica
    assert reading(state, Session, routed) == PRIMARY
    # who may do what: a revoked token or a deactivated account stops working at once
    assert reading(state, ApiToken, routed) == PRIMARY and reading(state, User, routed) == PRIMARY
    assert reading(state, Team, routed) == "replica1"
    token = router.begin(state)
    try:
        routed.db_for_write(Session)  # a session saved is not the client's write
        assert not state.wrote
    finally:
        router.end(token)


@pytest.mark.django_db
def test_it_reads_from_the_primary_inside_a_transaction(routed: ReplicaRouter) -> None:
    with transaction.atomic():
        assert reading(RequestReads(replicas=True, chosen="replica1"), Team, routed) == PRIMARY


def test_only_the_primary_is_migrated_and_objects_relate_across_databases(routed: ReplicaRouter) -> None:
    assert routed.allow_migrate(PRIMARY, "orgs")
    assert not routed.allow_migrate("replica1", "orgs")
    assert routed.allow_relation(object(), object())


def test_wal_positions_compare_as_numbers() -> None:
    assert router.parse_lsn("0/FF") < router.parse_lsn("1/0") < router.parse_lsn("1A/3000060")
    assert router.parse_lsn(None) == 0


@pytest.mark.django_db
def test_a_page_is_served_with_the_router_and_its_middleware(
    routed: ReplicaRouter, client: Client, world: SimpleNamespace
) -> None:
    # In the test's transaction every read stays on the primary: the page works, no replica asked.
    client.force_login(world.member.user)
    response = client.get(reverse("team_detail", args=[world.a.code, world.team.pk]))
    assert response.status_code == 200
    assert world.team.name in response.content.decode()
    assert router._health == {}
