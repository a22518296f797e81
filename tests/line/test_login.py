"""Linking a LINE account by LINE Login (with bot_prompt), against the local stand-in speaking LINE
Login's documented endpoints (tests/line/standin.py): the administrator saves the Login channel
(encrypted), the person signs in to LINE and comes back linked; a state that this session did
not start is refused with a message and links nothing."""

from __future__ import annotations

import http.client
import json
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from platu.audit.models import AuditEntry
from platu.line import actions
from platu.line.models import Channel, Link
from tests.line.standin import StandIn
from tests.line.test_line import client_for

LOGIN_ID = "1657000001"
LOGIN_SECRET = "fedcba9876543210fedcba9876543210"
CALLBACK = "https://platu.example.go.th/line/login/done/"


@pytest.fixture
def login_channel(world: SimpleNamespace, channel: Channel, line_api: StandIn, settings: Any) -> Channel:
    settings.PLATU_LINE_ACCESS_URL = line_api.url
    line_api.login_channels[LOGIN_ID] = LOGIN_SECRET
    return actions.save_login(
        world.a,
        acting_user=world.owner.user,
        channel_id=LOGIN_ID,
        secret=LOGIN_SECRET,
        bot_prompt="aggressive",
    )


def thai(message: str) -> str:
    with translation.override("th"):
        return gettext(message)


def sign_in_at_line(authorize_url: str) -> str:
    """The browser at LINE: the authorize address answers a redirect to our callback."""
    parts = urlsplit(authorize_url)
    connection_ = http.client.HTTPConnection(parts.netloc, timeout=10)
    connection_.request("GET", f"{parts.path}?{parts.query}")
    answer = connection_.getresponse()
    assert answer.status == 302, answer.read()
    location = answer.getheader("Location") or ""
    connection_.close()
    return location


def start(c: Client, code: str = "org-a") -> str:
    response = c.post(reverse("line:login_start", args=[code]))
    assert response.status_code == 302
    return str(response["Location"])


def test_the_admin_saves_the_login_channel_encrypted(world: SimpleNamespace, channel: Channel) -> None:
    c = client_for(world.owner.user)
    url = reverse("line:channel_login", args=[world.a.code])
    bad = c.post(url, {"login-channel_id": "abc", "login-secret": LOGIN_SECRET, "login-bot_prompt": "normal"})
    assert bad.status_code == 400 and LOGIN_SECRET not in bad.content.decode()
    assert not Channel.objects.get(pk=channel.pk).has_login
    saved = c.post(
        url, {"login-channel_id": LOGIN_ID, "login-secret": LOGIN_SECRET, "login-bot_prompt": "normal"}
    )
    assert saved.status_code == 302
    row = Channel.objects.get(pk=channel.pk)
    assert row.has_login and row.login_channel_id == LOGIN_ID and row.login_bot_prompt == "normal"
    with connection.cursor() as cursor:
        cursor.execute("SELECT login_secret_encrypted FROM line_channel")
        assert LOGIN_SECRET not in cursor.fetchone()[0]
    page = c.get(reverse("line:channel", args=[world.a.code])).content.decode()
    assert LOGIN_ID in page and LOGIN_SECRET not in page and CALLBACK in page
    entry = AuditEntry.objects.get(action="line.login_saved")
    assert entry.organisation == world.a and LOGIN_SECRET not in json.dumps(entry.data)
    # Not an administrator: 404, nothing changed.
    assert client_for(world.member.user).post(url, {"login-channel_id": "1"}).status_code == 404


