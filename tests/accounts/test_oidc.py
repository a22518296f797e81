"""Government sign-in against a real OpenID Connect provider run by the tests
(tests/oidc_provider: django-oauth-toolkit, PKCE required, RS256 ID tokens), Platu served by
live_server and driven with requests as a browser would."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from io import StringIO
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from platu.accounts import oidc
from platu.accounts.models import LinkRequest, SignInPolicy, User
from platu.audit.models import AuditEntry
from platu.notify.models import Notification
from platu.orgs import actions as org_actions
from tests.conftest import PASSWORD
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


def signed_in(session: requests.Session, provider: harness.Provider) -> bool:
    page = session.get(provider.platu + "/accounts/email/")
    return "/accounts/login/" not in page.url


def admin_client(person: Any) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def thai(message: str, **values: Any) -> str:
    with translation.override("th"):
        return gettext(message) % values if values else gettext(message)


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
    assert AuditEntry.objects.filter(action="signin.linked", actor=user, data__provider="dga").exists()
    assert signed_in(session, govid)
    # the authorization request carried PKCE (S256), a nonce and a state; the ID token the nonce
    authorize = next(r.url for r in walk.responses if "/o/authorize/" in r.url)
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["nonce"][0] and query["state"][0]
    assert account.extra_data["id_token"]["nonce"] == query["nonce"][0]
    # the next time, the same identity signs straight in
    again = requests.Session()
    harness.sign_in(again, govid, "dga", "invited")
    assert signed_in(again, govid) and SocialAccount.objects.count() == 1


def test_an_unverified_email_waits_for_an_administrator(
    govid: harness.Provider, world: SimpleNamespace
) -> None:
    session = requests.Session()
    walk = harness.sign_in(session, govid, "dga", "unverified")
    assert walk.page.url == govid.platu + "/account/sign-in/waiting/"
    row = LinkRequest.objects.get()
    assert row.reference in walk.text
    assert not signed_in(session, govid)
    assert not SocialAccount.objects.exists()
    assert (row.status, row.email, row.email_verified) == ("pending", "member@example.go.th", False)
    # An unverified e-mail is whatever was typed at the provider: it chooses neither the account
    # nor the organisation whose administrators are shown the request.
    assert row.organisation is None and row.suggested_user is None
    # the same person trying again is still one request
    harness.sign_in(requests.Session(), govid, "dga", "unverified")
    assert LinkRequest.objects.count() == 1

    # org A's administrator, told the reference by the person, opens it and ties it to the
    # member's account (not to the installation's staff: that is refused)
    admin = admin_client(world.owner)
    listing = admin.get(f"/account/orgs/{world.a.code}/sign-in/requests/")
    assert listing.status_code == 200 and row.reference not in listing.content.decode()
    url = f"/account/orgs/{world.a.code}/sign-in/requests/{row.reference}/"
    assert admin.get(url).status_code == 200
    User.objects.filter(pk=world.member.user.pk).update(is_staff=True)
    assert admin.post(url, {"user": world.member.user.pk, "confirm": "1"}).status_code in (200, 400)
    assert not SocialAccount.objects.exists()
    User.objects.filter(pk=world.member.user.pk).update(is_staff=False)
    answer = admin.post(url, {"user": world.member.user.pk, "confirm": "1"})
    assert answer.status_code == 302
    # the account's owner is told
    assert Notification.objects.filter(recipient=world.member.user, kind="account.signin_linked").exists()
    row.refresh_from_db()
    assert (row.status, row.user, row.decided_by) == ("confirmed", world.member.user, world.owner.user)
    assert SocialAccount.objects.get(provider="dga").user == world.member.user
    assert AuditEntry.objects.filter(action="signin.link_confirmed", actor=world.owner.user).exists()

    # and the next sign-in works
    again = requests.Session()
    walk = harness.sign_in(again, govid, "dga", "unverified")
    assert walk.page.url == govid.platu + "/" and signed_in(again, govid)


def test_a_matching_name_never_links(govid: harness.Provider, world: SimpleNamespace) -> None:
    """The provider's "สมชาย ใจดี" with a verified e-mail no account has is not the owner."""
    session = requests.Session()
    walk = harness.sign_in(session, govid, "dga", "stranger")
    assert walk.page.url.endswith("/account/sign-in/waiting/")
    assert not signed_in(session, govid) and not SocialAccount.objects.exists()
    row = LinkRequest.objects.get()
    assert row.suggested_user is None and row.organisation is None
    # not listed for org A; an administrator told the code may still look it up
    admin = admin_client(world.owner)
    listing = admin.get(f"/account/orgs/{world.a.code}/sign-in/requests/")
    assert row.reference not in listing.content.decode()
    found = admin.get(f"/account/orgs/{world.a.code}/sign-in/requests/", {"reference": row.reference.lower()})
    assert found.status_code == 302 and found["Location"].endswith(f"/{row.reference}/")
    missing = admin.get(f"/account/orgs/{world.a.code}/sign-in/requests/", {"reference": "NOSUCHCODE"})
    assert missing.status_code == 200 and 'value="NOSUCHCODE"' in missing.content.decode()


