"""The monitoring documents as `exports.document.Document`s: the 6/9/12-month progress report
(แบบรายงานผลการดำเนินงานตามแผนการจัดการความรู้) and the year-end KM summary. The evidence
pack that bundles them is in platu/tracking/pack.py.

The documents are Thai official forms: their wording is Thai whatever language the user reads
the site in. Choice labels (statuses, knowledge types) are read in Thai from the translations,
with the forms' own Thai where a label has no Thai translation yet.

A plan's rounds are its organisation's rounds of the fiscal year, whichever revision of the
plan they were opened on: an amended plan keeps the rounds reported before the amendment."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone, translation

from platu.exports.document import (
    Cell,
    Column,
    Document,
    Fields,
    Heading,
    Paragraph,
    Section,
    Signature,
    Signatures,
    Style,
    Sum,
    Table,
)
from platu.lib import thaidate
from platu.orgs.models import Organisation, Person, Role
from platu.planning.models import Activity, Plan
from platu.tracking import measures
from platu.tracking.models import Correction, Entry, Evidence, Round

FORMATS = ("pdf", "docx", "xlsx")
PROGRESS_TITLE = "แบบรายงานผลการดำเนินงานตามแผนการจัดการความรู้"
SUMMARY_TITLE = "รายงานสรุปผลการดำเนินงานการจัดการความรู้ประจำปี"
# The forms' own Thai, for labels the translations do not have in Thai yet.
STATUS_TH = {
    "planned": "ยังไม่เริ่ม",
    "in_progress": "กำลังดำเนินการ",
    "done": "ดำเนินการแล้ว",
    "late": "ล่าช้ากว่ากำหนด",
    "cancelled": "ยกเลิก",
}
ROUND_STATE_TH = {
    "open": "เปิดรับรายงานผล",
    "closed": "ผู้บริหารสูงสุดด้านการจัดการความรู้ (CKO) ปิดรอบแล้ว",
    "acknowledged": "ผู้บริหารสูงสุด (CEO) รับทราบแล้ว",
}
EVIDENCE_TH = {
    "file": "ไฟล์",
    "item": "องค์ความรู้ในคลังความรู้",
    "session": "กิจกรรมชุมชนนักปฏิบัติ",
    "link": "ลิงก์",
}
KIND_TH = {
    "story": "เรื่องเล่า",
    "aar": "การทบทวนหลังการปฏิบัติ (AAR)",
    "lesson": "ถอดบทเรียน",
    "best_practice": "แนวปฏิบัติที่ดี",
    "manual": "คู่มือปฏิบัติงาน",
    "article": "บทความ",
}
LEAD_TITLE = "หัวหน้าทีมจัดการความรู้"
CKO_TITLE = "ผู้บริหารสูงสุดด้านการจัดการความรู้ (CKO)"
CEO_TITLE = "ผู้บริหารสูงสุดของส่วนราชการ (CEO)"
_LATIN = re.compile("[A-Za-z]")


def thai_label(label: object, fallback: str) -> str:
    """A choice label in Thai: its translation, else the form's own Thai."""
    with translation.override("th"):
        text = str(label)
    return fallback if _LATIN.search(text) else text


def status_label(value: str) -> str:
    try:
        label: object = Entry.Status(value).label
    except ValueError:
        return STATUS_TH.get(value, value)
    return thai_label(label, STATUS_TH.get(value, value))


def kind_label(value: str) -> str:
    from platu.knowledge.models import Item

    try:
        label: object = Item.Kind(value).label
    except ValueError:
        return KIND_TH.get(value, value)
    return thai_label(label, KIND_TH.get(value, value))


def style_of(plan: Plan) -> Style:
    return Style(thai_digits=plan.organisation.thai_digits)


