"""Demo communities (``platu_demo``): a school's PLC with a weekly series (past sessions with
attendance and a signed record that became knowledge, upcoming ones), the district office's
network CoP across its schools, and another school's CoP. Written with the ORM, like the rest of
the demo; dates follow today's, so the calendar always has something. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from platu.communities.models import Attendance, Community, Member, Series, Session, SessionRecord
from platu.orgs.models import Organisation, Person

R = Member.Role
COMMUNITIES = [
    ("sch-nongbua", "PLC ครูภาษาไทยชั้น ป.1–3", Community.Kind.PLC, Community.Visibility.ORGANISATION,
     "ยกระดับการอ่านออกเขียนได้ของนักเรียนชั้น ป.1–3 ด้วยการวิเคราะห์ปัญหาผู้เรียนร่วมกันและทดลองสอนแบบ Lesson Study",
     [("pranee.k", R.FACILITATOR), ("natthapong.w", R.NOTE_TAKER), ("teerapat.n", R.PRACTITIONER),
      ("kannika.s", R.MODEL_TEACHER), ("wichai.p", R.ENABLER)],
     Series.Rule.WEEKLY, 2, dt.time(15, 30), dt.time(16, 30), "ห้องประชุมวิชาการ อาคาร 2", "วง PLC ภาษาไทย"),
    ("snk-pesa1", "เครือข่ายครูภาษาไทย สพป.ศรีนครา เขต 1", Community.Kind.NETWORK, Community.Visibility.NETWORK,
     "แลกเปลี่ยนเทคนิคการสอนอ่านระหว่างโรงเรียนในสังกัด และรวบรวมเป็นคลังความรู้ของเขตพื้นที่",
     [("somporn.j", R.FACILITATOR), ("pimchanok.r", R.NOTE_TAKER), ("pranee.k", R.PRACTITIONER),
      ("duangjai.p", R.PRACTITIONER), ("siriporn.y", R.PRACTITIONER), ("jakkrit.h", R.PRACTITIONER),
      ("chaiwat.s", R.ENABLER)],
     Series.Rule.MONTHLY, 4, dt.time(13, 0), dt.time(16, 0), "ห้องประชุม สพป.ศรีนครา เขต 1 / ออนไลน์", "เวทีเครือข่ายครูภาษาไทย"),
    ("sch-anuban", "ชุมชนครูคณิตศาสตร์ร่วมใจ", Community.Kind.COP, Community.Visibility.ORGANISATION,
     "พัฒนาสื่อและกิจกรรมคณิตศาสตร์ที่ลงมือทำจริง แบ่งปันแผนการสอนที่ได้ผล",
     [("siriporn.y", R.FACILITATOR), ("kanokwan.t", R.NOTE_TAKER), ("jakkrit.h", R.PRACTITIONER),
      ("patcharee.w", R.ENABLER)],
     Series.Rule.FORTNIGHTLY, 3, dt.time(15, 0), dt.time(16, 30), "ห้องคณิตศาสตร์", "วงครูคณิต"),
]  # fmt: skip


def _step(day: dt.date, rule: str, n: int) -> dt.date:
    if rule == Series.Rule.MONTHLY:
        month = day.month - 1 + n
        return dt.date(day.year + month // 12, month % 12 + 1, min(day.day, 28))
    return day + dt.timedelta(days=7 * n * (2 if rule == Series.Rule.FORTNIGHTLY else 1))


def build(people: dict[str, Person]) -> list[Community]:
    today = timezone.localdate()
    made = []
    for (
        code,
        name,
        kind,
        visibility,
        purpose,
        members,
        rule,
        weekday,
        start,
        end,
        place,
        title,
    ) in COMMUNITIES:
        org = Organisation.objects.get(code=code)
        community, created = Community.objects.get_or_create(
            organisation=org, name=name,
            defaults={"kind": kind, "visibility": visibility, "purpose": purpose,
                      "network_path": org.network_path},
        )  # fmt: skip
        made.append(community)
        for username, role in members:
            Member.objects.update_or_create(
                community=community,
                person=people[username],
                defaults={"role": role, "state": Member.State.MEMBER},
            )
        if not created:
            continue
        first = today - dt.timedelta(days=(today.weekday() - weekday) % 7) - dt.timedelta(weeks=6)
        if rule == Series.Rule.MONTHLY:
            first = (today.replace(day=1) - dt.timedelta(days=70)).replace(day=15)
        days = [_step(first, rule, n) for n in range(12)]
        days = [d for d in days if d <= today + dt.timedelta(days=60)]
        series = Series.objects.create(community=community, rule=rule, until=days[-1])
        attendees = [people[u] for u, role in members if role != R.ENABLER]
        for i, day in enumerate(days):
            starts = timezone.make_aware(dt.datetime.combine(day, start))
            ends = timezone.make_aware(dt.datetime.combine(day, end))
            past = ends < timezone.now()
            session = Session.objects.create(
                community=community, series=series, title=f"{title} ครั้งที่ {i + 1}", starts_at=starts, ends_at=ends,
                place=place, agenda="ทบทวนผลการทดลองสอน · วิเคราะห์งานนักเรียน · วางแผนครั้งต่อไป",
                state=Session.State.HELD if past else Session.State.SCHEDULED,
            )  # fmt: skip
            if not past:
                continue
            came = attendees if i % 3 else attendees[:-1]  # someone misses every third session
            Attendance.objects.bulk_create(
                Attendance(session=session, person=p, hours=session.hours) for p in came
            )
            if i == 0:
                enabler = next((people[u] for u, role in members if role == R.ENABLER), None)
                record = SessionRecord.objects.create(
                    session=session, written_by=people[members[1][0]], signed_by=enabler, signed_at=ends,
                    topic="นักเรียนกลุ่มหนึ่งอ่านสะกดคำที่มีตัวสะกดไม่ตรงมาตราไม่ได้",
                    activities="ครูต้นแบบสาธิตการใช้บัตรคำแจกลูก สมาชิกสังเกตชั้นเรียนและบันทึกพฤติกรรมนักเรียน",
                    results="นักเรียน 8 ใน 12 คนอ่านคำในบัตรได้ถูกต้องหลังฝึก 2 สัปดาห์",
                    reflection="การฝึกสั้น ๆ ทุกวันได้ผลกว่าการฝึกยาวสัปดาห์ละครั้ง",
                    keep="ใช้บัตรคำแจกลูกทุกเช้า 10 นาที", improve="เพิ่มเกมทายคำให้นักเรียนที่อ่านได้แล้ว",
                    aar_expected="นักเรียนทุกคนอ่านคำที่ฝึกได้", aar_happened="อ่านได้ 8 ใน 12 คน",
                    aar_why="นักเรียน 4 คนขาดเรียนบ่อยในช่วงเก็บเกี่ยว",
                    aar_next="ส่งบัตรคำกลับบ้านให้ผู้ปกครองช่วยฝึก และติดตามผลในวง PLC ครั้งถัดไป",
                    minutes="<p>ประชุมเริ่มเวลา 15.30 น. ครูต้นแบบสาธิต 20 นาที สมาชิกอภิปรายและวางแผนร่วมกัน</p>",
                )  # fmt: skip
                from platu.knowledge.models import Item

                aar = Item.objects.filter(organisation=org, kind="aar").order_by("pk").first()
                if aar is not None:
                    record.items.add(aar)
                _photo(session)
    _hours(people)
    from platu.communities import demo_events, demo_space

    demo_space.build(made, people)
    demo_events.build(people)
    return made


def _photo(session: Session) -> None:
    """A photo of the session's board (drawn, not a real photo) kept with its record."""
    import hashlib
    import io

    from django.core.files.base import ContentFile
    from PIL import Image, ImageDraw

    from platu.communities.models import RecordFile

    image = Image.new("RGB", (640, 400), (244, 240, 228))
    draw = ImageDraw.Draw(image)
    for i, colour in enumerate([(214, 96, 77), (241, 163, 64), (92, 158, 173), (95, 160, 110)]):
        draw.rectangle((60 + i * 140, 360 - (i + 2) * 45, 160 + i * 140, 360), fill=colour)
    draw.line((40, 360, 600, 360), fill=(60, 60, 60), width=3)
    out = io.BytesIO()
    image.save(out, "PNG")
    data = out.getvalue()
    row = RecordFile(session=session, name="กระดานสรุปผลการอ่าน.png", content_type="image/png", size=len(data),
                     sha256=hashlib.sha256(data).hexdigest())  # fmt: skip
    row.file.save(row.uid.hex, ContentFile(data), save=False)
    row.save()


def _hours(people: dict[str, Person]) -> None:
    """The school's principal approves a teacher's hours of the last academic term; the
    municipal school sets its own minimum."""
    from decimal import Decimal

    from platu.communities import records
    from platu.communities.models import HoursPolicy, TermApproval
    from platu.lib import thaidate

    org = Organisation.objects.get(code="sch-nongbua")
    teacher = people["teerapat.n"]
    year, term = thaidate.academic_term(timezone.localdate())
    if not TermApproval.objects.filter(person=teacher).exists():
        TermApproval.objects.create(
            organisation=org, person=teacher, academic_year=year, term=term,
            hours=records.term_hours(teacher, year, term), approved_by=people["wichai.p"],
            approved_at=timezone.now(),  # after the demo's attendance was recorded: it covers it
        )  # fmt: skip
    HoursPolicy.objects.get_or_create(
        organisation=Organisation.objects.get(code="sch-anuban"), defaults={"minimum_hours": Decimal(40)}
    )