def test_the_administrator_may_only_choose_their_own_members(
    govid: harness.Provider, world: SimpleNamespace
) -> None:
    harness.sign_in(requests.Session(), govid, "dga", "stranger")
    row = LinkRequest.objects.get()
    outsider = admin_client(world.outsider)  # the CEO of org B
    url = f"/account/orgs/{world.b.code}/sign-in/requests/{row.reference}/"
    page = outsider.post(url, {"user": world.member.user.pk, "confirm": "1"})
    assert page.status_code == 200
    row.refresh_from_db()
    assert row.status == "pending" and not SocialAccount.objects.exists()
    # pages of an organisation they do not administer answer 404
    for path in ("/sign-in/", "/sign-in/requests/", f"/sign-in/requests/{row.reference}/"):
        assert outsider.get(f"/account/orgs/{world.a.code}{path}").status_code == 404
        assert admin_client(world.member).get(f"/account/orgs/{world.a.code}{path}").status_code == 404
    # refusing closes it
    assert outsider.post(url, {"reject": "1"}).status_code == 302
    row.refresh_from_db()
    assert row.status == "rejected"


def test_an_organisation_policy_refuses_a_provider(govid: harness.Provider, world: SimpleNamespace) -> None:
    admin = admin_client(world.owner)
    policy_url = f"/account/orgs/{world.a.code}/sign-in/"
    page = admin.get(policy_url)
    assert page.status_code == 200 and "DGA Digital ID" in page.content.decode()
    # nothing ticked: refused, what was chosen kept
    answer = admin.post(policy_url, {"mode": "own"})
    assert answer.status_code == 200
    assert thai("Allow at least one way of signing in.") in answer.content.decode()
    assert re.search(r'value="own"[^>]*checked', answer.content.decode())
    assert not SignInPolicy.objects.exists()
    answer = admin.post(policy_url, {"mode": "own", "methods": ["password", "thaid"]})
    assert answer.status_code == 302
    assert SignInPolicy.objects.get(organisation=world.a).method_list == ["password", "thaid"]
    assert AuditEntry.objects.filter(action="signin.policy", organisation=world.a).exists()

    session = requests.Session()
    walk = harness.sign_in(session, govid, "dga", "owner")  # verified owner@example.go.th
    assert walk.page.url == govid.platu + "/accounts/login/"
    message = thai(
        "Your organisation does not allow signing in with %(method)s. Sign in with: %(ways)s.",
        method="DGA Digital ID", ways=thai("Username and password") + ", ThaID",
    )  # fmt: skip
    assert message in walk.text
    assert not signed_in(session, govid) and not SocialAccount.objects.exists()
    # the password still works
    client = Client()
    assert client.post("/accounts/login/", {"login": "owner", "password": PASSWORD}).status_code == 302
    assert client.get("/accounts/email/").status_code == 200


def test_a_policy_without_the_password_refuses_it_and_is_inherited(
    world: SimpleNamespace, settings: Any
) -> None:
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {"APPS": [{"provider_id": "dga", "name": "DGA Digital ID", "client_id": "x",
                                     "secret": "y", "settings": {"server_url": "http://127.0.0.1:9"}}]}
    }  # fmt: skip
    admin = admin_client(world.supervisor)  # CKO of the parent office
    answer = admin.post(f"/account/orgs/{world.parent.code}/sign-in/", {"mode": "own", "methods": ["dga"]})
    assert answer.status_code == 302
    page = admin_client(world.owner).get(f"/account/orgs/{world.a.code}/sign-in/")
    assert world.parent.name_th in page.content.decode()  # org A follows its office
    client = Client()
    refused = client.post("/accounts/login/", {"login": "member", "password": PASSWORD}, follow=True)
    assert refused.request["PATH_INFO"] == "/accounts/login/"
    assert "DGA Digital ID" in refused.content.decode()
    assert client.get("/accounts/email/").status_code == 302  # not signed in
    # org B has no rule: its CEO signs in with the password
    assert Client().post("/accounts/login/", {"login": "outsider", "password": PASSWORD}).status_code == 302


