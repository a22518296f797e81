"""Competency fixtures: a published framework at the parent office (inherited by org A), an
open cycle at org A with two teachers, and a KM team member."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from platu.competency.models import Competency, Cycle, Expectation, Framework, Level
from tests.conftest import make_person


@pytest.fixture
def cw(world: SimpleNamespace) -> SimpleNamespace:
    fw = Framework.objects.create(organisation=world.parent, name="กรอบสมรรถนะครูเขตทดสอบ", state="published")
    for value, name in ((1, "ระดับเริ่มต้น"), (2, "ระดับพัฒนา"), (3, "ระดับปฏิบัติได้ดี"), (4, "ระดับชำนาญ")):
        Level.objects.create(framework=fw, value=value, name=name)
    core = Competency.objects.create(framework=fw, kind="core", code="1", name="การมุ่งผลสัมฤทธิ์", order=1)
    func = Competency.objects.create(framework=fw, kind="functional", code="2", name="การจัดการเรียนรู้", order=2)
    measure = Competency.objects.create(framework=fw, kind="functional", parent=func, code="2.1",
                                        name="การวัดและประเมินผลตามสภาพจริง", order=3)  # fmt: skip
    Expectation.objects.create(framework=fw, position="", competency=core, level=3)
    Expectation.objects.create(framework=fw, position="ครู", competency=measure, level=3)
    Expectation.objects.create(framework=fw, position="ครูชำนาญการ", competency=measure, level=4)
    teacher = make_person("teacher", "ธีรภัทร", "นาคทอง", org=world.a, roles=["member"], position="ครู")
    senior = make_person("senior", "ปราณี", "คงสุข", org=world.a, roles=["km_lead"], position="ครูชำนาญการพิเศษ",
                         title="นางสาว")  # fmt: skip
    km = make_person("km", "สุดา", "ใจงาม", org=world.a, roles=["km_member"], position="ครู", title="นาง")
    today = timezone.localdate()
    cycle = Cycle.objects.create(organisation=world.a, year=2569, framework=fw, opens_on=today - dt.timedelta(days=3),
                                 closes_on=today + dt.timedelta(days=20))  # fmt: skip
    return SimpleNamespace(**vars(world), fw=fw, core=core, func=func, measure=measure, teacher=teacher,
                           senior=senior, km=km, cycle=cycle)  # fmt: skip


def login(client: Any, person: Any) -> Any:
    client.force_login(person.user)
    return client
