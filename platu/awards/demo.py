"""Demo data of the awards module (``platu_demo``): the demo school's award round of this fiscal
year, nominated, scored by its committee and announced with certificates; its KM role model is
forwarded to the district office's round, which is open for nominations. Idempotent."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from platu.awards import access, actions
from platu.awards.models import Award, Category, Criterion, Nomination, Programme
from platu.lib import thaidate
from platu.orgs.models import Organisation

SCHOOL_TITLE = "รางวัลครูต้นแบบและผลงานการจัดการความรู้ดีเด่น"
DISTRICT_TITLE = "รางวัลการจัดการความรู้ดีเด่น ระดับเขตพื้นที่การศึกษา"
CRITERIA = [
    ("สอดคล้องกับทิศทางและประเด็นยุทธศาสตร์ของโรงเรียน", 2),
    ("มีกระบวนการจัดการความรู้ที่ชัดเจนและเป็นระบบ", 2),
    ("เกิดผลลัพธ์ที่เป็นรูปธรรมต่อผู้เรียน", 3),
    ("นำไปใช้หรือขยายผลได้ในห้องเรียนอื่น", 2),
    ("มีการแบ่งปันและเผยแพร่อย่างต่อเนื่อง", 1),
]
STATEMENTS = {
    "person": "ครูธีรภัทรเป็นแกนนำวง PLC วิทยาศาสตร์ของโรงเรียน ชวนเพื่อนครูถอดบทเรียนการสอนแบบสะเต็มทุกเดือน "
    "บันทึกความรู้ลงคลังความรู้อย่างสม่ำเสมอ และเป็นพี่เลี้ยงให้ครูบรรจุใหม่สองคนจนจัดกิจกรรมทดลองได้เอง",
    "work": "ผลงานนี้รวบรวมวิธีการสอนที่ครูใช้ได้จริงในห้องเรียน ทดลองใช้ครบหนึ่งภาคเรียน นักเรียนมีผลการเรียนดีขึ้น "
    "และครูโรงเรียนใกล้เคียงขอนำไปใช้ต่อ",
    "work2": "บันทึกความรู้ชิ้นนี้เล่าขั้นตอนอย่างละเอียด พร้อมแบบฝึกที่ครูนำไปใช้ได้ทันที "
    "เหมาะสำหรับเผยแพร่ให้ครูในกลุ่มโรงเรียนได้เรียนรู้ร่วมกัน",
    "cop": "ชุมชนนักปฏิบัติของโรงเรียนพบกันสม่ำเสมอ มีการบันทึก AAR ทุกครั้ง "
    "และผลจากวงสนทนากลายเป็นความรู้ในคลังของโรงเรียนหลายเรื่อง",
}
# The committee's values (5/3/1) per nomination key, per member, criterion by criterion.
SCORES = {
    "person": {"pranee.k": [5, 5, 5, 3, 5], "natthapong.w": [5, 3, 5, 5, 3], "kannika.s": [5, 5, 3, 5, 5]},
    "work": {"pranee.k": [5, 3, 5, 3, 3], "natthapong.w": [3, 3, 5, 3, 3], "kannika.s": [5, 3, 3, 3, 1]},
    "work2": {"pranee.k": [3, 3, 3, 1, 3], "natthapong.w": [3, 1, 3, 3, 1], "kannika.s": [3, 3, 1, 3, 3]},
    "cop": {"pranee.k": [5, 5, 3, 3, 5], "natthapong.w": [5, 5, 5, 3, 3], "kannika.s": [3, 5, 5, 3, 3]},
}


def _photo() -> SimpleUploadedFile:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 320), (248, 244, 232))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 440, 280), outline=(156, 122, 28), width=6)
    for i in range(5):
        draw.ellipse((80 + i * 70, 140, 130 + i * 70, 190), fill=(61, 110, 170))
    out = io.BytesIO()
    image.save(out, "PNG")
    return SimpleUploadedFile("ภาพกิจกรรมวง PLC วิทยาศาสตร์.png", out.getvalue(), content_type="image/png")


def _dates(opened: int, closes: int, deadline: int) -> dict[str, dt.date]:
    today = timezone.localdate()
    return {
        "nominations_open": today + dt.timedelta(days=opened),
        "nominations_close": today + dt.timedelta(days=closes),
        "scoring_deadline": today + dt.timedelta(days=deadline),
    }


def _district(people: dict[str, Any], year: int) -> Programme | None:
    org = Organisation.objects.filter(code="snk-pesa1").first()
    lead = people.get("somporn.j")
    if org is None or lead is None or lead.user is None:
        return None
    row = Programme.objects.filter(organisation=org, title=DISTRICT_TITLE, fiscal_year=year).first()
    if row is not None:
        return row
    row = actions.create_programme(
        org,
        {"title": DISTRICT_TITLE, "fiscal_year": year, "level": Programme.Level.DISTRICT,
         "description": "คัดเลือกครู ผลงาน ชุมชนนักปฏิบัติ และนวัตกรรมด้านการจัดการความรู้ที่โดดเด่นของโรงเรียนในสังกัด "
                        "เพื่อยกย่องเชิดชูเกียรติและส่งต่อผลงานเด่นสู่เวทีระดับภาค",
         "scale": Programme.Scale.FIVE_THREE_ONE, **_dates(-5, 30, 50)},
        categories=[("work", 3), ("cop", 2), ("person", 3), ("innovation", 2)],
        criteria=[(n.replace("ของโรงเรียน", "ของเขตพื้นที่"), w) for n, w in CRITERIA],
        acting_user=lead.user,
    )  # fmt: skip
    members = [people[u] for u in ("somporn.j", "pimchanok.r") if u in people]
    chair = people.get("ampai.k") or lead
    actions.set_committee(row, members, chair, acting_user=lead.user)
    actions.open_programme(row, acting_user=lead.user)
    return row


def build(people: dict[str, Any]) -> None:
    school = Organisation.objects.filter(code="sch-nongbua").first()
    needed = ("pranee.k", "kannika.s", "natthapong.w", "wichai.p", "teerapat.n")
    if school is None or any(people.get(u) is None or people[u].user is None for u in needed):
        return
    year = thaidate.fiscal_year(timezone.localdate())
    district = _district(people, year)
    if Programme.objects.filter(organisation=school, title=SCHOOL_TITLE, fiscal_year=year).exists():
        return
    lead, chair = people["pranee.k"], people["kannika.s"]
    programme = actions.create_programme(
        school,
        {"title": SCHOOL_TITLE, "fiscal_year": year, "level": Programme.Level.SCHOOL,
         "description": "ยกย่องครูและผลงานที่นำการจัดการความรู้มาพัฒนาการเรียนการสอนอย่างเป็นรูปธรรม "
                        "ผู้ได้รับรางวัลชนะเลิศจะได้รับการเสนอชื่อเข้ารับการคัดเลือกในระดับเขตพื้นที่การศึกษา",
         "scale": Programme.Scale.FIVE_THREE_ONE, **_dates(-1, 10, 20)},
        categories=[("work", 1), ("cop", 1), ("person", 1)], criteria=CRITERIA, acting_user=lead.user,
    )  # fmt: skip
    actions.set_committee(programme, [lead, people["natthapong.w"]], chair, acting_user=lead.user)
    actions.open_programme(programme, acting_user=lead.user)
    categories = {c.kind: c for c in Category.objects.filter(programme=programme)}
    nominations: dict[str, Nomination] = {}
    teacher = people["teerapat.n"]
    nominations["person"] = actions.nominate(
        programme, categories["person"], "person", teacher, STATEMENTS["person"], files=[_photo()],
        acting_user=people["wichai.p"].user,
    )  # fmt: skip
    items = list(
        actions.eligible(programme, "item", teacher.user).exclude(owner__in=[lead, chair, people["natthapong.w"]])
        .order_by("pk")[:2]
    ) or list(actions.eligible(programme, "item", teacher.user).order_by("pk")[:2])  # fmt: skip
    for key, item in zip(("work", "work2"), items, strict=False):
        nominations[key] = actions.nominate(programme, categories["work"], "item", item, STATEMENTS[key],
                                            acting_user=teacher.user)  # fmt: skip
    community = actions.eligible(programme, "community", lead.user).order_by("pk").first()
    if community is not None:
        nominations["cop"] = actions.nominate(programme, categories["cop"], "community", community, STATEMENTS["cop"],
                                              acting_user=people["wichai.p"].user)  # fmt: skip
    for n in nominations.values():
        actions.review(n, True, acting_user=chair.user)
    # The round is over: nominations closed a month ago, the committee scored, the chair announced.
    Programme.objects.filter(pk=programme.pk).update(**_dates(-45, -30, -15))
    programme.refresh_from_db()
    actions.close_nominations(programme, acting_user=chair.user)
    criteria = list(Criterion.objects.filter(programme=programme))
    for key, n in nominations.items():
        for username, values in SCORES[key].items():
            member = people[username]
            if access.conflicted(member, n):
                continue
            actions.save_scores(programme, {(n.pk, c.pk): v for c, v in zip(criteria, values, strict=True)},
                                acting_user=member.user)  # fmt: skip
    actions.announce(programme, acting_user=chair.user)
    # The school's KM role model goes on to the district's round.
    award = Award.objects.filter(programme=programme, category__kind="person").first()
    if award is not None and district is not None:
        actions.forward(award, district, acting_user=lead.user)
