"""Demo plans (fictional texts written for Platu): Ban Nong Bua Thong School has a complete plan
for the current fiscal year, scored by three people, submitted, reviewed and approved;
the district office has a draft. Written with the ORM (the demo is a fixture, not activity)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from platu.lib import thaidate
from platu.orgs.models import Organisation, Person, Team
from platu.planning.models import (
    Activity,
    Criterion,
    DesiredState,
    Kpi,
    Milestone,
    NeededKnowledge,
    Plan,
    PlanEvent,
    Score,
    StrategicIssue,
    WorkProcess,
)
from platu.planning.scoring import DEFAULT_CRITERIA

SCHOOL = "sch-nongbua"
DRAFT_ORG = "snk-pesa1"

ISSUES = [
    (
        "ยกระดับคุณภาพผู้เรียนด้านการอ่านและการเขียน",
        "นักเรียนทุกคนอ่านออก เขียนได้ และรักการอ่าน",
        [
            ("1.1", "ร้อยละของนักเรียนชั้น ป.1–ป.3 ที่อ่านออกเขียนได้ตามเกณฑ์", "ร้อยละ 95"),
            ("1.2", "ร้อยละของนักเรียนที่มีผลการประเมินการอ่านจับใจความระดับดีขึ้นไป", "ร้อยละ 80"),
            ("1.3", "จำนวนกิจกรรมส่งเสริมการอ่านร่วมกับผู้ปกครอง", "6 ครั้งต่อปี"),
        ],
    ),
    (
        "พัฒนาครูให้จัดการเรียนรู้เชิงรุก",
        "ครูใช้การเรียนรู้เชิงรุกและสื่อดิจิทัลในชั้นเรียน",
        [
            ("2.1", "ร้อยละของครูที่จัดการเรียนรู้เชิงรุกอย่างน้อยสัปดาห์ละครั้ง", "ร้อยละ 90"),
            ("2.2", "จำนวนนวัตกรรมการสอนที่ครูพัฒนาและเผยแพร่", "4 ชิ้น"),
        ],
    ),
]
PROCESSES = [
    ("1.1", "คัดกรองความสามารถการอ่านรายบุคคล", [("การใช้แบบคัดกรองการอ่านและการแปลผล", "กลุ่มสาระภาษาไทย")]),
    (
        "1.1",
        "สอนซ่อมเสริมการอ่านแบบกลุ่มเล็ก",
        [
            ("เทคนิคการสอนอ่านแบบแจกลูกสะกดคำ", "ครูประจำชั้น ป.1–ป.3"),
            ("การทำบัตรคำและเกมฝึกอ่าน", "ครูประจำชั้น ป.1–ป.3"),
        ],
    ),
    ("2.1", "ออกแบบแผนการจัดการเรียนรู้เชิงรุก", [("การออกแบบกิจกรรมโครงงานในชั้นเรียนคละชั้น", "ฝ่ายวิชาการ")]),
]
DESIRED = [
    (
        "ครูประจำชั้น ป.1–ป.3 ทุกคนใช้เทคนิคการสอนอ่านที่ได้ผลจนนักเรียนอ่านออกเขียนได้",
        "จำนวนครูที่นำเทคนิคไปใช้และผลการอ่านของนักเรียน",
        1,
    ),
    ("โรงเรียนมีคลังความรู้การสอนอ่านที่ครูค้นหาและนำไปใช้ได้ทันที", "จำนวนองค์ความรู้ในคลังและจำนวนครั้งที่ถูกนำไปใช้", 0),
]
KM_ACTIVITIES = [
    (
        1,
        "สำรวจความรู้ที่ครูต้นแบบการสอนอ่านมีอยู่",
        "สัมภาษณ์และใช้แบบสำรวจความรู้",
        "รายการความรู้",
        "1 ชุด",
        "ครูทุกคน",
        Decimal("0"),
    ),
    (
        2,
        "ถอดบทเรียนครูต้นแบบการสอนอ่าน",
        "วงเล่าเรื่องและบันทึกขุมความรู้",
        "จำนวนบทเรียนที่ถอดได้",
        "3 เรื่อง",
        "ครู ป.1–ป.3",
        Decimal("4500"),
    ),
    (
        2,
        "ศึกษาดูงานโรงเรียนที่สอนอ่านได้ผลดี",
        "ศึกษาดูงานและประชุมสรุปผล",
        "จำนวนครูที่ไปศึกษาดูงาน",
        "6 คน",
        "ครู ป.1–ป.3",
        Decimal("12000"),
    ),
    (
        3,
        "จัดหมวดหมู่ความรู้การสอนอ่านในคลังความรู้",
        "จัดหมวดหมู่และติดป้ายคำสำคัญ",
        "ความรู้ที่จัดหมวดหมู่แล้ว",
        "ร้อยละ 100",
        "ทีม KM",
        Decimal("0"),
    ),
    (
        4,
        "กลั่นกรองและปรับปรุงคู่มือการสอนอ่าน",
        "ประชุมกลั่นกรองโดยครูต้นแบบ",
        "คู่มือฉบับปรับปรุง",
        "1 เล่ม",
        "ทีม KM",
        Decimal("3500"),
    ),
    (
        5,
        "เผยแพร่คู่มือในระบบและกลุ่มไลน์ของโรงเรียน",
        "ลงระบบคลังความรู้และแจ้งข่าว",
        "จำนวนครั้งที่เข้าถึง",
        "50 ครั้ง",
        "ครูและผู้ปกครอง",
        Decimal("0"),
    ),
    (
        6,
        "ชุมชนนักปฏิบัติการสอนอ่านประจำเดือน",
        "ประชุม PLC เดือนละครั้ง",
        "จำนวนครั้งที่จัด",
        "10 ครั้ง",
        "ครู ป.1–ป.3",
        Decimal("5000"),
    ),
    (
        7,
        "นำเทคนิคไปใช้และสะท้อนผลหลังสอน",
        "บันทึกหลังสอนและ AAR",
        "ร้อยละของครูที่นำไปใช้",
        "ร้อยละ 100",
        "ครู ป.1–ป.3",
        Decimal("0"),
    ),
]
CHANGE_ACTIVITIES = [
    (
        1,
        "ผู้บริหารประกาศนโยบายโรงเรียนแห่งการอ่าน",
        "ประชุมครูและประกาศนโยบาย",
        "มีประกาศนโยบาย",
        "1 ฉบับ",
        "บุคลากรทุกคน",
        Decimal("0"),
    ),
    (
        2,
        "สื่อสารแผนการจัดการความรู้ให้ทุกคนเข้าใจ",
        "ประชุมชี้แจงและป้ายประชาสัมพันธ์",
        "บุคลากรที่รับทราบแผน",
        "ร้อยละ 100",
        "บุคลากรทุกคน",
        Decimal("1500"),
    ),
    (
        4,
        "อบรมการจัดการความรู้และการเป็นคุณอำนวย",
        "อบรมเชิงปฏิบัติการ 1 วัน",
        "ผู้ผ่านการอบรม",
        "12 คน",
        "ครูทุกคน",
        Decimal("8000"),
    ),
    (
        5,
        "ประเมินผลการดำเนินงานรอบ 6, 9 และ 12 เดือน",
        "ประชุมติดตามและรายงานผล",
        "รายงานความก้าวหน้า",
        "3 ครั้ง",
        "ทีม KM",
        Decimal("0"),
    ),
    (
        6,
        "ยกย่องครูต้นแบบการสอนอ่าน",
        "มอบเกียรติบัตรในวันครู",
        "จำนวนครูที่ได้รับการยกย่อง",
        "3 คน",
        "ครูทุกคน",
        Decimal("2500"),
    ),
]


def current_fiscal_year() -> int:
    return thaidate.fiscal_year(timezone.localdate())


def _plan(org: Organisation, fy: int) -> Plan:
    Plan.objects.filter(organisation=org, fiscal_year=fy).delete()
    plan = Plan.objects.create(organisation=org, fiscal_year=fy)
    Criterion.objects.bulk_create(
        Criterion(plan=plan, sheet=sheet, text=t, order=i, is_default=True)
        for sheet, texts in DEFAULT_CRITERIA.items()
        for i, t in enumerate(texts)
    )
    return plan


def build(people: dict[str, Person]) -> dict[str, Plan]:
    fy = current_fiscal_year()
    start, end = thaidate.fiscal_year_bounds(fy)
    school = Organisation.objects.get(code=SCHOOL)
    plan = _plan(school, fy)
    plan.focus_area = (
        "ส่งเสริมการนำการจัดการความรู้มาใช้พัฒนาการสอนอ่านของครู\nสร้างบรรยากาศการแลกเปลี่ยนเรียนรู้ในโรงเรียนและกับผู้ปกครอง"
    )
    plan.key_success_factors = (
        "ผู้บริหารให้ความสำคัญและติดตามอย่างต่อเนื่อง\nครูต้นแบบพร้อมแบ่งปันประสบการณ์\n"
        "มีเวลาสำหรับชุมชนการเรียนรู้ทางวิชาชีพทุกเดือน\nมีระบบคลังความรู้ที่ค้นหาได้ง่าย"
    )
    team = Team.objects.filter(organisation=school, kind=Team.Kind.KM_TEAM).first()
    kpis: dict[str, Kpi] = {}
    order = 0
    for i, (name, goal, rows) in enumerate(ISSUES):
        issue = StrategicIssue.objects.create(
            plan=plan, order=i, name=name, goal=goal, team=team,
            moderation="เลือกความรู้ที่ใช้ได้จริงในโรงเรียนขนาดเล็ก ไม่เพิ่มภาระครูเกินจำเป็น",
            reasonableness="ผลการคัดกรองการอ่านชี้ว่านักเรียนกลุ่มหนึ่งยังอ่านไม่คล่อง จึงต้องแก้ที่วิธีสอน",
            immunity="มีครูต้นแบบหลายคน ความรู้จึงไม่สูญหายเมื่อมีการย้าย",
            knowledge_condition="ใช้ผลการประเมินและงานวิจัยในชั้นเรียนเป็นฐาน",
            morality_condition="แบ่งปันความรู้ด้วยความเต็มใจ ให้เกียรติเจ้าของความรู้",
            km_scope="การสอนอ่านออกเขียนได้ระดับชั้น ป.1–ป.3",
        )  # fmt: skip
        for number, kpi_name, target in rows:
            kpis[number] = Kpi.objects.create(
                plan=plan, issue=issue, order=order, number=number, name=kpi_name, target=target,
                agencies_text="ฝ่ายวิชาการ", chosen=number in ("1.1", "2.1"),
            )  # fmt: skip
            kpis[number].agencies.add(school)
            order += 1
    knowledge: list[NeededKnowledge] = []
    for p_order, (number, process_name, needs) in enumerate(PROCESSES):
        process = WorkProcess.objects.create(plan=plan, kpi=kpis[number], order=p_order, name=process_name)
        for k_order, (k_name, agency) in enumerate(needs):
            knowledge.append(
                NeededKnowledge.objects.create(
                    plan=plan, process=process, order=k_order, name=k_name, agencies_text=agency
                )
            )
    # Three scorers; the rest of the sheet follows from their scores.
    rng = random.Random(2569)
    scorers = [people["pranee.k"], people["teerapat.n"], people["natthapong.w"]]
    criteria2 = list(Criterion.objects.filter(plan=plan, sheet=2))
    criteria4 = list(Criterion.objects.filter(plan=plan, sheet=4))
    leaning = {"1.1": 5, "1.2": 3, "1.3": 1, "2.1": 5, "2.2": 3}
    scores = []
    for scorer in scorers:
        for number, kpi in kpis.items():
            for criterion in criteria2:
                value = leaning[number] if rng.random() < 0.7 else rng.choice((5, 3, 1))
                scores.append(Score(criterion=criterion, scorer=scorer, kpi=kpi, value=value))
        for index, k in enumerate(knowledge):
            for criterion in criteria4:
                value = (5, 5, 3, 3)[index] if rng.random() < 0.7 else rng.choice((5, 3, 1))
                scores.append(Score(criterion=criterion, scorer=scorer, knowledge=k, value=value))
    Score.objects.bulk_create(scores)
    NeededKnowledge.objects.filter(pk__in=[knowledge[1].pk, knowledge[0].pk]).update(chosen=True)
    states = []
    for d_order, (text, unit, k_index) in enumerate(DESIRED):
        states.append(
            DesiredState.objects.create(
                plan=plan, order=d_order, text=text, unit=unit, knowledge=knowledge[k_index]
            )
        )
    a_order = 0
    for process, rows in ((Activity.Process.KM, KM_ACTIVITIES), (Activity.Process.CHANGE, CHANGE_ACTIVITIES)):
        for step, name, method, indicator, target, group, budget in rows:
            Activity.objects.create(
                plan=plan, desired_state=states[0] if a_order % 3 else states[1], knowledge=knowledge[1],
                process=process, step=step, order=a_order, name=name, method=method, start=start, end=end,
                indicator=indicator, target=target, target_group=group, responsible="ทีม KM โรงเรียน",
                budget=budget or None, status=Activity.Status.IN_PROGRESS if a_order < 4 else Activity.Status.PLANNED,
            )  # fmt: skip
            a_order += 1
    for year, level, text, status in (
        (fy - 1, "pilot", "ครูนำร่องชั้น ป.1 ทดลองใช้เทคนิคสอนอ่าน", "reached"),
        (fy, "unit", "ครู ป.1–ป.3 ทุกคนใช้เทคนิคสอนอ่าน", "in_progress"),
        (fy + 1, "unit_group", "ขยายผลสู่โรงเรียนในกลุ่มเครือข่าย", "planned"),
    ):
        Milestone.objects.create(plan=plan, year=year, level=level, description=text, status=status)
    # Submitted by the KM lead, reviewed by the CKO, approved by the CEO.
    now = timezone.now()
    steps = [
        (PlanEvent.Action.CREATED, people["pranee.k"], now - dt.timedelta(days=40)),
        (PlanEvent.Action.SUBMITTED, people["pranee.k"], now - dt.timedelta(days=20)),
        (PlanEvent.Action.REVIEWED, people["kannika.s"], now - dt.timedelta(days=15)),
        (PlanEvent.Action.APPROVED, people["wichai.p"], now - dt.timedelta(days=12)),
    ]
    for action, person, at in steps:
        event = PlanEvent.objects.create(plan=plan, action=action, actor=person)
        PlanEvent.objects.filter(pk=event.pk).update(at=at)
    plan.state = Plan.State.APPROVED
    plan.submitted_by, plan.submitted_at = people["pranee.k"], steps[1][2]
    plan.reviewed_by, plan.reviewed_at = people["kannika.s"], steps[2][2]
    plan.approved_by, plan.approved_at = people["wichai.p"], steps[3][2]
    plan.save()

    office = Organisation.objects.get(code=DRAFT_ORG)
    draft = _plan(office, fy)
    issue = StrategicIssue.objects.create(
        plan=draft, name="ส่งเสริมการอ่านออกเขียนได้ในโรงเรียนสังกัด", goal="โรงเรียนในสังกัดมีนักเรียนอ่านออกเขียนได้ทุกคน"
    )
    Kpi.objects.create(
        plan=draft, issue=issue, number="1", name="ร้อยละของโรงเรียนที่นักเรียน ป.1 อ่านออกทุกคน", target="ร้อยละ 85"
    )
    Kpi.objects.create(
        plan=draft,
        issue=issue,
        order=1,
        number="2",
        name="จำนวนเครือข่ายครูภาษาไทยที่ดำเนินการต่อเนื่อง",
        target="5 เครือข่าย",
    )
    PlanEvent.objects.create(plan=draft, action=PlanEvent.Action.CREATED, actor=people.get("natthapong.w"))
    return {"approved": plan, "draft": draft}
