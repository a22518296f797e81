from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from tests.line import standin

TOKEN = "stand-in-long-lived-channel-access-token/abc+def="
SECRET = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def line_api(settings: Any) -> Iterator[standin.StandIn]:
    """LINE's API, replaced by the local stand-in for the test."""
    state, server = standin.start(TOKEN)
    settings.PLATU_LINE_API_URL = state.url
    settings.PLATU_BASE_URL = "https://platu.example.go.th"
    yield state
    server.shutdown()
    server.server_close()
    assert state.errors == [], state.errors


@pytest.fixture
def channel(world: SimpleNamespace, line_api: standin.StandIn) -> Any:
    from platu.line import actions

    return actions.save_channel(world.a, acting_user=world.owner.user, secret=SECRET, token=TOKEN)