def _day(value: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(value).date() if value else None


def round_name(row: Round, style: Style) -> str:
    """ "รอบ 6 เดือน (1 ตุลาคม 2568 – 31 มีนาคม 2569)"."""
    return (
        f"รอบ {style.digits(row.months)} เดือน ({style.date(row.period_start)} – {style.date(row.period_end)})"
    )


def number_text(value: Decimal | int | float | None, style: Style) -> str:
    if value is None:
        return ""
    number = Decimal(value)
    return style.number(number, 0 if number == number.to_integral_value() else 2)


def activity_key(activity: Activity) -> tuple[int, int, int, int]:
    """Form 2's order: the KM process, then change management; by step, then row."""
    return (0 if activity.process == Activity.Process.KM else 1, activity.step, activity.order, activity.pk)


def rounds_of(plan: Plan) -> list[Round]:
    """The organisation's rounds of the plan's fiscal year, 6 then 9 then 12 months."""
    rows = (
        Round.objects.filter(plan__organisation_id=plan.organisation_id, plan__fiscal_year=plan.fiscal_year)
        .select_related("plan__organisation", "closed_by", "acknowledged_by")
        .order_by("months", "-plan__revision")
    )
    found: dict[int, Round] = {}
    for row in rows:
        found.setdefault(row.months, row)
    return list(found.values())


def entries_of(row: Round) -> list[Entry]:
    """The round's entries in Form 2's order with their evidence and corrections; an entry's
    place in this list is its activity's number in the reports and in the evidence pack."""
    entries = (
        Entry.objects.filter(round=row)
        .select_related("activity", "checked_by")
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.select_related("item", "session").order_by("added_at", "pk")),
            Prefetch("corrections", queryset=Correction.objects.select_related("by").order_by("number")),
        )
    )  # fmt: skip
    return sorted(entries, key=lambda e: activity_key(e.activity))


def _measure_unit(entry: Entry) -> str:
    measure = measures.get(str((entry.computed_detail or {}).get("measure", "")))
    return thai_label(measure.unit, "") if measure is not None else ""


def result_text(entry: Entry, style: Style) -> str:
    """What the activity achieved: the number with its unit and the words, then a computed
    indicator, marked as counted by Platu, or the value set by hand with its reason."""
    lines = []
    if entry.result_number is not None:
        lines.append(f"{number_text(entry.result_number, style)} {entry.result_unit}".strip())
    if entry.result_text.strip():
        lines.append(entry.result_text.strip())
    unit = _measure_unit(entry) or entry.result_unit
    if entry.override_value is not None:
        lines.append(
            f"{number_text(entry.override_value, style)} {unit}".strip()
            + f" (กำหนดค่าเอง เหตุผล: {entry.override_reason or '-'})"
        )
        if entry.computed_value is not None:
            lines.append(f"ค่าที่นับจากระบบ {number_text(entry.computed_value, style)} {unit}".strip())
    elif entry.computed_value is not None:
        lines.append(f"{number_text(entry.computed_value, style)} {unit}".strip() + " (นับจากระบบ)")
    return "\n".join(lines) or "-"


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def evidence_text(evidence: Evidence, style: Style) -> str:
    if evidence.kind == Evidence.Kind.ITEM:
        return f"ความรู้: {evidence.item.title if evidence.item else evidence.name}"
    if evidence.kind == Evidence.Kind.SESSION:
        session = evidence.session
        if session is None:
            return f"กิจกรรมชุมชน: {evidence.name}"
        return f"กิจกรรมชุมชน: {session.title} ({style.date(_day(session.starts_at), 'short')})"
    if evidence.kind == Evidence.Kind.LINK:
        return f"ลิงก์: {_shorten(evidence.name or evidence.url)}"
    return evidence.name or "-"


def summary_line(entries: list[Entry], style: Style) -> str:
    """ "กิจกรรมทั้งหมด n กิจกรรม ดำเนินการแล้ว x ... ความก้าวหน้าเฉลี่ยร้อยละ p"."""
    counts = Counter(e.status for e in entries)
    active = [e for e in entries if e.status != Entry.Status.CANCELLED]
    average = sum(e.percent for e in active) / len(active) if active else 0
    parts = [f"กิจกรรมทั้งหมด {style.digits(len(entries))} กิจกรรม"]
    for status in (Entry.Status.DONE, Entry.Status.IN_PROGRESS, Entry.Status.LATE):
        parts.append(f"{status_label(status)} {style.digits(counts[status])} กิจกรรม")
    for status in (Entry.Status.PLANNED, Entry.Status.CANCELLED):
        if counts[status]:
            parts.append(f"{status_label(status)} {style.digits(counts[status])} กิจกรรม")
    cancelled = " (ไม่นับกิจกรรมที่ยกเลิก)" if counts[Entry.Status.CANCELLED] else ""
    return "สรุป: " + " ".join(parts) + f" ความก้าวหน้าเฉลี่ยร้อยละ {style.number(average, 2)}{cancelled}"