def test_a_wrong_state_is_rejected(govid: harness.Provider, world: SimpleNamespace) -> None:
    session = requests.Session()
    walk = harness.start_sign_in(session, govid, "dga", "owner")
    callback = walk.page.headers["Location"]
    parts = urlsplit(callback)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    forged = parts._replace(query=urlencode({**query, "state": "forged-state"})).geturl()
    answer = session.get(forged)
    assert answer.url == forged and thai("Sign-in failed") in answer.text
    assert not signed_in(session, govid) and not SocialAccount.objects.exists()


def test_a_wrong_nonce_is_rejected(govid: harness.Provider, world: SimpleNamespace) -> None:
    session = requests.Session()
    walk = harness.start_sign_in(session, govid, "dga", "owner")
    key = next(c.value for c in session.cookies if c.name == "sessionid")
    stored = Session.objects.get(session_key=key)
    data = stored.get_decoded()
    for value in data["socialaccount_states"].values():
        value[0]["nonce"] = "not-the-nonce-sent"
    Session.objects.filter(session_key=key).update(session_data=Session.objects.encode(data))
    answer = session.get(walk.page.headers["Location"])
    assert answer.url == govid.platu + "/accounts/login/"
    assert thai("The sign-in could not be verified. Please try again.") in answer.text
    assert not signed_in(session, govid) and not SocialAccount.objects.exists()


def test_the_citizen_id_is_never_stored(govid: harness.Provider, world: SimpleNamespace) -> None:
    session = requests.Session()
    walk = harness.sign_in(session, govid, "thaid", "citizen")
    assert walk.page.url.endswith("/account/sign-in/waiting/")
    row = LinkRequest.objects.get()
    assert row.citizen_id_hmac == oidc.citizen_id_hmac(harness.CITIZEN_ID) != harness.CITIZEN_ID
    assert row.organisation is None  # no e-mail: only the reference code finds it
    admin = admin_client(world.owner)
    url = f"/account/orgs/{world.a.code}/sign-in/requests/{row.reference}/"
    assert admin.post(url, {"user": world.member.user.pk, "confirm": "1"}).status_code == 302
    again = requests.Session()
    harness.sign_in(again, govid, "thaid", "citizen")
    assert signed_in(again, govid)
    account = SocialAccount.objects.get(provider="thaid", user=world.member.user)
    for claims in (account.extra_data["userinfo"], account.extra_data["id_token"]):
        assert "pid" not in claims and claims[oidc.HMAC_CLAIM] == row.citizen_id_hmac
    # nowhere in the database in clear: every table, and every session's contents
    dump = StringIO()
    call_command("dumpdata", stdout=dump)
    assert harness.CITIZEN_ID not in dump.getvalue()
    for stored in Session.objects.all():
        assert harness.CITIZEN_ID not in json.dumps(stored.get_decoded(), default=str)


def test_the_login_page_offers_the_configured_providers(
    govid: harness.Provider, settings: Any, world: SimpleNamespace
) -> None:
    page = Client().get("/accounts/login/").content.decode()
    for name in ("DGA Digital ID", "ThaID"):
        assert thai("Sign in with %(name)s", name=name) in page
    # allauth's own pages around it: the confirmation of a sign-in started by a GET, and the
    # signed-in person's connected accounts
    confirm = Client().get("/accounts/oidc/dga/login/")
    assert confirm.status_code == 200 and 'method="post"' in confirm.content.decode()
    owner = Client()
    owner.post("/accounts/login/", {"login": "owner", "password": PASSWORD})
    assert owner.get("/accounts/3rdparty/").status_code == 200
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": []}}
    page = Client().get("/accounts/login/").content.decode()
    assert "/accounts/oidc/" not in page


