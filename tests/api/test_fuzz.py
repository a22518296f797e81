"""Schemathesis over the whole OpenAPI document, through the WSGI application, with a token that
reads and writes: no call answers 5xx and every status it answers is documented. Each operation
gets a bounded number of generated requests (FUZZ_EXAMPLES, derandomised) so `make test` stays short."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from platu.accounts import tokens
from platu.api import api
from platu.knowledge import actions
from platu.orgs.models import Team, TeamMember

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()


@pytest.fixture
def _keep_connection() -> Any:
    """Schemathesis calls the WSGI application itself, not through Django's test client: keep
    Django from closing the test's database connection (inside its transaction) per request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_key(world: Any, _keep_connection: Any) -> str:
    """The member of org A with a write token, an item to find and a brain bank to submit to."""
    bank = Team.objects.create(organisation=world.a, kind="brain_bank", name="คลังสมอง")
    TeamMember.objects.create(team=bank, person=world.owner, role="chair")
    actions.create_item(world.a, acting_user=world.member.user, title="บันทึกสำหรับทดสอบ", body="<p>ก</p>")
    _token, key = tokens.issue(
        world.member.user, "fuzz", scopes=("read", "write"), days=1, acting_user=world.member.user
    )
    cache.clear()
    return key


def test_the_document_covers_every_module() -> None:
    paths = set(api.get_openapi_schema()["paths"])
    for prefix in ("/api/v1/search", "/api/v1/orgs/", "/api/v1/people/", "/api/v1/knowledge/items", "/api/v1/plans/",
                   "/api/v1/communities/", "/api/v1/sessions/", "/api/v1/rounds/", "/api/v1/dashboards/",
                   "/api/v1/surveys/"):  # fmt: skip
        assert any(p.startswith(prefix) for p in paths), prefix
    for operations in api.get_openapi_schema()["paths"].values():
        for operation in operations.values():
            assert {"400", "401", "403", "404", "409", "422", "429"} <= {
                str(s) for s in operation["responses"]
            }


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_fuzz(case: Any, api_key: str) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {api_key}"},
        checks=[not_a_server_error, status_code_conformance],
    )
