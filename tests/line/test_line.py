"""LINE notifications against the local stand-in for LINE's Messaging API (tests/line/standin.py):
the channel, linking, delivery by preference, retry with backoff, the daily digest, the fallback to
e-mail, and the webhook's signature."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import io
import json
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from platu.audit.models import AuditEntry
from platu.line import actions
from platu.line.housekeeping import digest
from platu.line.models import Channel, Delivery, Link, LinkNonce, Preference
from platu.line.tasks import MAX_ATTEMPTS, push_line
from platu.notify.send import notify
from tests.conftest import PASSWORD
from tests.line.conftest import SECRET, TOKEN
from tests.line.standin import StandIn

LINE_USER = "U" + "a1" * 16
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def client_for(user: Any) -> Client:
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def post_webhook(channel: Channel, events: list[dict[str, Any]], secret: str = SECRET) -> Any:
    body = json.dumps({"destination": "U" + "0" * 32, "events": events}).encode()
    signature = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
    return Client().post(reverse("line:webhook", args=[channel.webhook_key]), body,
                         content_type="application/json", HTTP_X_LINE_SIGNATURE=signature)  # fmt: skip


def event(kind: str, user_id: str = LINE_USER, **extra: Any) -> dict[str, Any]:
    return {
        "type": kind,
        "mode": "active",
        "timestamp": 1,
        "webhookEventId": "e",
        "source": {"type": "user", "userId": user_id},
        **extra,
    }


def link(channel: Channel, user: Any, line_user: str = LINE_USER) -> Link:
    nonce = actions.start_link(channel, acting_user=user)
    row = actions.complete_link(channel, nonce=nonce, line_user_id=line_user)
    assert row is not None
    return row


def want_line(user: Any, kind: str = "knowledge", *, email: bool = False, daily: bool = False) -> None:
    ways = {kind: {"in_app": True, "email": email, "line": True}}
    actions.save_preferences(user, ways=ways, daily=daily)


# --- the channel -------------------------------------------------------------------------------


def test_admin_saves_the_channel_encrypted_and_never_shown_again(
    world: SimpleNamespace, line_api: StandIn
) -> None:
    c = client_for(world.owner.user)
    url = reverse("line:channel", args=[world.a.code])
    response = c.post(url, {"secret": SECRET, "token": TOKEN})
    assert response.status_code == 302
    channel = Channel.objects.get(organisation=world.a)
    assert channel.bot_basic_id == "@platu-test"  # LINE's /v2/bot/info accepted the token
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret_encrypted, token_encrypted FROM line_channel")
        stored = " ".join(cursor.fetchone())
    assert SECRET not in stored and TOKEN not in stored
    page = c.get(url).content.decode()
    assert SECRET not in page and TOKEN not in page
    assert channel.webhook_key in page
    entry = AuditEntry.objects.get(action="line.channel_saved")
    assert entry.organisation == world.a
    assert SECRET not in json.dumps(entry.data) and TOKEN not in json.dumps(entry.data)
    info = [call for call in line_api.calls if call.path == "/v2/bot/info"]
    assert info and info[0].headers["Authorization"] == f"Bearer {TOKEN}"


def test_a_token_line_refuses_is_not_saved_and_not_typed_back(
    world: SimpleNamespace, line_api: StandIn
) -> None:
    response = client_for(world.owner.user).post(
        reverse("line:channel", args=[world.a.code]), {"secret": SECRET, "token": "wrong-token"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "wrong-token" not in page and SECRET not in page
    assert not Channel.objects.exists()
    line_api.errors.clear()  # the stand-in refused the token, as LINE would


def test_only_the_organisations_admins_see_its_channel(world: SimpleNamespace, channel: Channel) -> None:
    for person in (world.member, world.outsider):
        c = client_for(person.user)
        assert c.get(reverse("line:channel", args=[world.a.code])).status_code == 404
        assert c.post(reverse("line:channel_remove", args=[world.a.code])).status_code == 404
    assert Channel.objects.filter(pk=channel.pk).exists()
    assert (
        client_for(world.owner.user).post(reverse("line:channel_remove", args=[world.a.code])).status_code
        == 302
    )
    assert not Channel.objects.exists()
    assert AuditEntry.objects.filter(action="line.channel_removed", organisation=world.a).exists()


# --- the webhook and linking -------------------------------------------------------------------


def test_the_webhook_refuses_a_wrong_signature(channel: Channel, line_api: StandIn) -> None:
    assert (
        post_webhook(channel, [event("follow", replyToken="r1")], secret="not-the-secret").status_code == 400
    )
    assert line_api.link_tokens == {} and line_api.replied == []
    response = Client().post(
        reverse("line:webhook", args=[channel.webhook_key]), b"{}", content_type="application/json"
    )
    assert response.status_code == 400
    assert post_webhook(channel, []).status_code == 200  # LINE's "Verify" button sends no events


def test_account_link_flow(world: SimpleNamespace, channel: Channel, line_api: StandIn) -> None:
    # 1. The person writes to the LINE account: Platu asks LINE for a link token and answers
    #    with the address to link by (a reply: free of the message quota).
    assert (
        post_webhook(
            channel, [event("message", replyToken="reply-1", message={"type": "text", "text": "สวัสดี"})]
        ).status_code
        == 200
    )
    ((link_token, line_user),) = line_api.link_tokens.items()
    assert line_user == LINE_USER
    (answer,) = line_api.replied
    assert answer["replyToken"] == "reply-1"
    address = answer["messages"][0]["text"].split("\n")[-1]
    assert address.startswith("https://platu.example.go.th/line/link/") and link_token in address
    # 2. Signed in to Platu, they confirm; Platu sends them to LINE's dialog with a nonce.
    path = address.removeprefix("https://platu.example.go.th")
    assert Client().get(path).status_code == 302  # to sign in first
    c = client_for(world.member.user)
    confirm = c.get(path)  # a page to confirm on, not a link made by opening an address
    assert confirm.status_code == 200 and "ปลาทู ทดสอบ" in confirm.content.decode()
    assert not LinkNonce.objects.exists()
    assert "form-action 'self' https://access.line.me" in c.get(path)["Content-Security-Policy"]
    response = c.post(path)
    target = urlsplit(response["Location"])
    assert (target.netloc, target.path) == ("access.line.me", "/dialog/bot/accountLink")
    query = parse_qs(target.query)
    assert query["linkToken"] == [link_token]
    nonce = query["nonce"][0]
    assert not Link.objects.exists()
    # 3. LINE sends the accountLink event with the nonce: the accounts are linked.
    assert (
        post_webhook(channel, [event("accountLink", link={"result": "ok", "nonce": nonce})]).status_code
        == 200
    )
    row = Link.objects.get()
    assert (row.user, row.line_user_id, row.channel) == (world.member.user, LINE_USER, channel)
    assert AuditEntry.objects.filter(action="line.linked", actor=world.member.user).exists()
    # The nonce is used once; a linked person's messages get no new address.
    assert actions.complete_link(channel, nonce=nonce, line_user_id="U" + "b" * 32) is None
    post_webhook(channel, [event("message", replyToken="reply-2", message={"type": "text", "text": "?"})])
    assert len(line_api.replied) == 1
    # Blocking the account ends the link.
    post_webhook(channel, [event("unfollow")])
    assert not Link.objects.exists()
    assert AuditEntry.objects.filter(action="line.unlinked").exists()


def test_a_failed_or_stale_or_foreign_nonce_links_nothing(
    world: SimpleNamespace, channel: Channel, line_api: StandIn
) -> None:
    nonce = actions.start_link(channel, acting_user=world.member.user)
    post_webhook(channel, [event("accountLink", link={"result": "failed", "nonce": nonce})])
    post_webhook(channel, [event("accountLink", link={"result": "ok", "nonce": "made-up"})])
    assert not Link.objects.exists()
    LinkNonce.objects.update(created_at=timezone.now() - dt.timedelta(minutes=11))
    post_webhook(channel, [event("accountLink", link={"result": "ok", "nonce": nonce})])
    assert not Link.objects.exists()


# --- delivery ----------------------------------------------------------------------------------


def test_each_kind_goes_the_ways_the_person_chose(world: SimpleNamespace, channel: Channel, line_api: StandIn,
                                                 django_capture_on_commit_callbacks: Any) -> None:  # fmt: skip
    link(channel, world.member.user)
    want_line(world.member.user, "knowledge")
    Preference.objects.create(user=world.member.user, kind="survey", in_app=False, email=True, line=False)
    with django_capture_on_commit_callbacks(execute=True):
        (note,) = notify(
            [world.member.user],
            kind="knowledge.comment",
            text="มีความเห็นใหม่",
            url="/k/1/",
            actor=world.owner.user,
        )
    (push,) = line_api.pushed
    assert push["to"] == LINE_USER
    assert push["messages"] == [{"type": "text", "text": "มีความเห็นใหม่\nhttps://platu.example.go.th/k/1/"}]
    assert line_api.calls[-1].headers["X-Line-Retry-Key"]
    assert Delivery.objects.get(notification=note).state == Delivery.State.SENT
    assert mail.outbox == []  # e-mail off for knowledge
    with django_capture_on_commit_callbacks(execute=True):
        (survey,) = notify([world.member.user], kind="survey.invite", text="แบบสำรวจ", url="/s/1/")
    survey.refresh_from_db()
    assert survey.read_at is not None  # not in the app: made already read
    assert len(mail.outbox) == 1 and len(line_api.pushed) == 1
    Preference.objects.create(user=world.owner.user, kind="plan", in_app=True, email=False, line=True)
    with django_capture_on_commit_callbacks(execute=True):  # no choice made: in the app and e-mail;
        # LINE chosen by someone not linked: e-mail instead
        notify([world.member.user, world.owner.user], kind="plan.submitted", text="แผน")
    assert len(mail.outbox) == 3 and len(line_api.pushed) == 1


def test_429_is_retried_after_retry_after_then_sent(
    world: SimpleNamespace, channel: Channel, line_api: StandIn, settings: Any
) -> None:
    settings.TASKS = DUMMY_TASKS
    link(channel, world.member.user)
    want_line(world.member.user)
    (note,) = notify([world.member.user], kind="knowledge.comment", text="ความเห็น")
    delivery = Delivery.objects.get(notification=note)
    line_api.fail_next(429, retry_after=7)
    line_api.fail_next(503)
    before = timezone.now()
    push_line.call([delivery.pk], "2b4e8d8c-5a3e-4e8e-9f1e-0a1b2c3d4e5f", 1)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status) == (Delivery.State.RETRYING, 1, 429)
    backend = push_line.get_backend()
    (again,) = backend.results  # type: ignore[attr-defined]
    assert again.task.run_after is not None
    assert dt.timedelta(seconds=6) <= again.task.run_after - before <= dt.timedelta(seconds=9)
    assert again.args == [[delivery.pk], "2b4e8d8c-5a3e-4e8e-9f1e-0a1b2c3d4e5f", 2]
    push_line.call(*again.args)  # 503: backed off longer, the same retry key
    delivery.refresh_from_db()
    assert (delivery.state, delivery.last_status) == (Delivery.State.RETRYING, 503)
    third = backend.results[-1]  # type: ignore[attr-defined]
    assert third.task.run_after - timezone.now() > dt.timedelta(seconds=60)
    push_line.call(*third.args)
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT and delivery.attempts == 3
    assert len(line_api.pushed) == 1 and mail.outbox == []
    keys = {c.headers.get("X-Line-Retry-Key") for c in line_api.calls if c.path == "/v2/bot/message/push"}
    assert keys == {"2b4e8d8c-5a3e-4e8e-9f1e-0a1b2c3d4e5f"}
    # A retry of a push LINE had in fact accepted: 409 for the retry key, not sent twice.
    Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.RETRYING)
    push_line.call([delivery.pk], "2b4e8d8c-5a3e-4e8e-9f1e-0a1b2c3d4e5f", 4)
    assert len(line_api.pushed) == 1
    assert Delivery.objects.get(pk=delivery.pk).state == Delivery.State.SENT


def test_5xx_until_the_last_try_falls_back_to_email(
    world: SimpleNamespace, channel: Channel, line_api: StandIn, settings: Any
) -> None:
    settings.TASKS = DUMMY_TASKS
    link(channel, world.member.user)
    want_line(world.member.user)
    (note,) = notify([world.member.user], kind="knowledge.comment", text="ความเห็น", url="/k/2/")
    delivery = Delivery.objects.get(notification=note)
    line_api.fail_next(500, times=MAX_ATTEMPTS)
    args: list[Any] = [[delivery.pk], "6f9619ff-8b86-4d01-b42d-00c04fc964ff", 1]
    backend = push_line.get_backend()
    for _attempt in range(MAX_ATTEMPTS):
        push_line.call(*args)
        last = backend.results[-1]  # type: ignore[attr-defined]
        args = last.args if last.task.name == "push_line" else args
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status) == (
        Delivery.State.FELL_BACK,
        MAX_ATTEMPTS,
        500,
    )
    assert line_api.pushed == []
    emails = [r for r in backend.results if r.task.name == "email_notification"]  # type: ignore[attr-defined]
    assert [r.args for r in emails] == [[note.pk]]
    emails[0].task.call(*emails[0].args)
    (message,) = mail.outbox
    assert message.to == [world.member.user.email] and "/k/2/" in message.body


def test_a_revoked_token_falls_back_to_email_at_once(world: SimpleNamespace, channel: Channel, line_api: StandIn,
                                                     django_capture_on_commit_callbacks: Any) -> None:  # fmt: skip
    link(channel, world.member.user)
    want_line(world.member.user)
    line_api.token = "revoked"  # the administrator issued a new token in the LINE console
    with django_capture_on_commit_callbacks(execute=True):
        (note,) = notify([world.member.user], kind="knowledge.comment", text="ความเห็น")
    delivery = Delivery.objects.get(notification=note)
    assert (delivery.state, delivery.attempts, delivery.last_status) == (Delivery.State.FELL_BACK, 1, 401)
    assert len(mail.outbox) == 1
    line_api.errors.clear()


def test_the_daily_digest_sends_one_message(world: SimpleNamespace, channel: Channel, line_api: StandIn,
                                            django_capture_on_commit_callbacks: Any) -> None:  # fmt: skip
    link(channel, world.member.user)
    want_line(world.member.user, daily=True)
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(3):
            notify([world.member.user], kind="knowledge.comment", text=f"ความเห็นที่ {i + 1}", url=f"/k/{i}/")
    assert line_api.pushed == []
    assert Delivery.objects.filter(state=Delivery.State.DIGEST).count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert digest() == "1 LINE digest(s) sent"
    (push,) = line_api.pushed
    text = push["messages"][0]["text"]
    assert all(f"ความเห็นที่ {i}" in text for i in (1, 2, 3)) and "3" in text
    assert set(Delivery.objects.values_list("state", flat=True)) == {Delivery.State.SENT}
    with django_capture_on_commit_callbacks(execute=True):
        assert digest() == "0 LINE digest(s) sent"
    assert len(line_api.pushed) == 1


# --- the person's choices ----------------------------------------------------------------------


def test_preferences_page_saves_the_choices(world: SimpleNamespace, channel: Channel) -> None:
    c = client_for(world.member.user)
    page = c.get(reverse("line:preferences")).content.decode()
    assert "@platu-test" in page  # how to link: the organisation's LINE account
    assert (
        reverse("line:preferences")
        in c.get(reverse("person_detail", args=[world.member.pk])).content.decode()
    )
    response = c.post(
        reverse("line:preferences"), {"knowledge-in_app": "on", "knowledge-line": "on", "daily": "on"}
    )
    assert response.status_code == 302
    pref = Preference.objects.get(user=world.member.user, kind="knowledge")
    assert (pref.in_app, pref.email, pref.line) == (True, False, True)
    assert Preference.objects.get(user=world.member.user, kind="survey").in_app is False
    assert AuditEntry.objects.filter(action="line.preferences", actor=world.member.user).exists()
    link(channel, world.member.user)
    assert c.post(reverse("line:unlink")).status_code == 302
    assert not Link.objects.exists()


@pytest.mark.parametrize("body", [b"not json", b'{"events": 3}', b"[]"])
def test_malformed_webhook_bodies_are_refused(channel: Channel, body: bytes) -> None:
    signature = base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest()).decode()
    response = Client().post(reverse("line:webhook", args=[channel.webhook_key]), body,
                             content_type="application/json", HTTP_X_LINE_SIGNATURE=signature)  # fmt: skip
    assert response.status_code == 400


def test_token_is_stored_for_this_installation_only(channel: Channel, settings: Any) -> None:
    from platu.line import crypto

    assert crypto.decrypt(channel.token_encrypted) == TOKEN
    settings.SECRET_KEY = "another-installation"
    with pytest.raises(ValueError):
        crypto.decrypt(channel.token_encrypted)


def test_the_digest_runs_with_the_daily_housekeeping(
    world: SimpleNamespace, channel: Channel, line_api: StandIn
) -> None:
    from django.core.management import call_command

    from platu.core import housekeeping

    assert "line.digest" in dict(housekeeping.jobs())
    link(channel, world.member.user)
    want_line(world.member.user, daily=True)
    notify([world.member.user], kind="knowledge.comment", text="ความเห็น")
    out = io.StringIO()
    call_command("platu_housekeeping", stdout=out)
    assert "line.digest: 1 LINE digest(s) sent" in out.getvalue()
