"""Knowledge fixtures: org A gets a brain bank of three reviewers; an item factory."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from platu.knowledge import actions
from platu.knowledge.models import Item
from platu.orgs.models import Team, TeamMember
from tests.conftest import PASSWORD, make_person

STORY = "<h2>บริบท</h2><p>โรงเรียนขนาดเล็กมีครูไม่ครบชั้น</p><h2>สิ่งที่ทำ</h2><p>จัดกลุ่มเด็กตามระดับการอ่าน ให้พี่ช่วยสอนน้อง</p>"


@pytest.fixture
def kw(world: SimpleNamespace) -> SimpleNamespace:
    a = world.a
    reviewers = [
        make_person("rev1", "กมล", "ใจซื่อ", org=a, position="ครูชำนาญการพิเศษ"),
        make_person("rev2", "ขวัญ", "ศรีสุข", org=a, title="นาง"),
        make_person("rev3", "คณิน", "ทองมา", org=a),
    ]
    bank = Team.objects.create(organisation=a, kind="brain_bank", name="คลังสมองโรงเรียนบ้านเอ")
    for i, person in enumerate(reviewers, start=1):
        TeamMember.objects.create(team=bank, person=person, role="chair" if i == 1 else "member", order=i)
    world.reviewers = reviewers
    world.bank = bank
    return world


def make_item(person: Any, org: Any, **fields: Any) -> Item:
    fields.setdefault("title", "เรื่องเล่าการสอนอ่านคละชั้น")
    fields.setdefault("body", STORY)
    return actions.create_item(org, acting_user=person.user, **fields)


def client_for(person: Any) -> Client:
    client = Client()
    assert client.login(username=person.user.username, password=PASSWORD)
    return client


def publish(item: Item, world: SimpleNamespace) -> Item:
    from platu.knowledge import workflow

    workflow.submit(item, acting_user=item.owner.user)
    for reviewer in world.reviewers[:2]:
        workflow.vote(item, acting_user=reviewer.user, choice="approve")
    workflow.publish(item, acting_user=item.owner.user)
    item.refresh_from_db()
    return item
