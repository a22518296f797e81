"""Award fixtures: school A (under the office) with its head, KM lead, CKO (the chair), two
judges and two teachers; a published knowledge item and a community; school B outside."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from platu.awards import actions
from platu.awards.models import Programme
from platu.communities.models import Community
from platu.knowledge.models import Item
from tests.conftest import make_person


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


@pytest.fixture
def aw(world: SimpleNamespace) -> SimpleNamespace:
    w = world
    w.lead = make_person("lead", "ปราณี", "คงสุข", org=w.a, roles=["km_lead"], title="นางสาว")
    w.chair = make_person("chair", "กรรณิการ์", "สายทอง", org=w.a, roles=["cko"], title="นาง")
    w.judge1 = make_person("judge1", "สมศรี", "ดีงาม", org=w.a, roles=["member"], title="นาง")
    w.judge2 = make_person("judge2", "ประเสริฐ", "ใจเย็น", org=w.a, roles=["member"])
    w.teacher = make_person("teacher", "ธีรภัทร", "นาคทอง", org=w.a, roles=["member"], position="ครู")
    w.item = Item.objects.create(
        organisation=w.a, owner=w.member, title="การสอนอ่านแบบแจกลูกสะกดคำ", state="published",
        visibility="organisation", published_at=timezone.now(),
    )  # fmt: skip
    w.item2 = Item.objects.create(
        organisation=w.a, owner=w.teacher, title="บ้านนักวิทยาศาสตร์น้อย", state="published",
        visibility="organisation", published_at=timezone.now(),
    )  # fmt: skip
    w.draft = Item.objects.create(organisation=w.a, owner=w.member, title="ร่างยังไม่เผยแพร่", state="draft")
    w.b_item = Item.objects.create(
        organisation=w.b, owner=w.outsider, title="ของโรงเรียนบี", state="published", visibility="organisation",
        published_at=timezone.now(),
    )  # fmt: skip
    w.community = Community.objects.create(
        organisation=w.a, name="ชุมชนครูภาษาไทย", network_path=w.a.network_path
    )
    return w


def programme_data(**changes: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data = {
        "title": "รางวัลการจัดการความรู้ดีเด่น", "fiscal_year": 2569, "level": Programme.Level.SCHOOL,
        "description": "", "scale": Programme.Scale.FIVE_THREE_ONE, "nominations_open": today - dt.timedelta(days=1),
        "nominations_close": today + dt.timedelta(days=10), "scoring_deadline": today + dt.timedelta(days=20),
    }  # fmt: skip
    data.update(changes)
    return data


@pytest.fixture
def open_programme(aw: SimpleNamespace) -> Programme:
    programme = actions.create_programme(
        aw.a, programme_data(),
        categories=[("work", 1), ("person", 1), ("cop", 1)],
        criteria=[("มีผลต่อผู้เรียน", 2), ("ขยายผลได้", 1)], acting_user=aw.lead.user,
    )  # fmt: skip
    actions.set_committee(programme, [aw.judge1, aw.judge2], aw.chair, acting_user=aw.lead.user)
    actions.open_programme(programme, acting_user=aw.lead.user)
    return programme
