"""Demo data of the competency module (``platu_demo``): the district's framework for teachers
(inherited by its schools), the closed July cycle at Ban Nong Bua Thong School with self and
supervisor assessments and development needs, and the school's 3-year people-development plan
with its items, one of them put into next year's draft KM plan and one carried out through PLC
sessions of this year's plan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from platu.competency import actions
from platu.competency.models import (
    Assessment,
    Competency,
    Cycle,
    DevItem,
    DevPlan,
    Expectation,
    Framework,
    Level,
    Need,
    Push,
    Rating,
    Review,
)
from platu.lib import thaidate
from platu.orgs.models import Organisation

DISTRICT = "snk-pesa1"
SCHOOL = "sch-nongbua"

LEVELS = [
    (1, "ระดับเริ่มต้น", "รู้และเข้าใจหลักการ ปฏิบัติได้เมื่อมีผู้แนะนำ"),
    (2, "ระดับพัฒนา", "ปฏิบัติได้ด้วยตนเองในสถานการณ์ทั่วไป"),
    (3, "ระดับปฏิบัติได้ดี", "ปฏิบัติได้ดีสม่ำเสมอ ปรับใช้ให้เหมาะกับผู้เรียน"),
    (4, "ระดับชำนาญ", "ปฏิบัติได้ดีเยี่ยม แนะนำและช่วยเหลือเพื่อนครูได้"),
    (5, "ระดับเชี่ยวชาญ", "เป็นแบบอย่าง สร้างนวัตกรรมและขยายผลสู่เครือข่ายได้"),
]

# (kind, code, name, [(code, name)] children)
COMPETENCIES: list[tuple[str, str, str, list[tuple[str, str]]]] = [
    ("core", "1", "การมุ่งผลสัมฤทธิ์ในการปฏิบัติงาน", []),
    ("core", "2", "การบริการที่ดี", []),
    ("core", "3", "การพัฒนาตนเอง", []),
    ("core", "4", "การทำงานเป็นทีม", []),
    ("core", "5", "จริยธรรมและจรรยาบรรณวิชาชีพครู", []),
    ("functional", "6", "การบริหารหลักสูตรและการจัดการเรียนรู้", [
        ("6.1", "การสร้างและพัฒนาหลักสูตรสถานศึกษา"),
        ("6.2", "การออกแบบการเรียนรู้ที่เน้นผู้เรียนเป็นสำคัญ"),
        ("6.3", "การวัดและประเมินผลการเรียนรู้ตามสภาพจริง"),
    ]),
    ("functional", "7", "การพัฒนาผู้เรียน", []),
    ("functional", "8", "การบริหารจัดการชั้นเรียน", []),
    ("functional", "9", "การวิเคราะห์ สังเคราะห์ และการวิจัยเพื่อพัฒนาผู้เรียน", []),
    ("functional", "10", "การสร้างความร่วมมือกับชุมชนเพื่อการจัดการเรียนรู้", []),
    ("position", "11", "ภาวะผู้นำทางวิชาการของผู้บริหารสถานศึกษา", []),
]  # fmt: skip

FUNCTIONAL = ["6.1", "6.2", "6.3", "7", "8", "9", "10"]

# username: (self levels, supervisor levels) by code, for the teachers assessed
RATINGS: dict[str, tuple[dict[str, int], dict[str, int]]] = {
    "teerapat.n": (
        {
            "1": 3,
            "2": 4,
            "3": 3,
            "4": 4,
            "5": 4,
            "6.1": 2,
            "6.2": 3,
            "6.3": 2,
            "7": 3,
            "8": 2,
            "9": 2,
            "10": 3,
        },
        {
            "1": 3,
            "2": 3,
            "3": 3,
            "4": 3,
            "5": 4,
            "6.1": 2,
            "6.2": 2,
            "6.3": 2,
            "7": 3,
            "8": 2,
            "9": 1,
            "10": 3,
        },
    ),
    "pranee.k": (
        {
            "1": 4,
            "2": 4,
            "3": 4,
            "4": 4,
            "5": 4,
            "6.1": 3,
            "6.2": 4,
            "6.3": 3,
            "7": 3,
            "8": 3,
            "9": 2,
            "10": 3,
        },
        {
            "1": 4,
            "2": 3,
            "3": 4,
            "4": 4,
            "5": 4,
            "6.1": 3,
            "6.2": 3,
            "6.3": 2,
            "7": 3,
            "8": 3,
            "9": 2,
            "10": 3,
        },
    ),
    "kannika.s": (
        {
            "1": 4,
            "2": 4,
            "3": 4,
            "4": 4,
            "5": 5,
            "6.1": 4,
            "6.2": 4,
            "6.3": 4,
            "7": 4,
            "8": 4,
            "9": 3,
            "10": 4,
        },
        {
            "1": 4,
            "2": 4,
            "3": 4,
            "4": 4,
            "5": 5,
            "6.1": 4,
            "6.2": 4,
            "6.3": 3,
            "7": 4,
            "8": 4,
            "9": 3,
            "10": 4,
        },
    ),
}

NEEDS = {
    "teerapat.n": ("การวัดและประเมินผลตามสภาพจริงในวิชาวิทยาศาสตร์ และการจัดการชั้นเรียนที่มีนักเรียนหลายระดับ",
                   ["training", "coaching"], ["6.3", "8"]),
    "pranee.k": ("การทำวิจัยในชั้นเรียนเพื่อแก้ปัญหาการอ่าน และการเขียนรายงานผลการพัฒนา",
                 ["study_visit", "plc"], ["9"]),
    "kannika.s": ("การเป็นพี่เลี้ยงให้ครูรุ่นใหม่ (coaching and mentoring)", ["plc", "self_study"], ["9"]),
}  # fmt: skip


def _framework(district: Organisation, people: dict[str, Any]) -> tuple[Framework, dict[str, Competency]]:
    if not Cycle.objects.filter(framework__organisation=district).exists():  # rebuilt unless in use
        Framework.objects.filter(organisation=district).delete()
    fw = Framework.objects.filter(organisation=district, number=1).first()
    if fw is None:
        fw = Framework.objects.create(
            organisation=district, number=1, name="กรอบสมรรถนะครูและบุคลากรทางการศึกษา สพป.ศรีนครา เขต 1",
            description="สมรรถนะหลักและสมรรถนะประจำสายงานตามมาตรฐานตำแหน่งครู ใช้ประเมินทุกปีในเดือนกรกฎาคม "
                        "เพื่อจัดทำแผนพัฒนาทรัพยากรบุคคล 3 ปีของโรงเรียนในสังกัด",
            state=Framework.State.PUBLISHED, published_at=timezone.now() - dt.timedelta(days=200),
            published_by=people.get("chaiwat.s"),
        )  # fmt: skip
        for value, name, text in LEVELS:
            Level.objects.create(framework=fw, value=value, name=name, description=text)
        order = 0
        for kind, code, name, children in COMPETENCIES:
            order += 1
            parent = Competency.objects.create(framework=fw, kind=kind, code=code, name=name, order=order)
            for c_code, c_name in children:
                order += 1
                Competency.objects.create(
                    framework=fw, parent=parent, kind=kind, code=c_code, name=c_name, order=order
                )
        by_code = {c.code: c for c in Competency.objects.filter(framework=fw)}
        rows = [Expectation(framework=fw, position="", competency=by_code[c], level=3) for c in "12345"]
        for position, level in (("ครูผู้ช่วย", 2), ("ครู", 3), ("ครูชำนาญการพิเศษ", 4)):
            rows += [
                Expectation(framework=fw, position=position, competency=by_code[c], level=level)
                for c in FUNCTIONAL
            ]
        rows += [Expectation(framework=fw, position="ผู้อำนวยการ", competency=by_code["11"], level=4)]
        Expectation.objects.bulk_create(rows)
    return fw, {c.code: c for c in Competency.objects.filter(framework=fw)}


def build(people: dict[str, Any]) -> None:
    district = Organisation.objects.get(code=DISTRICT)
    school = Organisation.objects.get(code=SCHOOL)
    today = timezone.localdate()
    # The last July that is over: its cycle is closed.
    july = today.year if today.month >= 8 else today.year - 1
    year = thaidate.to_be(july)
    from platu.planning.models import Activity, Plan

    # A second run: the activities the demo's items put into draft KM plans go with the items.
    Activity.objects.filter(
        development_items__item__plan__organisation=school, plan__state__in=Plan.EDITABLE_STATES
    ).delete()
    DevPlan.objects.filter(organisation=school).delete()
    Cycle.objects.filter(organisation=school).delete()
    fw, by_code = _framework(district, people)

    cycle = Cycle.objects.create(
        organisation=school, year=year, framework=fw, opens_on=dt.date(july, 7, 1), closes_on=dt.date(july, 7, 31),
        state=Cycle.State.CLOSED, opened_by=people["wichai.p"],
        closed_at=timezone.make_aware(dt.datetime(july, 8, 1, 9, 0)),
    )  # fmt: skip
    handed_in = timezone.make_aware(dt.datetime(july, 7, 20, 15, 30))
    for username, (own, sup) in RATINGS.items():
        person = people[username]
        for kind, levels, assessor, note in (
            (Assessment.Kind.SELF, own, person, "ประเมินตามหลักฐานการสอนและผลงานในปีที่ผ่านมา"),
            (Assessment.Kind.SUPERVISOR, sup, people["wichai.p"], "ได้พูดคุยผลการประเมินร่วมกันแล้ว"),
        ):
            a = Assessment.objects.create(cycle=cycle, person=person, kind=kind, assessor=assessor, comment=note,
                                          submitted_at=handed_in)  # fmt: skip
            Rating.objects.bulk_create(
                Rating(assessment=a, competency=by_code[c], level=v) for c, v in levels.items()
            )
        topics, ways, codes = NEEDS[username]
        need = Need.objects.create(cycle=cycle, person=person, topics=topics, ways=ways)
        need.competencies.set([by_code[c] for c in codes])

    # The 3-year plan from the cycle's gaps, for the fiscal years after the July cycle.
    first = year + 1
    plan = DevPlan.objects.create(organisation=school, first_year=first, cycle=cycle, created_by=people["pranee.k"],
                                  title=f"แผนพัฒนาทรัพยากรบุคคล 3 ปี โรงเรียนบ้านหนองบัวทอง ({first}–{first + 2})")  # fmt: skip
    items = [
        ("อบรมเชิงปฏิบัติการการวัดและประเมินผลตามสภาพจริง", "training", ["6.3"], ["teerapat.n", "pranee.k"], "",
         [first, first + 1], Decimal(12), Decimal(8000), "วิทยากรจากสำนักงานเขตพื้นที่ ฝึกสร้างเกณฑ์การให้คะแนน (rubric) จากงานจริงของนักเรียน"),
        ("ชุมชนการเรียนรู้ทางวิชาชีพ การออกแบบการเรียนรู้เชิงรุก", "plc", ["6.2"], [], "ครู",
         [first, first + 1, first + 2], Decimal(20), None, "วง PLC เดือนละครั้ง เปิดชั้นเรียนและสะท้อนผลร่วมกัน"),
        ("ศึกษาดูงานโรงเรียนต้นแบบการวิจัยในชั้นเรียน", "study_visit", ["9"], ["pranee.k", "teerapat.n", "kannika.s"], "",
         [first + 1], Decimal(8), Decimal(15000), "ศึกษาดูงานหนึ่งวันและนำเสนอสิ่งที่ได้เรียนรู้ในวง PLC"),
        ("ครูพี่เลี้ยงโค้ชการจัดการชั้นเรียนคละชั้น", "coaching", ["8"], ["teerapat.n"], "",
         [first], Decimal(10), None, "ครูกรรณิการ์เป็นพี่เลี้ยง สังเกตการสอนเดือนละครั้ง"),
    ]  # fmt: skip
    made = []
    for order, (title, way, codes, names, positions, years, hours, budget, note) in enumerate(items):
        item = DevItem.objects.create(plan=plan, order=order, title=title, way=way, positions=positions, years=years,
                                      hours=hours, budget=budget, note=note)  # fmt: skip
        item.competencies.set([by_code[c] for c in codes])
        item.people.set([people[n] for n in names])
        made.append(item)
    Review.objects.create(plan=plan, year=first, reviewed_by=people["wichai.p"], reviewed_at=timezone.now(),
                          note="ทบทวนแผนต้นปีงบประมาณ: คงรายการเดิม เพิ่มชั่วโมง PLC ให้ครูที่ยังมีส่วนขาดด้านการออกแบบการเรียนรู้")  # fmt: skip
    _pushes(school, made, people, first)


def _pushes(school: Organisation, items: list[DevItem], people: dict[str, Any], first: int) -> None:
    from platu.planning import actions as plan_actions
    from platu.planning.models import Activity, Plan

    # The PLC item was put into this year's KM plan while it was a draft: its sessions count.
    current = Plan.objects.filter(organisation=school, fiscal_year=first).order_by("-revision").first()
    if current is not None:
        activity = (
            Activity.objects.filter(plan=current, name__contains="ชุมชน").order_by("order", "pk").first()
            or Activity.objects.filter(plan=current).order_by("order", "pk").first()
        )
        if activity is not None:
            Push.objects.create(
                item=items[1], fiscal_year=first, activity=activity, pushed_by=people["pranee.k"]
            )
            if not activity.sessions.exists():  # the school's PLC sessions of the year carried it out
                from platu.communities.models import Session

                start, end = thaidate.fiscal_year_bounds(first)
                activity.sessions.add(*Session.objects.filter(
                    community__organisation=school, state=Session.State.HELD,
                    starts_at__date__gte=start, starts_at__date__lte=end,
                ))  # fmt: skip
    # The study visit goes into next year's KM plan, which the KM lead has started as a draft.
    lead = people["pranee.k"].user
    nxt = Plan.objects.filter(organisation=school, fiscal_year=first + 1).order_by("-revision").first()
    if nxt is None:
        nxt = plan_actions.start_plan(school, first + 1, acting_user=lead)
    if nxt.is_editable:
        actions.push(items[2], first + 1, acting_user=lead)