def test_the_providers_come_from_the_environment() -> None:
    """settings.py makes an allauth app of each provider whose PLATU_OIDC_<ID>_URL is set, PKCE on,
    and lets the sign-in form go to its origin (Content-Security-Policy form-action)."""
    import subprocess
    import sys

    env = {
        "PATH": os.environ.get("PATH", ""), "SECRET_KEY": "x",
        "PLATU_OIDC_THAID_URL": "https://idp.example.go.th/oidc", "PLATU_OIDC_THAID_CLIENT_ID": "platu",
        "PLATU_OIDC_THAID_SECRET": "s3cret", "PLATU_OIDC_THAID_SCOPE": "openid pid given_name",
    }  # fmt: skip
    code = (
        "import json; from platu import settings as s; print(json.dumps([s.SOCIALACCOUNT_PROVIDERS,"
        " s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action']]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=harness.ROOT, capture_output=True, text=True, check=True
    ).stdout
    providers, form_action = json.loads(out)
    config = providers["openid_connect"]
    assert config["OAUTH_PKCE_ENABLED"] is True
    assert [(a["provider_id"], a["name"], a["client_id"], a["secret"]) for a in config["APPS"]] == [
        ("thaid", "ThaID", "platu", "s3cret")
    ]
    assert config["APPS"][0]["settings"] == {
        "server_url": "https://idp.example.go.th/oidc", "scope": ["openid", "pid", "given_name"]
    }  # fmt: skip
    assert form_action == ["'self'", "https://idp.example.go.th"]


def test_a_tied_identity_is_refused_once_the_policy_changes(
    govid: harness.Provider, world: SimpleNamespace
) -> None:
    session = requests.Session()
    harness.sign_in(session, govid, "dga", "owner")
    assert signed_in(session, govid) and SocialAccount.objects.get(provider="dga").user == world.owner.user
    admin = admin_client(world.owner)
    assert (
        admin.post(
            f"/account/orgs/{world.a.code}/sign-in/", {"mode": "own", "methods": ["password"]}
        ).status_code
        == 302
    )
    again = requests.Session()
    walk = harness.sign_in(again, govid, "dga", "owner")
    assert walk.page.url == govid.platu + "/accounts/login/"
    assert thai("Username and password") in walk.text and "DGA Digital ID" in walk.text
    assert not signed_in(again, govid)
    # following the parent office again (no rule there): allowed
    assert admin.post(f"/account/orgs/{world.a.code}/sign-in/", {"mode": "inherit"}).status_code == 302
    assert not SignInPolicy.objects.exists()
    third = requests.Session()
    harness.sign_in(third, govid, "dga", "owner")
    assert signed_in(third, govid)


def test_a_person_in_two_organisations_may_use_what_either_allows(
    world: SimpleNamespace, settings: Any
) -> None:
    from platu.accounts import actions
    from platu.orgs.models import Membership, MembershipRole

    actions.set_policy(world.a, methods=["password"], acting_user=world.owner.user)
    actions.set_policy(world.b, methods=["password"], acting_user=world.outsider.user)
    with pytest.raises(Exception, match=r"one way|อย่างน้อยหนึ่งวิธี"):
        actions.set_policy(world.b, methods=["nonsense"], acting_user=world.outsider.user)
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {"APPS": [{"provider_id": "dga", "name": "DGA Digital ID", "client_id": "x",
                                     "secret": "y", "settings": {"server_url": "http://127.0.0.1:9"}}]}
    }  # fmt: skip
    actions.set_policy(world.a, methods=["dga"], acting_user=world.owner.user)
    refused = Client().post("/accounts/login/", {"login": "member", "password": PASSWORD})
    assert refused.status_code == 302 and refused["Location"] == "/accounts/login/"
    membership = Membership.objects.create(person=world.member, organisation=world.b)
    MembershipRole.objects.create(membership=membership, role="member")
    allowed = Client().post("/accounts/login/", {"login": "member", "password": PASSWORD})
    assert allowed.status_code == 302 and allowed["Location"] == "/"
    # once DGA is no longer offered, org A's rule falls back to the password: no one is locked out
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": []}}
    membership.delete()
    assert Client().post("/accounts/login/", {"login": "member", "password": PASSWORD})["Location"] == "/"


def test_a_half_configured_provider_is_a_system_check_error(settings: Any) -> None:
    from django.core import checks

    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {"APPS": [{"provider_id": "dga", "client_id": "", "secret": "",
                                     "settings": {"server_url": "http://idp.example"}}]}
    }  # fmt: skip
    settings.PLATU_HTTPS = True
    ids = {m.id for m in checks.run_checks(tags=[checks.Tags.security])}
    assert {"platu.accounts.E001", "platu.accounts.E002"} <= ids