def km_lead(org: Organisation) -> Person | None:
    return (
        Person.objects.filter(memberships__organisation=org, memberships__role_rows__role=Role.KM_LEAD)
        .order_by("pk")
        .first()
    )


def _signer(role: str, person: Person | None, at: dt.date | None, title: str, style: Style) -> Signature:
    return Signature(
        role,
        person.full_name if person else "",
        person.position if person else "",
        f"วันที่ {style.date(at)}" if at else "",
        title=title,
    )


def round_signatures(row: Round | None, entries: list[Entry], org: Organisation, style: Style) -> Signatures:
    """The reporter (the KM team lead, or whoever last checked the entries, on that day), the
    CKO who closed the round and the CEO who acknowledged it; dotted lines until they have."""
    checked = [e for e in entries if e.checked_at and e.checked_by]
    last = max(checked, key=lambda e: e.checked_at or timezone.now()) if checked else None
    reporter = last.checked_by if last else km_lead(org)
    closed = row is not None and row.state in (Round.State.CLOSED, Round.State.ACKNOWLEDGED)
    acknowledged = row is not None and row.state == Round.State.ACKNOWLEDGED
    return Signatures([
        _signer("ผู้รายงาน", reporter, _day(last.checked_at) if last else None, LEAD_TITLE, style),
        _signer("ผู้ตรวจสอบ", row.closed_by if row and closed else None,
                _day(row.closed_at) if row and closed else None, CKO_TITLE, style),
        _signer("ผู้รับทราบ", row.acknowledged_by if row and acknowledged else None,
                _day(row.acknowledged_at) if row and acknowledged else None, CEO_TITLE, style),
    ])  # fmt: skip


PROGRESS_COLUMNS = [
    Column("ลำดับ", 0.6, "center"), Column("กิจกรรม", 2.6), Column("ตัวชี้วัด", 1.6), Column("ค่าเป้าหมาย", 1.2),
    Column("ผลการดำเนินงาน", 2.4), Column("ร้อยละ", 0.8, "center"), Column("สถานะ", 1.2, "center"),
    Column("หลักฐาน", 2.2),
]  # fmt: skip


def progress_table(entries: list[Entry], style: Style) -> Table:
    rows = [
        [
            Cell(style.digits(n), align="center"), Cell(e.activity.name), Cell(e.activity.indicator or "-"),
            Cell(e.activity.target or "-"), Cell(result_text(e, style)), Cell(e.percent, align="center"),
            Cell(status_label(e.status), align="center"),
            Cell("\n".join(f"- {evidence_text(ev, style)}" for ev in e.evidence.all()) or "-"),
        ]
        for n, e in enumerate(entries, start=1)
    ]  # fmt: skip
    return Table(PROGRESS_COLUMNS, rows or [[Cell("—", colspan=len(PROGRESS_COLUMNS), align="center")]])


def _problem_blocks(entries: list[Entry], style: Style) -> list[Any]:
    blocks: list[Any] = [Heading("ปัญหา อุปสรรค แนวทางแก้ไข และการดำเนินการต่อไป", 2)]
    for n, e in enumerate(entries, start=1):
        if not (e.problems.strip() or e.solutions.strip() or e.next_steps.strip()):
            continue
        blocks.append(Paragraph(f"{style.digits(n)}. {e.activity.name}", bold=True))
        blocks.append(Fields([
            ("ปัญหาและอุปสรรค :", e.problems.strip() or "-"), ("แนวทางแก้ไข :", e.solutions.strip() or "-"),
            ("การดำเนินการต่อไป :", e.next_steps.strip() or "-"),
        ]))  # fmt: skip
    if len(blocks) == 1:
        blocks.append(Paragraph("ไม่มีปัญหาหรืออุปสรรคที่รายงานในรอบนี้", indent=True))
    return blocks


