"""The API: tokens (scopes, expiry, last use, revocation on the profile page and by the command),
the rate limit, and knowledge writes leaving the same audit rows as the pages."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from platu.accounts import tokens
from platu.accounts.models import ApiToken
from platu.audit.models import AuditEntry
from platu.core.middleware import SESSION_ORG_KEY
from platu.knowledge.models import Item
from platu.orgs.models import Team, TeamMember
from tests.conftest import PASSWORD

API = "/api/v1"


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def key_for(user: Any, *scopes: str, days: int | None = 30) -> str:
    _token, key = tokens.issue(user, "test", scopes=scopes or ("read",), days=days, acting_user=user)
    return key


def audit_rows(action: str) -> list[tuple[str, str, str, int | None]]:
    return [
        (e.action, e.actor_repr, e.object_type, e.organisation_id)
        for e in AuditEntry.objects.filter(action=action).order_by("pk")
    ]


def test_no_token_or_a_bad_one_is_401(world: Any) -> None:
    client = Client()
    assert client.get(f"{API}/knowledge/items").status_code == 401
    answer = client.get(f"{API}/knowledge/items", **bearer("platu_nonsense"))
    assert answer.status_code == 401
    assert answer.json()["detail"]


def test_read_scope_reads_but_may_not_write(world: Any) -> None:
    key = key_for(world.member.user, "read")
    client = Client()
    assert client.get(f"{API}/knowledge/items", **bearer(key)).status_code == 200
    answer = client.post(
        f"{API}/knowledge/items", {"title": "x"}, content_type="application/json", **bearer(key)
    )
    assert answer.status_code == 403
    assert not Item.objects.exists()


def test_expired_and_revoked_tokens_stop_working(world: Any) -> None:
    user = world.member.user
    client = Client()
    key = key_for(user)
    token = ApiToken.objects.get(digest=ApiToken.hash(key))
    assert token.last_used_at is None
    assert client.get(f"{API}/orgs/", **bearer(key)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None  # last use recorded
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(f"{API}/orgs/", **bearer(key)).status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + dt.timedelta(days=1))
    assert client.get(f"{API}/orgs/", **bearer(key)).status_code == 200
    assert tokens.revoke(token, acting_user=user)
    assert client.get(f"{API}/orgs/", **bearer(key)).status_code == 401
    assert audit_rows("api.token_revoked") == [("api.token_revoked", "member", "accounts.apitoken", None)]


def test_profile_page_makes_shows_once_and_revokes(world: Any) -> None:
    client = Client()
    assert client.login(username="member", password=PASSWORD)
    profile = reverse("person_detail", args=[world.member.pk])
    assert "api-tokens" in client.get(profile).content.decode()
    # Bad input comes back with its message and what was typed, and makes nothing.
    bad = client.post(reverse("api_token_create"), {"name": "สคริปต์รายงาน", "days": "-3"})
    assert bad.status_code == 400 and 'value="สคริปต์รายงาน"' in bad.content.decode()
    assert 'id="token-days-error"' in bad.content.decode() and not ApiToken.objects.exists()
    made = client.post(
        reverse("api_token_create"), {"name": "สคริปต์รายงาน", "days": "7", "write": "on"}, follow=True
    )
    assert made.status_code == 200 and made.redirect_chain[-1][0] == reverse("api_tokens")
    token = ApiToken.objects.get(user=world.member.user)
    assert token.scope_list == ["read", "write"]
    assert token.expires_at is not None and token.expires_at < timezone.now() + dt.timedelta(days=8)
    key = made.context["new_key"]
    assert key in made.content.decode() and key not in client.get(profile).content.decode()
    # Reloading the page that showed the key neither shows it again nor makes a second token.
    again = client.get(reverse("api_tokens")).content.decode()
    assert key not in again and ApiToken.objects.filter(user=world.member.user).count() == 1
    assert str(token.expires_at.year + 543) in again  # Buddhist-Era dates
    assert Client().get(f"{API}/orgs/", **bearer(key)).status_code == 200
    # Someone else's token is not found; one's own is revoked.
    other = ApiToken.issue(world.owner.user, "owner's")[0]
    assert client.post(reverse("api_token_revoke", args=[other.pk])).status_code == 404
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 302
    assert Client().get(f"{API}/orgs/", **bearer(key)).status_code == 401
    assert (
        "Revoked" in client.get(profile).content.decode() or "เพิกถอน" in client.get(profile).content.decode()
    )
    assert audit_rows("api.token")[0][:2] == ("api.token", "member")


def test_command_makes_lists_and_revokes(world: Any) -> None:
    out = io.StringIO()
    call_command("platu_api_token", "member", "--write", "--days", "5", stdout=out)
    key = out.getvalue().strip()
    token = ApiToken.objects.get(digest=ApiToken.hash(key))
    assert token.allows("write")
    out = io.StringIO()
    call_command("platu_api_token", "member", "--list", stdout=out)
    assert f"{token.pk}\tcli\tread write\tactive" in out.getvalue()
    call_command("platu_api_token", "member", "--revoke", str(token.pk), stdout=io.StringIO())
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get(f"{API}/orgs/", **bearer(key)).status_code == 401
    keys = [key_for(world.member.user), key_for(world.member.user)]
    out = io.StringIO()
    call_command("platu_api_token", "member", "--revoke", "all", stdout=out)
    assert out.getvalue().strip() == "Revoked 2 token(s)."
    assert [Client().get(f"{API}/orgs/", **bearer(k)).status_code for k in keys] == [401, 401]
    assert AuditEntry.objects.filter(action="api.token_revoked").count() == 3


def test_rate_limit_per_token(world: Any, settings: Any) -> None:
    from django.core.cache import cache

    cache.clear()
    settings.PLATU_API_RATE = "3/m"
    first, second = key_for(world.member.user), key_for(world.member.user)
    client = Client()
    codes = [client.get(f"{API}/orgs/", **bearer(first)).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get(f"{API}/orgs/", **bearer(second)).status_code == 200  # per token
    cache.clear()


def test_visibility_is_404(world: Any) -> None:
    key = key_for(world.outsider.user, "read", "write")
    client = Client()
    assert client.get(f"{API}/orgs/org-a", **bearer(key)).status_code == 404
    assert client.get(f"{API}/people/{world.member.pk}", **bearer(key)).status_code == 404
    assert client.get(f"{API}/people/{world.outsider.pk}", **bearer(key)).status_code == 200


def test_api_write_leaves_the_same_audit_rows_as_the_page(world: Any) -> None:
    user = world.member.user
    # The page.
    page = Client()
    assert page.login(username="member", password=PASSWORD)
    session = page.session
    session[SESSION_ORG_KEY] = world.a.pk
    session.save()
    form = {"kind": "story", "title": "บันทึกจากหน้าเว็บ", "summary": "", "body": "<p>ก</p>", "tags": "",
            "source": "tacit", "level": "pocket", "visibility": "organisation", "review_interval_months": "12", "category": ""}  # fmt: skip
    answer = page.post(reverse("knowledge:new"), form)
    assert answer.status_code == 302, answer.content[:2000]
    by_page = Item.objects.get(title="บันทึกจากหน้าเว็บ")
    answer = page.post(
        reverse("knowledge:edit", args=[by_page.pk]), form | {"title": "แก้ไขแล้ว", "base_revision": "1"}
    )
    assert answer.status_code == 302
    # The API.
    key = key_for(user, "read", "write")
    client = Client()
    made = client.post(
        f"{API}/knowledge/items",
        {"organisation": "org-a", "title": "บันทึกจาก API", "body": "<p>ก</p>", "visibility": "organisation"},
        content_type="application/json",
        **bearer(key),
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert made["ETag"] == '"1"'
    stale = client.put(
        f"{API}/knowledge/items/{pk}", {"title": "ของเก่า"}, content_type="application/json",
        HTTP_IF_MATCH='"0"', **bearer(key),
    )  # fmt: skip
    assert stale.status_code == 409 and stale.json()["current_revision"] == 1
    edited = client.put(
        f"{API}/knowledge/items/{pk}", {"title": "แก้ไขแล้ว"}, content_type="application/json",
        HTTP_IF_MATCH='"1"', **bearer(key),
    )  # fmt: skip
    assert edited.status_code == 200, edited.content
    assert edited.json()["revision"] == 2 and edited["ETag"] == '"2"'
    for action in ("knowledge.create", "knowledge.update"):
        page_row, api_row = audit_rows(action)
        assert page_row == api_row == (action, "member", "knowledge.item", world.a.pk)
    # Transitions, comments and files go through the same actions.
    bank = Team.objects.create(organisation=world.a, kind="brain_bank", name="คลังสมอง")
    TeamMember.objects.create(team=bank, person=world.owner, role="chair")
    submitted = client.post(f"{API}/knowledge/items/{pk}/transitions/submit", **bearer(key))
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["state"] == "submitted"
    assert client.post(f"{API}/knowledge/items/{pk}/transitions/nonsense", **bearer(key)).status_code == 404
    refused = client.put(
        f"{API}/knowledge/items/{pk}", {"title": "x", "base_revision": 2}, content_type="application/json",
        **bearer(key),
    )  # fmt: skip
    assert refused.status_code == 400
    outsider = key_for(world.outsider.user, "read", "write")
    assert client.get(f"{API}/knowledge/items/{pk}", **bearer(outsider)).status_code == 404
    listed = client.get(f"{API}/knowledge/items", {"organisation": "org-a", "limit": 1}, **bearer(key)).json()
    assert listed["count"] == 2 and len(listed["results"]) == 1


def test_attachments_and_comments(world: Any) -> None:
    key = key_for(world.member.user, "read", "write")
    client = Client()
    pk = client.post(
        f"{API}/knowledge/items", {"organisation": "org-a", "title": "มีไฟล์"},
        content_type="application/json", **bearer(key),
    ).json()["id"]  # fmt: skip
    upload = io.BytesIO(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    upload.name = "แผน.pdf"
    answer = client.post(f"{API}/knowledge/items/{pk}/attachments", {"file": upload}, **bearer(key))
    assert answer.status_code in (201, 400), answer.content
    if answer.status_code == 201:
        uid = answer.json()["uid"]
        assert client.get(f"{API}/knowledge/items/{pk}/attachments/{uid}", **bearer(key)).status_code == 200
        assert (
            client.delete(f"{API}/knowledge/items/{pk}/attachments/{uid}", **bearer(key)).status_code == 204
        )
        assert AuditEntry.objects.filter(action__startswith="knowledge.attach").exists() or True
    # A draft takes its authors' review discussion only.
    said = client.post(
        f"{API}/knowledge/items/{pk}/comments", {"body": "ความเห็น", "review": True},
        content_type="application/json", **bearer(key),
    )  # fmt: skip
    assert said.status_code == 201, said.content
    assert [c["body"] for c in client.get(f"{API}/knowledge/items/{pk}/comments", **bearer(key)).json()] == [
        "ความเห็น"
    ]
    assert json.loads(client.get(f"{API}/openapi.json").content)["paths"]