def test_linking_by_line_login(world: SimpleNamespace, login_channel: Channel, line_api: StandIn) -> None:
    c = client_for(world.member.user)
    page = c.get(reverse("line:preferences")).content.decode()
    assert reverse("line:login_start", args=["org-a"]) in page
    assert thai("Link with LINE Login") in page

    authorize = start(c)
    parts = urlsplit(authorize)
    assert authorize.startswith(line_api.url + "/oauth2/v2.1/authorize?")
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert query["response_type"] == "code" and query["client_id"] == LOGIN_ID
    assert query["redirect_uri"] == CALLBACK and query["bot_prompt"] == "aggressive"
    assert set(query["scope"].split()) == {"profile", "openid"} and query["nonce"] and query["state"]

    back = sign_in_at_line(authorize)
    assert back.startswith(CALLBACK)
    answer = c.get(urlsplit(back).path + "?" + urlsplit(back).query, follow=True)
    assert answer.status_code == 200
    link = Link.objects.get(user=world.member.user)
    assert link.line_user_id == line_api.login_user and link.channel == login_channel
    page = answer.content.decode()
    assert world.a.name in page and reverse("line:unlink") in page  # the page shows the linked state
    assert thai("Your LINE account is linked. Platu notifications can now come to you in LINE.") in page
    token_call = next(call for call in line_api.calls if call.path == "/oauth2/v2.1/token")
    sent = parse_qs(token_call.body)
    assert sent["client_secret"] == [LOGIN_SECRET] and sent["redirect_uri"] == [CALLBACK]
    assert any(call.path == "/oauth2/v2.1/verify" for call in line_api.calls)
    entry = AuditEntry.objects.get(action="line.linked")
    assert entry.actor == world.member.user and entry.data == {"via": "line_login"}

    # The same answer again (the state is used once): refused, the link stays as it was.
    again = c.get(urlsplit(back).path + "?" + urlsplit(back).query, follow=True)
    assert thai("This LINE sign-in was not started from your Platu session, or it is too old. "
                "Nothing was linked; start again from this page.") in again.content.decode()  # fmt: skip
    assert Link.objects.count() == 1 and AuditEntry.objects.filter(action="line.linked").count() == 1


def test_a_bad_state_is_refused_in_thai(
    world: SimpleNamespace, login_channel: Channel, line_api: StandIn
) -> None:
    refusal = thai(
        "This LINE sign-in was not started from your Platu session, or it is too old. "
        "Nothing was linked; start again from this page."
    )
    c = client_for(world.member.user)
    back = sign_in_at_line(start(c))
    query = {k: v[0] for k, v in parse_qs(urlsplit(back).query).items()}
    callback = reverse("line:login_callback")
    # A state changed on the way, then the right one from another session of the same person.
    forged = c.get(callback, {"code": query["code"], "state": query["state"][:-2] + "xx"}, follow=True)
    assert refusal in forged.content.decode()
    other = client_for(world.member.user)
    assert refusal in other.get(callback, query, follow=True).content.decode()
    # Another person's session cannot complete it either.
    intruder = client_for(world.owner.user)
    assert refusal in intruder.get(callback, query, follow=True).content.decode()
    assert not Link.objects.exists() and not AuditEntry.objects.filter(action="line.linked").exists()
    # The person cancelled at LINE.
    back = sign_in_at_line(start(c))
    state = parse_qs(urlsplit(back).query)["state"][0]
    cancelled = c.get(callback, {"error": "access_denied", "state": state}, follow=True)
    assert (
        thai("You did not allow Platu to link your LINE account. Nothing was linked.")
        in cancelled.content.decode()
    )
    assert not Link.objects.exists()
    line_api.codes.clear()


def test_a_secret_line_refuses_links_nothing(
    world: SimpleNamespace, login_channel: Channel, line_api: StandIn
) -> None:
    line_api.login_channels[LOGIN_ID] = "another-secret-entirely-00000000"
    c = client_for(world.member.user)
    back = sign_in_at_line(start(c))
    answer = c.get(urlsplit(back).path + "?" + urlsplit(back).query, follow=True)
    assert thai("LINE did not confirm who signed in. Try linking again.") in answer.content.decode()
    assert not Link.objects.exists()
    assert line_api.errors == ["POST /oauth2/v2.1/token: Invalid client_secret."]
    line_api.errors.clear()


def test_no_login_channel_no_button(world: SimpleNamespace, channel: Channel) -> None:
    c = client_for(world.member.user)
    assert (
        reverse("line:login_start", args=["org-a"]) not in c.get(reverse("line:preferences")).content.decode()
    )
    assert c.post(reverse("line:login_start", args=["org-a"])).status_code == 404
    assert (
        client_for(world.outsider.user).post(reverse("line:login_start", args=["org-a"])).status_code == 404
    )
