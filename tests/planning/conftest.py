"""Planning fixtures: org A's KM team (lead and member), its CKO and CEO, and a plan with two
strategic issues, KPIs, processes, knowledge, desired states and activities."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from platu.orgs.models import Membership, MembershipRole, Team, TeamMember
from platu.planning import actions
from platu.planning.models import (
    Activity,
    DesiredState,
    Kpi,
    Milestone,
    NeededKnowledge,
    Plan,
    StrategicIssue,
    WorkProcess,
)
from tests.conftest import make_person


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def add_role(person: Any, org: Any, role: str) -> None:
    membership, _ = Membership.objects.get_or_create(person=person, organisation=org)
    MembershipRole.objects.get_or_create(membership=membership, role=role)


@pytest.fixture
def pw(world: SimpleNamespace) -> SimpleNamespace:
    w = world
    w.ceo = w.owner  # the world's owner is org A's CEO
    w.cko = make_person("cko", "ประภา", "รู้ทั่ว", org=w.a, roles=["cko"], title="นาง", position="รองผู้อำนวยการ")
    w.lead = make_person("kmlead", "กมล", "จัดการ", org=w.a, roles=["km_lead"], position="ครูชำนาญการ")
    w.km = make_person("kmmember", "วิชัย", "ใฝ่รู้", org=w.a, roles=["km_member"], position="ครู")
    committee = Team.objects.create(organisation=w.a, kind="monitoring", name="คณะกรรมการติดตามและประเมินผล")
    TeamMember.objects.create(team=committee, person=w.cko, role="chair")
    plan = actions.start_plan(w.a, 2569, acting_user=w.lead.user)
    w.plan = plan
    w.issue1 = StrategicIssue.objects.create(
        plan=plan, order=0, name="พัฒนาคุณภาพผู้เรียน", goal="ผู้เรียนอ่านออกเขียนได้"
    )
    w.issue2 = StrategicIssue.objects.create(plan=plan, order=1, name="พัฒนาครูและบุคลากร", goal="ครูใช้สื่อดิจิทัล")
    w.kpi1 = Kpi.objects.create(
        plan=plan,
        issue=w.issue1,
        order=0,
        number="1.1",
        name="ร้อยละนักเรียนที่อ่านคล่อง",
        target="ร้อยละ 90",
        chosen=True,
    )
    w.kpi2 = Kpi.objects.create(
        plan=plan, issue=w.issue1, order=1, number="1.2", name="คะแนนการเขียนเฉลี่ย", target="70 คะแนน"
    )
    w.kpi3 = Kpi.objects.create(
        plan=plan, issue=w.issue1, order=2, number="1.3", name="จำนวนกิจกรรมรักการอ่าน", target="12 ครั้ง"
    )
    w.kpi4 = Kpi.objects.create(
        plan=plan, issue=w.issue2, order=3, number="2.1", name="ครูที่ผ่านการอบรมสื่อ", target="ร้อยละ 80"
    )
    w.kpi1.agencies.add(w.a)
    w.process = WorkProcess.objects.create(plan=plan, kpi=w.kpi1, name="คัดกรองการอ่าน")
    w.k1 = NeededKnowledge.objects.create(
        plan=plan, process=w.process, order=0, name="เทคนิคการสอนอ่านแบบแจกลูก", chosen=True
    )
    w.k2 = NeededKnowledge.objects.create(plan=plan, process=w.process, order=1, name="การทำแบบคัดกรองการอ่าน")
    w.state = DesiredState.objects.create(
        plan=plan, text="ครูทุกคนใช้เทคนิคสอนอ่านที่ได้ผล", unit="จำนวนครูที่นำไปใช้", knowledge=w.k1
    )
    start, end = dt.date(2025, 10, 1), dt.date(2026, 9, 30)
    w.act1 = Activity.objects.create(plan=plan, desired_state=w.state, process="km", step=2, order=0,
                                     name="ถอดบทเรียนครูต้นแบบการสอนอ่าน", method="จัดวงเล่าเรื่อง", start=start, end=end,
                                     indicator="จำนวนบทเรียน", target="3 เรื่อง", target_group="ครูชั้น ป.1-3",
                                     responsible="ทีม KM", budget=Decimal("12500.00"))  # fmt: skip
    w.act2 = Activity.objects.create(plan=plan, desired_state=w.state, process="change", step=6, order=1,
                                     name="มอบเกียรติบัตรครูต้นแบบ", start=start, end=end, budget=Decimal("3000.50"))  # fmt: skip
    Milestone.objects.create(plan=plan, year=2569, level="unit", description="ทุกชั้นเรียนใช้แบบคัดกรอง")
    plan.refresh_from_db()
    return w


def reload(plan: Plan) -> Plan:
    return Plan.objects.get(pk=plan.pk)