def _correction_blocks(entries: list[Entry], style: Style) -> list[Any]:
    rows = [
        [Cell(style.digits(n), align="center"), Cell(e.activity.name), Cell(style.digits(c.number), align="center"),
         Cell(style.date(_day(c.at), "short"), align="center"), Cell(c.by.full_name if c.by else "-"), Cell(c.reason)]
        for n, e in enumerate(entries, start=1) for c in e.corrections.all()
    ]  # fmt: skip
    if not rows:
        return []
    return [
        Heading("การแก้ไขรายงานหลังปิดรอบ", 2),
        Table([Column("ลำดับ", 0.6, "center"), Column("กิจกรรม", 2.6), Column("ครั้งที่", 0.7, "center"),
               Column("วันที่", 1.1, "center"), Column("ผู้แก้ไข", 1.8), Column("เหตุผล", 3)], rows),
    ]  # fmt: skip


def progress_document(row: Round) -> Document:
    """The 6/9/12-month progress report of one round."""
    plan = row.plan
    org = plan.organisation
    style = style_of(plan)
    entries = entries_of(row)
    blocks: list[Any] = [
        Heading(PROGRESS_TITLE, 1),
        Paragraph(f"{org.name_th} ประจำปีงบประมาณ {style.year(plan.fiscal_year)}", align="center", bold=True),
        Paragraph(round_name(row, style), align="center", bold=True),
        Fields([("สถานะของรอบ :", ROUND_STATE_TH.get(row.state, row.state)),
                ("กำหนดส่งรายงานผล :", style.date(row.due_date))]),
        progress_table(entries, style),
        Paragraph(summary_line(entries, style)),
        *_problem_blocks(entries, style),
        *_correction_blocks(entries, style),
    ]  # fmt: skip
    if row.ceo_comment.strip():
        blocks += [Heading("ความเห็นของผู้บริหาร", 2), Paragraph(row.ceo_comment.strip(), indent=True)]
    blocks.append(round_signatures(row, entries, org, style))
    return Document(
        title=f"{PROGRESS_TITLE} รอบ {row.months} เดือน {org.name_th} ปีงบประมาณ {style.year(plan.fiscal_year)}",
        filename=f"{org.code}-{plan.fiscal_year}-progress-{row.months}m",
        sections=[Section(blocks, landscape=True, name=f"รอบ {row.months} เดือน")],
        style=style,
        organisation=org.name_th,
        header_note=f"รายงานผลรอบ {row.months} เดือน",
    )


# -- the year-end summary -----------------------------------------------------------------------


def final_round(rounds: list[Round]) -> Round | None:
    """The 12-month round if there is one, else the latest."""
    return next((r for r in rounds if r.months == 12), rounds[-1] if rounds else None)


def _plan_blocks(plan: Plan, row: Round | None, entries: list[Entry], style: Style) -> list[Any]:
    blocks: list[Any] = [Heading("1. แผนและผลการดำเนินงาน", 2)]
    columns = [
        Column("ลำดับ", 0.6, "center"), Column("กิจกรรม", 2.6), Column("ระยะเวลา", 1.4, "center"),
        Column("ตัวชี้วัด", 1.6), Column("ค่าเป้าหมาย", 1.2), Column("ผลการดำเนินงาน", 2.4),
        Column("ร้อยละ", 0.8, "center"), Column("สถานะ", 1.2, "center"),
    ]  # fmt: skip
    if row is None:
        activities = sorted(plan.activities.all(), key=activity_key)
        blocks.append(Paragraph("ยังไม่มีการติดตามผลการดำเนินงานตามแผนในปีงบประมาณนี้", indent=True))
        rows = [
            [Cell(style.digits(n), align="center"), Cell(a.name), Cell(style.period(a.start, a.end), align="center"),
             Cell(a.indicator or "-"), Cell(a.target or "-"), Cell("-"), Cell("-", align="center"), Cell("-", align="center")]
            for n, a in enumerate(activities, start=1)
        ]  # fmt: skip
    else:
        blocks.append(Paragraph(f"ข้อมูลจากการติดตามผล{round_name(row, style)}", indent=True))
        rows = [
            [Cell(style.digits(n), align="center"), Cell(e.activity.name),
             Cell(style.period(e.activity.start, e.activity.end), align="center"), Cell(e.activity.indicator or "-"),
             Cell(e.activity.target or "-"), Cell(result_text(e, style)), Cell(e.percent, align="center"),
             Cell(status_label(e.status), align="center")]
            for n, e in enumerate(entries, start=1)
        ]  # fmt: skip
    blocks.append(Table(columns, rows or [[Cell("—", colspan=len(columns), align="center")]]))
    if row is not None:
        blocks.append(Paragraph(summary_line(entries, style)))
    return blocks


