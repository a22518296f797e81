"""Government sign-in against a real OpenID Connect provider run by the tests
(tests/oidc_provider: django-oauth-toolkit, PKCE required, RS256 ID tokens), Platu served by
live_server and driven with requests as a browser would."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
import requests
from allauth.socialaccount.models import SocialAccount

from platu.audit.models import AuditEntry
from platu.orgs import actions as org_actions
from tests.oidc_provider import harness


@pytest.fixture(scope="session")
def oidc_provider(live_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[harness.Provider]:
    provider = harness.start(tmp_path_factory.mktemp("oidc"), live_server.url)
    yield provider
    harness.stop(provider)


@pytest.fixture
def govid(settings: Any, oidc_provider: harness.Provider, world: SimpleNamespace) -> harness.Provider:
    settings.SOCIALACCOUNT_PROVIDERS = oidc_provider.apps()
    return oidc_provider


def signed_in_as(session: requests.Session, provider: harness.Provider) -> str:
    """The username the home page greets, or "" when not signed in."""
    page = session.get(provider.platu + "/accounts/email/")
    return "" if "/accounts/login/" in page.url else page.text


def test_it_links_an_invited_account_by_verified_email(
    govid: harness.Provider, world: SimpleNamespace
) -> None:
    membership = org_actions.invite_member(
        world.a, title="นาย", first_name="ใจดี", last_name="รักเรียน", email="invited@example.go.th",
        acting_user=world.owner.user,
    )  # fmt: skip
    user = membership.person.user
    session = requests.Session()
    walk = harness.sign_in(session, govid, "dga", "invited")
    assert walk.page.status_code == 200
    assert walk.page.url == govid.platu + "/", walk.page.url
    account = SocialAccount.objects.get(provider="dga")
    assert account.user == user
    assert AuditEntry.objects.filter(action="signin.linked", actor=user).exists()
    assert signed_in_as(session, govid)
