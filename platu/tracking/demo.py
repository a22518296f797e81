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

ENTRIES = [  # status, percent, number, unit, text, problems, solutions, next steps
    ("done", 100, None, "", "ครูต้นแบบ 3 คนเล่าเรื่องการสอนอ่านในวง PLC และสรุปเป็นบทเรียนแล้ว", "", "",
     "ขยายผลให้ครู ป.2–3"),
    ("in_progress", 60, Decimal(2), "เรื่อง", "ถอดบทเรียนได้ 2 จาก 3 เรื่อง", "ครูติดภารกิจสอบปลายภาค",
     "ย้ายวงถอดบทเรียนไปช่วงเย็นวันพุธ", "ถอดบทเรียนเรื่องที่ 3 ในเดือนหน้า"),
    ("in_progress", 40, None, "", "รวบรวมแบบฝึกเข้าคลังความรู้แล้วบางส่วน", "", "", "ตรวจทานก่อนเผยแพร่"),
    ("late", 20, None, "", "เริ่มทดลองใช้ในชั้น ป.1 ห้องเดียว", "สื่อยังไม่ครบ", "ขอสนับสนุนงบจัดทำบัตรคำ",
     "จัดทำบัตรคำให้ครบทุกห้อง"),
]  # fmt: skip


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
    Binding.objects.get_or_create(activity=activities[0], defaults={"measure": "communities.sessions"})
    if len(activities) > 2:
        Binding.objects.get_or_create(activity=activities[2], defaults={"measure": "knowledge.published"})
    from platu.communities.models import Session
    from platu.knowledge.models import Item

    session = Session.objects.filter(
        community__organisation=plan.organisation, attendance__isnull=False
    ).first()
    item = Item.objects.filter(organisation=plan.organisation, state="published").order_by("pk").first()
    now = timezone.now()
    for i, entry in enumerate(Entry.objects.filter(round=row).select_related("activity")):
        status, percent, number, unit, text, problems, solutions, next_steps = ENTRIES[i % len(ENTRIES)]
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