def _knowledge_blocks(scope: measures.Scope, style: Style) -> list[Any]:
    from platu.knowledge.measures import published_items

    items = list(published_items(scope).order_by("published_at", "pk").distinct())
    blocks: list[Any] = [
        Heading("2. องค์ความรู้ที่เกิดขึ้น", 2),
        Paragraph(f"องค์ความรู้ที่เผยแพร่ในคลังความรู้ในปีงบประมาณ {style.digits(len(items))} เรื่อง", indent=True),
    ]
    if not items:
        return blocks
    by_kind = Counter(i.kind for i in items)
    rows = [
        [Cell(kind_label(k)), Cell(n, align="right")]
        for k, n in sorted(by_kind.items(), key=lambda kv: -kv[1])
    ]
    rows.append([Cell("รวม", bold=True), Cell(Sum(len(items), 0, len(rows) - 1), bold=True, align="right")])
    blocks.append(
        Table([Column("ประเภท", 4), Column("จำนวน (เรื่อง)", 1.2, "right")], rows, sheet_name="องค์ความรู้")
    )
    blocks.append(
        Table(
            [Column("ลำดับ", 0.6, "center"), Column("ชื่อเรื่อง", 5), Column("ประเภท", 2), Column("วันที่เผยแพร่", 1.3, "center")],
            [[Cell(style.digits(n), align="center"), Cell(i.title), Cell(kind_label(i.kind)),
              Cell(style.date(_day(i.published_at), "short"), align="center")] for n, i in enumerate(items, start=1)],
            caption="รายชื่อองค์ความรู้ที่เผยแพร่", sheet_name="รายชื่อองค์ความรู้",
        )
    )  # fmt: skip
    return blocks


COMMUNITY_MEASURES = (
    ("communities.sessions", "การจัดกิจกรรมชุมชนนักปฏิบัติ", "ครั้ง"),
    ("communities.attendance", "การเข้าร่วมกิจกรรม", "คน-ครั้ง"),
    ("communities.participants", "ผู้เข้าร่วมกิจกรรม", "คน"),
    ("communities.hours", "ชั่วโมง PLC รวม", "ชั่วโมง"),
)


def _count(code: str, scope: measures.Scope) -> Decimal:
    counted = measures.compute(code, scope)
    return counted.value if counted is not None else Decimal(0)


def _community_blocks(scope: measures.Scope, style: Style) -> list[Any]:
    from platu.communities.models import Community, Session

    blocks: list[Any] = [Heading("3. กิจกรรมของชุมชนนักปฏิบัติ", 2)]
    totals = [[Cell(label), Cell(float(_count(code, scope)), align="right", places=2 if code.endswith("hours") else 0),
               Cell(unit)] for code, label, unit in COMMUNITY_MEASURES]  # fmt: skip
    blocks.append(Table([Column("รายการ", 4), Column("จำนวน", 1.2, "right"), Column("หน่วย", 1.2)], totals))
    held = measures.compute("communities.sessions", scope)
    ids = (
        set(Session.objects.filter(pk__in=held.ids).values_list("community_id", flat=True)) if held else set()
    )
    rows = []
    for community in sorted(Community.objects.filter(pk__in=ids), key=lambda c: c.name):
        one = measures.Scope(
            scope.organisation, scope.subtree, scope.start, scope.end, {"community": community.pk}
        )
        rows.append([
            Cell(community.name), Cell(float(_count("communities.sessions", one)), align="right"),
            Cell(float(_count("communities.participants", one)), align="right"),
            Cell(float(_count("communities.hours", one)), align="right", places=2),
        ])  # fmt: skip
    if rows:
        blocks.append(
            Table([Column("ชุมชนนักปฏิบัติ", 4), Column("จำนวนครั้ง", 1.1, "right"), Column("ผู้เข้าร่วม (คน)", 1.2, "right"),
                   Column("ชั่วโมง PLC", 1.1, "right")], rows, caption="แยกตามชุมชน", sheet_name="ชุมชน")
        )  # fmt: skip
    return blocks


