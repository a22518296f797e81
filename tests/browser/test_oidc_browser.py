"""Government sign-in in Chromium at phone width: the sign-in page's button, the provider's own
login form (tests/oidc_provider), and back in Platu signed in, with no Content-Security-Policy
violation on the way."""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import requests
from allauth.socialaccount.models import SocialAccount

from platu.orgs import actions as org_actions
from tests.conftest import PASSWORD
from tests.oidc_provider import harness

pytestmark = pytest.mark.browser

COLLECT = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
});
"""


@pytest.fixture(scope="session")
def oidc_provider(live_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[harness.Provider]:
    provider = harness.start(tmp_path_factory.mktemp("oidc"), live_server.url)
    yield provider
    harness.stop(provider)


def test_sign_in_with_dga_digital_id_in_the_browser(
    browser: Any,
    oidc_provider: harness.Provider,
    world: SimpleNamespace,
    settings: Any,
) -> None:
    settings.SOCIALACCOUNT_PROVIDERS = oidc_provider.apps()
    csp = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)  # as settings.py adds each provider's origin
    csp["DIRECTIVES"]["form-action"] = [*csp["DIRECTIVES"]["form-action"], oidc_provider.base]
    settings.CONTENT_SECURITY_POLICY = csp
    membership = org_actions.invite_member(
        world.a, title="นาย", first_name="ใจดี", last_name="รักเรียน", email="invited@example.go.th",
        acting_user=world.owner.user,
    )  # fmt: skip
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    context.add_init_script(COLLECT)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(oidc_provider.platu + "/accounts/login/")
    button = page.get_by_role("button", name="DGA Digital ID")
    button.wait_for()
    violations = list(page.evaluate("window.__csp"))
    shots = os.environ.get("PLATU_SCREENSHOTS")
    if shots:
        page.screenshot(path=str(Path(shots) / "govsignin-login.png"), full_page=True)
    button.focus()
    page.keyboard.press("Enter")  # by keyboard
    page.wait_for_url(oidc_provider.base + "/login/**")
    page.fill("input[name=username]", "invited")
    page.fill("input[name=password]", harness.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(oidc_provider.platu + "/")
    violations += page.evaluate("window.__csp")
    assert SocialAccount.objects.get(provider="dga").user == membership.person.user
    assert "/accounts/logout/" in page.content()  # signed in: the menu offers to sign out
    if shots:
        context2 = browser.new_context(viewport={"width": 390, "height": 844})
        admin = context2.new_page()
        admin.goto(oidc_provider.platu + "/accounts/login/")
        admin.fill("input[name=login]", "owner")
        admin.fill("input[name=password]", PASSWORD)
        admin.click("form[action='/accounts/login/'] button[type=submit]")
        admin.wait_for_url(oidc_provider.platu + "/")
        admin.goto(oidc_provider.platu + "/account/orgs/org-a/sign-in/")
        admin.screenshot(path=str(Path(shots) / "govsignin-policy.png"), full_page=True)
        harness.sign_in(requests.Session(), oidc_provider, "dga", "unverified")
        admin.goto(oidc_provider.platu + "/account/orgs/org-a/sign-in/requests/")
        admin.screenshot(path=str(Path(shots) / "govsignin-requests.png"), full_page=True)
        admin.click(".list-group-item")
        admin.screenshot(path=str(Path(shots) / "govsignin-request.png"), full_page=True)
        context2.close()
    context.close()
    assert violations == [], violations
