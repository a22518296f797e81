"""Demo monitoring (``platu_demo``): the demo school's approved plan has its 6-month round
entered by the responsible teachers with evidence (a community session, a knowledge item, a
photo), checked by the KM lead and closed by the CKO; it waits for the CEO's acknowledgement.
Two indicators count themselves (sessions held, knowledge published). Idempotent."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from platu.orgs.models import Person
from platu.planning.models import Activity, Plan
from platu.tracking import actions
from platu.tracking.models import ActivityOwner, Binding, Entry, Evidence, Round

# By activity (the demo plan's Form 2): status, percent, number, unit, text, problems, solutions, next steps.
ENTRIES = {
    "สำรวจความรู้ที่ครูต้นแบบการสอนอ่านมีอยู่": (
        "done",
        100,
        Decimal(1),
        "ชุด",
        "ได้รายการความรู้การสอนอ่านจากครูต้นแบบ 5 คน",
        "",
        "",
        "",
    ),
    "ถอดบทเรียนครูต้นแบบการสอนอ่าน": (
        "in_progress",
        60,
        None,
        "เรื่อง",
        "ถอดบทเรียนในวงเล่าเรื่องแล้ว 2 ครั้ง",
        "ครูติดภารกิจสอบปลายภาค",
        "ย้ายวงถอดบทเรียนไปช่วงเย็นวันพุธ",
        "ถอดบทเรียนเรื่องที่ 3 ในเดือนหน้า",
    ),
    "ศึกษาดูงานโรงเรียนที่สอนอ่านได้ผลดี": (
        "planned",
        0,
        None,
        "คน",
        "",
        "",
        "",
        "ประสานโรงเรียนต้นแบบเพื่อนัดวันศึกษาดูงาน",
    ),
    "ชุมชนนักปฏิบัติการสอนอ่านประจำเดือน": (
        "in_progress",
        50,
        None,
        "ครั้ง",
        "จัดวง PLC ภาษาไทยทุกสัปดาห์ มีบันทึกกิจกรรมครบ",
        "",
        "",
        "ชวนครู ป.3 เข้าร่วมเพิ่ม",
    ),
    "ผู้บริหารประกาศนโยบายโรงเรียนแห่งการอ่าน": (
        "done",
        100,
        Decimal(1),
        "ฉบับ",
        "ประกาศนโยบายในการประชุมครูแล้ว",
        "",
        "",
        "",
    ),
}
DEFAULT_ENTRY = (
    "in_progress",
    30,
    None,
    "",
    "เริ่มดำเนินการตามแผนแล้ว",
    "สื่อยังไม่ครบ",
    "ขอสนับสนุนงบจัดทำบัตรคำ",
    "จัดทำสื่อให้ครบทุกห้อง",
)
BINDINGS = {  # activity → what Platu counts for its indicator
    "ถอดบทเรียนครูต้นแบบการสอนอ่าน": "knowledge.published",
    "ชุมชนนักปฏิบัติการสอนอ่านประจำเดือน": "communities.sessions",
    "เผยแพร่คู่มือในระบบและกลุ่มไลน์ของโรงเรียน": "knowledge.views",
}  # fmt: skip


def _photo() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 320), (236, 242, 248))
    draw = ImageDraw.Draw(image)
    for i, height in enumerate((80, 140, 200, 250)):
        draw.rectangle((50 + i * 100, 290 - height, 120 + i * 100, 290), fill=(61, 110, 170))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def build(people: dict[str, Person], plan: Plan) -> Round | None:
    if plan.state != Plan.State.APPROVED or Round.objects.filter(plan=plan).exists():
        return None
    lead, cko, teachers = (
        people["pranee.k"],
        people["kannika.s"],
        [people["teerapat.n"], people["natthapong.w"]],
    )
    activities = list(Activity.objects.filter(plan=plan).order_by("process", "step", "order", "pk"))
    for i, activity in enumerate(activities):
        ActivityOwner.objects.get_or_create(activity=activity, person=teachers[i % 2])
    start, end = actions.period(plan.fiscal_year, 6)
    row = Round.objects.create(plan=plan, months=6, period_start=start, period_end=end,
                               due_date=end + dt.timedelta(days=15), opened_by=lead)  # fmt: skip
    Entry.objects.bulk_create(Entry(round=row, activity=a) for a in activities)
    for activity in activities:
        if activity.name in BINDINGS:
            Binding.objects.get_or_create(activity=activity, defaults={"measure": BINDINGS[activity.name]})
    from platu.communities.models import Session
    from platu.knowledge.models import Item

    session = Session.objects.filter(
        community__organisation=plan.organisation, attendance__isnull=False
    ).first()
    item = (Item.objects.filter(organisation=plan.organisation, state="published", kind__in=["lesson", "aar", "story"])
            .order_by("pk").first())  # fmt: skip
    now = timezone.now()
    for i, entry in enumerate(Entry.objects.filter(round=row).select_related("activity")):
        name = entry.activity.name
        status, percent, number, unit, text, problems, solutions, next_steps = ENTRIES.get(
            name, DEFAULT_ENTRY
        )
        Entry.objects.filter(pk=entry.pk).update(
            status=status, percent=percent, result_number=number, result_unit=unit, result_text=text,
            problems=problems, solutions=solutions, next_steps=next_steps, entered_by=teachers[i % 2],
            checked_by=lead if i < 4 else None, checked_at=now - dt.timedelta(days=2) if i < 4 else None, version=2,
        )  # fmt: skip
        if i == 0 and session is not None:
            Evidence.objects.create(
                entry=entry, kind=Evidence.Kind.SESSION, session=session, name=session.title[:200]
            )
        if i in (1, 2) and item is not None:
            Evidence.objects.create(entry=entry, kind=Evidence.Kind.ITEM, item=item, name=item.title[:200])
        if i == 1:
            data = _photo()
            ev = Evidence(entry=entry, kind=Evidence.Kind.FILE, name="ภาพวงถอดบทเรียน.png", content_type="image/png",
                          size=len(data), sha256=hashlib.sha256(data).hexdigest(), note="บรรยากาศวงถอดบทเรียน")  # fmt: skip
            ev.file.save(ev.uid.hex, ContentFile(data), save=False)
            ev.save()
    # The CKO closes it (counting the bound indicators); it waits for the CEO.
    user = cko.user
    if user is not None:
        actions.close_round(row, acting_user=user)
    return row