def _lesson_blocks(entries: list[Entry], style: Style) -> list[Any]:
    blocks: list[Any] = [Heading("4. บทเรียนที่ได้รับ", 2)]
    for n, e in enumerate(entries, start=1):
        lines = [text for text in (e.result_text.strip(), e.next_steps.strip()) if text]
        if not lines:
            continue
        blocks.append(Paragraph(f"{style.digits(n)}. {e.activity.name}", bold=True))
        if e.result_text.strip():
            blocks.append(Fields([("ผลและสิ่งที่ได้เรียนรู้ :", e.result_text.strip())]))
        if e.next_steps.strip():
            blocks.append(Fields([("สิ่งที่จะทำต่อไป :", e.next_steps.strip())]))
    if len(blocks) == 1:
        blocks.append(Paragraph("-", indent=True))
    return blocks


def _problem_rows(rounds: list[Round], style: Style) -> list[list[Cell]]:
    """Each problem reported in any round, once per activity (the latest round's suggestion)."""
    found: dict[tuple[str, str], list[Any]] = {}
    for row in rounds:
        for e in entries_of(row):
            if e.problems.strip() or e.solutions.strip():
                key = (e.activity.name, e.problems.strip())
                found[key] = [
                    e.activity.name,
                    row.months,
                    e.problems.strip() or "-",
                    e.solutions.strip() or "-",
                ]
    return [
        [Cell(name), Cell(f"{style.digits(months)} เดือน", align="center"), Cell(problem), Cell(solution)]
        for name, months, problem, solution in found.values()
    ]


def year_end_document(plan: Plan) -> Document:
    """The year-end KM summary: what was planned and done, the knowledge produced, the
    communities' activity, lessons learned, problems and suggestions, and the signatures."""
    org = plan.organisation
    style = style_of(plan)
    rounds = rounds_of(plan)
    row = final_round(rounds)
    entries = entries_of(row) if row is not None else []
    start, end = thaidate.fiscal_year_bounds(plan.fiscal_year)
    scope = measures.Scope(org, False, start, end, {})
    head: list[Any] = [
        Heading(SUMMARY_TITLE, 1),
        Paragraph(f"{org.name_th} ประจำปีงบประมาณ {style.year(plan.fiscal_year)}", align="center", bold=True),
        Paragraph(f"({style.date(start)} – {style.date(end)})", align="center"),
    ]
    problems = _problem_rows(rounds, style)
    comments = [(r, r.ceo_comment.strip()) for r in rounds if r.ceo_comment.strip()]
    rest: list[Any] = [
        *_knowledge_blocks(scope, style),
        *_community_blocks(scope, style),
        *_lesson_blocks(entries, style),
        Heading("5. ปัญหา อุปสรรค และข้อเสนอแนะ", 2),
        Table([Column("กิจกรรม", 2.4), Column("รอบ", 0.9, "center"), Column("ปัญหาและอุปสรรค", 2.6),
               Column("แนวทางแก้ไขและข้อเสนอแนะ", 2.6)], problems, sheet_name="ปัญหาและข้อเสนอแนะ")
        if problems else Paragraph("ไม่มีปัญหาหรืออุปสรรคที่รายงาน", indent=True),
    ]  # fmt: skip
    if comments:
        rest.append(Heading("ความเห็นของผู้บริหาร", 2))
        rest += [Paragraph(f"รอบ {style.digits(r.months)} เดือน: {text}", indent=True) for r, text in comments]
    rest.append(round_signatures(row, entries, org, style))
    return Document(
        title=f"{SUMMARY_TITLE} {org.name_th} ปีงบประมาณ {style.year(plan.fiscal_year)}",
        filename=f"{org.code}-{plan.fiscal_year}-km-summary",
        sections=[
            Section(head + _plan_blocks(plan, row, entries, style), landscape=True, name="แผนและผล"),
            Section(rest, name="สรุปผล"),
        ],
        style=style,
        organisation=org.name_th,
        header_note="สรุปผลการจัดการความรู้ประจำปี",
    )


def render(doc: Document, fmt: str) -> bytes:
    from platu.exports import docx, pdf, xlsx

    return {"pdf": pdf.render, "docx": docx.render, "xlsx": xlsx.render}[fmt](doc)
