from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from platu.audit.log import record
from platu.audit.models import AppendOnlyError, AuditEntry
from tests.conftest import PASSWORD


def test_the_audit_log_cannot_be_changed_or_deleted(world: SimpleNamespace) -> None:
    entry = record("test.action", actor=world.owner.user, obj=world.a, organisation=world.a)
    entry.action = "something.else"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.action"


def test_admins_read_their_organisations_log_with_member_logins(
    client: Client, world: SimpleNamespace
) -> None:
    Client().post(reverse("account_login"), {"login": "member", "password": PASSWORD})
    Client().post(reverse("account_login"), {"login": "outsider", "password": PASSWORD})
    record("team.create", actor=world.owner.user, obj=world.team, organisation=world.a)
    record("team.create", actor=world.outsider.user, obj=world.b_team, organisation=world.b)
    client.force_login(world.owner.user)
    html = client.get(reverse("audit_log", args=[world.a.code])).content.decode()
    assert "ทีม KM โรงเรียนบ้านเอ" in html
    assert "คลังสมองโรงเรียนบ้านบี" not in html
    assert "auth.login" in html and ">member<" in html
    assert "เข้าสู่ระบบ" in html and "สร้างทีม" in html
    assert ">outsider<" not in html


def test_members_and_outsiders_do_not_read_the_log(client: Client, world: SimpleNamespace) -> None:
    client.force_login(world.member.user)
    assert client.get(reverse("audit_log", args=[world.a.code])).status_code == 403
    client.force_login(world.outsider.user)
    assert client.get(reverse("audit_log", args=[world.a.code])).status_code == 404


def test_every_recorded_action_has_a_readable_name(client: Client, world: SimpleNamespace) -> None:
    import re
    from pathlib import Path

    from platu.audit.models import ACTION_LABELS

    source = "\n".join(p.read_text() for p in Path("platu").rglob("*.py"))
    codes = set(re.findall(r'record\(\s*"([a-z_]+\.[a-z_]+)"', source))
    codes |= set(re.findall(r'audit_action="([a-z_]+\.[a-z_]+)"', source))
    codes |= set(re.findall(r'_done\([^)]*?"([a-z_]+\.[a-z_]+)"', source))
    assert {"knowledge.publish", "plan.edit", "search.term_removed"} <= codes
    assert codes - set(ACTION_LABELS) == set()
    record("knowledge.publish", actor=world.owner.user, obj=world.a, organisation=world.a)
    record("plan.edit", actor=world.owner.user, obj=world.a, organisation=world.a)
    client.force_login(world.owner.user)
    html = client.get(reverse("audit_log", args=[world.a.code])).content.decode()
    assert "เผยแพร่ความรู้" in html and "แก้ไขแผนการจัดการความรู้" in html
    assert "<code" not in html
