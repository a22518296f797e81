"""The plan's official documents (seeds 003 and 004) as `exports.document.Document`s: the
worksheets, the sufficiency form, the KM action plan (Form 2) and the whole booklet.

The documents are Thai official forms: their headings are the forms' own Thai wording, whatever
language the user reads the site in."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from pythainlp.util import bahttext

from platu.exports.document import (
    Average,
    Cell,
    Column,
    Contents,
    Cover,
    Document,
    Fields,
    Heading,
    Paragraph,
    Rank,
    Section,
    Signature,
    Signatures,
    Style,
    Sum,
    Table,
)
from platu.orgs import documents as team_documents
from platu.orgs.models import Team
from platu.planning import scoring
from platu.planning.models import CHANGE_STEPS, KM_STEPS, Activity, Plan

DOCUMENTS = ("worksheet1", "worksheet2", "worksheet3", "worksheet4", "sufficiency", "action-plan", "booklet")
# Worksheets 5 and 6 print the organisation's KM teams (platu/orgs/documents.py); a plan prints
# them too, with its own strategic issues.
TEAM_DOCUMENTS = ("worksheet5", "worksheet6")
FORMATS = ("pdf", "docx", "xlsx")
KM_PROCESS_TH = "กระบวนการจัดการความรู้ (KM Process)"
CHANGE_PROCESS_TH = "กระบวนการบริหารจัดการการเปลี่ยนแปลง (Change Management Process)"
# The steps as the printed forms name them.
KM_STEPS_TH = {
    1: "การบ่งชี้ความรู้",
    2: "การสร้างและแสวงหาความรู้",
    3: "การจัดความรู้ให้เป็นระบบ",
    4: "การประมวลและกลั่นกรองความรู้",
    5: "การเข้าถึงความรู้",
    6: "การแบ่งปันแลกเปลี่ยนความรู้",
    7: "การเรียนรู้",
}
CHANGE_STEPS_TH = {
    1: "การเตรียมการและปรับเปลี่ยนพฤติกรรม",
    2: "การสื่อสาร",
    3: "กระบวนการและเครื่องมือ",
    4: "การเรียนรู้",
    5: "การวัดผล",
    6: "การยกย่องชมเชยและการให้รางวัล",
}
STATUS_TH = {"planned": "ยังไม่เริ่ม", "in_progress": "กำลังดำเนินการ", "done": "ดำเนินการแล้ว", "cancelled": "ยกเลิก"}
LEVEL_TH = {
    "pilot": "กลุ่มนำร่อง",
    "unit": "ระดับหน่วยงาน",
    "unit_group": "ระดับกลุ่มหน่วยงาน",
    "organisation": "ทั้งองค์กร",
    "national": "ระดับประเทศ",
}
MILESTONE_STATUS_TH = {
    "planned": "ตามแผน",
    "in_progress": "กำลังดำเนินการ",
    "reached": "บรรลุแล้ว",
    "dropped": "ยกเลิก",
}
# What the booklet says about the two processes (Platu's own summary of the public KM model).
KM_PROCESS_TEXT = {
    1: "พิจารณาว่างานตามวิสัยทัศน์ พันธกิจ และเป้าหมายขององค์กรต้องใช้ความรู้อะไร ความรู้นั้นอยู่ที่ใคร อยู่ในรูปแบบใด",
    2: "สร้างความรู้ใหม่ แสวงหาความรู้จากภายนอก และรักษาความรู้เดิมไว้ไม่ให้สูญหายไปกับคน",
    3: "วางโครงสร้างและหมวดหมู่ของความรู้ เพื่อให้เก็บและค้นคืนได้อย่างเป็นระบบ",
    4: "ปรับรูปแบบและภาษาของเอกสารให้เป็นมาตรฐาน ตรวจความถูกต้อง และทำให้เนื้อหาครบถ้วนทันสมัย",
    5: "ทำให้ผู้ใช้เข้าถึงความรู้ที่ต้องการได้สะดวก ในเวลาที่ต้องการ ผ่านระบบที่ใช้ร่วมกัน",
    6: "แลกเปลี่ยนความรู้ทั้งแบบเอกสารและแบบพบปะ เช่น ชุมชนนักปฏิบัติ การสอนงาน และเวทีถอดบทเรียน",
    7: "นำความรู้ไปใช้ในงานจริง เกิดความรู้ใหม่ และหมุนเวียนเป็นวงจรการเรียนรู้ขององค์กร",
}
CHANGE_PROCESS_TEXT = {
    1: "ผู้บริหารแสดงการสนับสนุนอย่างเห็นได้ชัด จัดโครงสร้าง ทีมงาน และปัจจัยพื้นฐานให้พร้อม",
    2: "สื่อสารให้ทุกคนเข้าใจว่าองค์กรจะทำอะไร ได้ประโยชน์อย่างไร และแต่ละคนมีส่วนร่วมได้อย่างไร",
    3: "เลือกกระบวนการและเครื่องมือที่เหมาะกับงานและผู้ใช้ ให้ค้นหาและแลกเปลี่ยนความรู้ได้ง่าย",
    4: "สร้างความเข้าใจในหลักการจัดการความรู้ด้วยการเรียนรู้ที่เหมาะกับกลุ่มเป้าหมาย",
    5: "วัดผลทั้งระบบ ผลลัพธ์ และประโยชน์ที่เกิดขึ้น เพื่อปรับปรุงการดำเนินงาน",
    6: "ยกย่องชมเชยและให้รางวัลเพื่อสร้างแรงจูงใจและการมีส่วนร่วมของบุคลากรทุกระดับ",
}


def style_of(plan: Plan) -> Style:
    return Style(thai_digits=plan.organisation.thai_digits)


def _names(obj: Any, field: str = "agencies") -> str:
    names = [o.name_th for o in getattr(obj, field).all()]
    text = getattr(obj, "agencies_text", "") if field == "agencies" else ""
    return ", ".join([*names, *([text] if text else [])])


def _doc(plan: Plan, key: str, title: str, sections: list[Section], note: str = "") -> Document:
    style = style_of(plan)
    return Document(
        title=f"{title} {plan.organisation.name_th} ปีงบประมาณ {style.year(plan.fiscal_year)}",
        filename=f"{plan.organisation.code}-{plan.fiscal_year}-{key}",
        sections=sections,
        style=style,
        organisation=plan.organisation.name_th,
        header_note=note,
    )


def _title_blocks(plan: Plan, sheet: str, title: str) -> list[Any]:
    style = style_of(plan)
    return [
        Heading(sheet, 1),
        Paragraph(title, align="center", bold=True),
        Paragraph(
            f"{plan.organisation.name_th} ประจำปีงบประมาณ {style.year(plan.fiscal_year)}", align="center"
        ),
    ]


# -- worksheets ---------------------------------------------------------------------------


def worksheet1_sections(plan: Plan) -> list[Section]:
    blocks: list[Any] = _title_blocks(
        plan, "ใบงานที่ 1", "แบบสรุปกลุ่มตัวชี้วัดคำรับรองการปฏิบัติราชการจัดกลุ่มตามประเด็นยุทธศาสตร์"
    )
    style = style_of(plan)
    kpis = plan.kpis.prefetch_related("agencies").order_by("order", "pk")
    for n, issue in enumerate(plan.issues.all(), start=1):
        blocks.append(Fields([(f"ประเด็นยุทธศาสตร์ที่ {style.digits(n)}", issue.name), ("เป้าประสงค์", issue.goal)]))
        rows = [[Cell(k.number, align="center"), Cell(k.name), Cell(k.target), Cell(_names(k)), Cell(k.note)]
                for k in kpis if k.issue_id == issue.pk]  # fmt: skip
        blocks.append(
            Table(
                [
                    Column("ตัวชี้วัดที่", 1),
                    Column(f"ชื่อตัวชี้วัดตามคำรับรองการปฏิบัติราชการ ปี {style.year(plan.fiscal_year)}", 4),
                    Column("เป้าหมาย", 1.5),
                    Column("ส่วนราชการที่รับผิดชอบ", 2.5),
                    Column("หมายเหตุ", 1.5),
                ],
                rows or [[Cell("—", colspan=5, align="center")]],
            )
        )
    return [Section(blocks, name="ใบงานที่ 1")]


def apportioned_averages(sums: list[int], count: int) -> tuple[list[Decimal], Decimal]:
    """The criteria's averages (each criterion's points over `count` scorers) with 2 decimals,
    and their total, such that the printed averages add up to the printed total and the total
    is the average of the scorers' totals, rounded once (half up).

    Rounding each average by itself does not add up (3 x 3.67 printed for 11.00); so the
    hundredths left over go, one each, to the averages that lost the most in rounding down
    (the largest-remainder method): each printed average is within 0.01 of the exact one."""
    if count <= 0:
        return [Decimal(0) for _ in sums], Decimal(0)
    floors = [100 * s // count for s in sums]
    target = (200 * sum(sums) + count) // (2 * count)  # round half up, in hundredths
    extra = target - sum(floors)
    by_remainder = sorted(range(len(sums)), key=lambda i: (-(100 * sums[i] % count), i))
    for i in by_remainder[:extra]:
        floors[i] += 1
    cent = Decimal("0.01")
    return [f * cent for f in floors], target * cent


def _matrix_table(matrix: scoring.Matrix, label: str, style: Style) -> list[Any]:
    """Criteria x columns with the scorers' average per cell (2 decimals, adding up to the
    total, see apportioned_averages), totals (SUM), ranks (RANK), then each scorer's totals and
    their average (the same number as the total)."""
    n = len(matrix.columns)
    scorers = matrix.scorers
    count = len(scorers)
    columns = [Column("เกณฑ์", 4)] + [Column(f"{label} {c.label}", 1.2, "center") for c in matrix.columns]
    averages: list[list[Decimal]] = []
    totals: list[Decimal] = []
    for c in matrix.columns:
        sums = [
            sum(c.cells.get(s.pk, {}).get(criterion.pk, 0) for s in scorers) for criterion in matrix.criteria
        ]
        column_averages, total = apportioned_averages(sums, count)
        averages.append(column_averages)
        totals.append(total)
    rows: list[list[Cell]] = []
    for i, criterion in enumerate(matrix.criteria):
        row = [Cell(f"{style.digits(i + 1)}. {criterion.text}")]
        for j in range(n):
            value = averages[j][i]
            row.append(Cell(float(value), align="center", places=2) if count else Cell("", align="center"))
        rows.append(row)
    last = len(rows) - 1
    totals_row = len(rows)
    rows.append(
        [Cell("รวมคะแนน", bold=True)]
        + [Cell(Sum(float(t), 0, last), bold=True, align="center", places=2) for t in totals]
    )
    rows.append(
        [Cell("ความสำคัญอันดับที่", bold=True)]
        + [Cell(Rank(c.rank, totals_row, 1, n), bold=True, align="center") for c in matrix.columns]
    )
    rows.append([Cell("เลือก")] + [Cell("✓" if c.obj.chosen else "", align="center") for c in matrix.columns])
    blocks: list[Any] = [Table(columns, rows)]
    if scorers:
        score_rows = [
            [Cell(s.full_name)] + [Cell(c.totals.get(s.pk, 0), align="center") for c in matrix.columns]
            for s in scorers
        ]
        score_rows.append(
            [Cell("เฉลี่ย", bold=True)]
            + [Cell(Average(float(t), 0, len(scorers) - 1), bold=True, align="center") for t in totals]
        )
        blocks.append(Table([Column("ผู้ให้คะแนน (คะแนนรวม)", 4), *columns[1:]], score_rows))
        blocks.append(
            Paragraph(
                f"คะแนนแต่ละเกณฑ์เป็นค่าเฉลี่ยของผู้ให้คะแนน {style.digits(count)} คน "
                f"ทศนิยม {style.digits(2)} ตำแหน่ง ปัดเศษให้ผลรวมเท่ากับคะแนนรวมเฉลี่ย"
            )
        )
    blocks.append(
        Paragraph(
            "เกณฑ์การให้คะแนน  มาก = 5  ปานกลาง = 3  น้อย = 1"
            if not style.thai_digits
            else "เกณฑ์การให้คะแนน  มาก = ๕  ปานกลาง = ๓  น้อย = ๑"
        )
    )
    return blocks  # fmt: skip


def worksheet2_sections(plan: Plan) -> list[Section]:
    style = style_of(plan)
    blocks: list[Any] = _title_blocks(
        plan, "ใบงานที่ 2",
        "แบบคัดเลือกตัวชี้วัดตามคำรับรองการปฏิบัติราชการเพื่อกำหนดองค์ความรู้ที่จำเป็นในการจัดการความรู้",
    )  # fmt: skip
    for n, issue in enumerate(plan.issues.all(), start=1):
        matrix = scoring.build(plan, 2, issue_id=issue.pk)
        blocks.append(Fields([(f"ประเด็นยุทธศาสตร์ที่ {style.digits(n)}", issue.name)]))
        blocks += _matrix_table(matrix, "ตัวชี้วัดที่", style)
    return [Section(blocks, landscape=True, name="ใบงานที่ 2")]


def worksheet3_sections(plan: Plan) -> list[Section]:
    blocks: list[Any] = _title_blocks(plan, "ใบงานที่ 3", "แบบกำหนดองค์ความรู้ที่จำเป็นในการนำมาจัดการความรู้")
    kpis_qs = plan.kpis.select_related("issue").prefetch_related("processes__knowledge__agencies")
    kpis = list(kpis_qs.filter(chosen=True)) or list(kpis_qs)
    rows: list[list[Cell]] = []
    for kpi in kpis:
        processes = list(kpi.processes.all())
        first = True
        for process in processes or [None]:
            knowledge = list(process.knowledge.all()) if process else []
            for k in knowledge or [None]:
                rows.append([
                    Cell(str(kpi) if first else ""),
                    Cell(process.name if process and (k is None or k == knowledge[0]) else ""),
                    Cell(k.name if k else ""),
                    Cell(_names(k) if k else ""),
                ])  # fmt: skip
                first = False
    blocks.append(
        Table(
            [
                Column("ตัวชี้วัด", 3),
                Column("กระบวนการ", 3),
                Column("องค์ความรู้ที่จำเป็น", 3),
                Column("ส่วนราชการที่รับผิดชอบ", 2.5),
            ],
            rows or [[Cell("—", colspan=4, align="center")]],
        )
    )
    return [Section(blocks, name="ใบงานที่ 3")]


def worksheet4_sections(plan: Plan) -> list[Section]:
    blocks: list[Any] = _title_blocks(plan, "ใบงานที่ 4", "แบบคัดกรองและคัดเลือกองค์ความรู้ที่จำเป็น")
    blocks += _matrix_table(scoring.build(plan, 4), "องค์ความรู้", style_of(plan))
    return [Section(blocks, landscape=True, name="ใบงานที่ 4")]


def sufficiency_sections(plan: Plan) -> list[Section]:
    style = style_of(plan)
    sections = []
    for n, issue in enumerate(plan.issues.all(), start=1):
        blocks: list[Any] = [
            Heading("แบบฟอร์มการนำปรัชญาของเศรษฐกิจพอเพียงประกอบการพิจารณากำหนดองค์ความรู้ที่จำเป็น", 1),
            Paragraph(f"ในประเด็นยุทธศาสตร์ที่ {style.digits(n)} {issue.name}", align="center", bold=True),
            Table([Column("ความพอประมาณ"), Column("ความมีเหตุมีผล"), Column("ความมีภูมิคุ้มกันที่ดี")],
                  [[Cell(issue.moderation), Cell(issue.reasonableness), Cell(issue.immunity)]]),
            Table([Column("เงื่อนไขความรู้"), Column("เงื่อนไขคุณธรรม")],
                  [[Cell(issue.knowledge_condition), Cell(issue.morality_condition)]]),
            Fields([("องค์ประกอบที่จำเป็น หรือขอบเขต KM คือ", issue.km_scope)]),
        ]  # fmt: skip
        sections.append(Section(blocks, name=f"เศรษฐกิจพอเพียง {n}"))
    return sections or [Section([Heading("แบบฟอร์มการนำปรัชญาของเศรษฐกิจพอเพียง", 1), Paragraph("—")])]


def worksheet5_sections(plan: Plan) -> list[Section]:
    """Each strategic issue of the plan with its KM team (the issue's team), then the
    organisation's other strategic-issue teams as they stand."""
    style = style_of(plan)
    blocks: list[Any] = team_documents.sheet_heading(5)
    blocks.append(
        Paragraph(
            f"{plan.organisation.name_th} ประจำปีงบประมาณ {style.year(plan.fiscal_year)}", align="center"
        )
    )
    printed: set[int] = set()
    knowledge = list(plan.knowledge.select_related("process__kpi"))
    for n, issue in enumerate(plan.issues.select_related("team__organisation"), start=1):
        if issue.team is None or issue.team.organisation_id != plan.organisation_id:
            continue
        mine = [k for k in knowledge if k.process.kpi.issue_id == issue.pk]
        names = ", ".join(k.name for k in ([k for k in mine if k.chosen] or mine))
        blocks += team_documents.team_blocks(issue.team, style, issue=issue.name, goal=issue.goal,
                                             knowledge=names, number=n)  # fmt: skip
        printed.add(issue.team.pk)
    for team in team_documents.teams_of(plan.organisation, 5):
        if team.pk not in printed:
            blocks += team_documents.team_blocks(team, style)
            printed.add(team.pk)
    if not printed:
        blocks.append(Paragraph("—", align="center"))
    return [Section(blocks, name="ใบงานที่ 5")]


def worksheet6_sections(plan: Plan) -> list[Section]:
    blocks = team_documents.organisation_document(plan.organisation, 6).sections[0].blocks
    return [Section(blocks, name="ใบงานที่ 6")]


# -- the KM action plan (Form 2) ----------------------------------------------------------------


def _form2_groups(plan: Plan) -> list[tuple[Any, Any, list[Activity]]]:
    """(desired state, needed knowledge, activities): one Form 2 per desired state, then per
    needed knowledge without one, then the rest."""
    activities = list(
        plan.activities.select_related(
            "desired_state__knowledge__process__kpi__issue", "knowledge__process__kpi__issue"
        ).prefetch_related("responsible_units")
    )
    groups: list[tuple[Any, Any, list[Activity]]] = []
    for state in plan.desired_states.select_related("knowledge__process__kpi__issue"):
        rows = [a for a in activities if a.desired_state_id == state.pk]
        if rows:
            groups.append((state, state.knowledge, rows))
    for k in plan.knowledge.select_related("process__kpi__issue"):
        rows = [a for a in activities if a.desired_state_id is None and a.knowledge_id == k.pk]
        if rows:
            groups.append((None, k, rows))
    rest = [a for a in activities if a.desired_state_id is None and a.knowledge_id is None]
    if rest or not groups:
        groups.append((None, None, rest))
    return groups


def _signatures(plan: Plan) -> Signatures:
    style = style_of(plan)

    def sig(role: str, person: Any, at: Any, title: str) -> Signature:
        date = f"วันที่ {style.date(at.date() if hasattr(at, 'date') else at)}" if at else ""
        return Signature(
            role, person.full_name if person else "", person.position if person else "", date, title=title
        )

    return Signatures([
        sig("ผู้ทบทวน", plan.reviewed_by, plan.reviewed_at, "ผู้บริหารสูงสุดด้านการจัดการความรู้ (CKO)"),
        sig("ผู้อนุมัติ", plan.approved_by, plan.approved_at, "ผู้บริหารสูงสุดของส่วนราชการ (CEO)"),
    ])  # fmt: skip


FORM2_COLUMNS = [
    Column("ลำดับ", 0.8, "center"), Column("กิจกรรมการจัดการความรู้", 2.6), Column("วิธีการสู่ความสำเร็จ", 2.0),
    Column("ระยะเวลา", 1.5, "center"), Column("ตัวชี้วัด", 1.6), Column("เป้าหมาย", 1.1), Column("กลุ่มเป้าหมาย", 1.3),
    Column("ผู้รับผิดชอบ", 1.4), Column("งบประมาณ (บาท)", 1.4, "right"), Column("สถานะ", 1.5), Column("หมายเหตุ", 1.1),
]  # fmt: skip


def action_plan_sections(plan: Plan, *, with_signatures: bool = True) -> list[Section]:
    style = style_of(plan)
    sections = []
    groups = _form2_groups(plan)
    for index, (state, knowledge, activities) in enumerate(groups):
        kpi = knowledge.process.kpi if knowledge else None
        header = [
            ("ชื่อส่วนราชการ :", plan.organisation.name_th),
            ("ประเด็นยุทธศาสตร์ :", kpi.issue.name if kpi else ""),
            ("องค์ความรู้ที่จำเป็น (K) :", knowledge.name if knowledge else ""),
            ("ตัวชี้วัด (KPI) ตามคำรับรอง :", str(kpi) if kpi else ""),
            ("เป้าหมายตัวชี้วัดตามคำรับรอง :", kpi.target if kpi else ""),
        ]
        if state is not None:
            header += [("เป้าหมาย KM (Desired State) :", state.text), ("หน่วยที่วัดผลได้เป็นรูปธรรม :", state.unit)]
        rows: list[list[Cell]] = []
        group_rows: set[int] = set()
        first_activity = None
        number = 0  # "ลำดับ": the row's number in this table
        for process, title, names in (
            (Activity.Process.KM, KM_PROCESS_TH, KM_STEPS_TH),
            (Activity.Process.CHANGE, CHANGE_PROCESS_TH, CHANGE_STEPS_TH),
        ):
            mine = sorted(
                (a for a in activities if a.process == process), key=lambda a: (a.step, a.order, a.pk)
            )
            if not mine:
                continue
            group_rows.add(len(rows))
            rows.append([Cell(title, colspan=len(FORM2_COLUMNS))])
            for a in mine:
                first_activity = len(rows) if first_activity is None else first_activity
                number += 1
                rows.append([
                    Cell(style.digits(number), align="center"),
                    Cell(f"{names.get(a.step, a.step)}\n{a.name}" if names.get(a.step) != a.name else a.name),
                    Cell(a.method), Cell(style.period(a.start, a.end), align="center"), Cell(a.indicator),
                    Cell(a.target), Cell(a.target_group), Cell(a.responsible or _names(a, "responsible_units")),
                    Cell(a.budget, money=True, align="right") if a.budget is not None else Cell(""),
                    Cell(STATUS_TH.get(a.status, a.status)), Cell(a.note),
                ])  # fmt: skip
        total = sum((a.budget or Decimal(0)) for a in activities)
        if first_activity is not None:
            rows.append([Cell("รวมงบประมาณ", colspan=8, bold=True, align="right"),
                         Cell(Sum(float(total), first_activity, len(rows) - 1), bold=True, align="right", money=True), Cell(""), Cell("")])  # fmt: skip
        blocks: list[Any] = [
            Heading("แบบฟอร์ม 2 แผนการจัดการความรู้ (KM Action Plan)", 1, anchor="action-plan" if index == 0 else ""),
            Fields(header),
            Table(FORM2_COLUMNS, rows or [[Cell("—", colspan=len(FORM2_COLUMNS), align="center")]], group_rows=group_rows),
        ]  # fmt: skip
        if total:
            blocks.append(Paragraph(f"รวมงบประมาณ {style.money(total)} บาท ({bahttext(float(total))})"))
        if with_signatures:
            blocks.append(_signatures(plan))
        sections.append(Section(blocks, landscape=True, name=f"แบบฟอร์ม 2 ({index + 1})"))
    return sections


# -- the booklet ----------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _numbered(lines: list[str], style: Style) -> Paragraph:
    return Paragraph("\n".join(f"{style.digits(i)}) {line}" for i, line in enumerate(lines, start=1)) or "—")


def _team_table(team: Team, style: Style) -> Table:
    """A team as worksheets 5 and 6 print it, under its name."""
    table = team_documents.members_table(team, style)
    table.caption = team.name
    return table


def booklet_sections(plan: Plan) -> list[Section]:
    style = style_of(plan)
    org = plan.organisation
    year = style.year(plan.fiscal_year)
    parent = org.parent.name_th if org.parent_id else ""
    preface = plan.preface or (
        f"{org.name_th} จัดทำแผนการจัดการความรู้ประจำปีงบประมาณ {year} เพื่อเป็นแนวทางในการรวบรวม "
        "แลกเปลี่ยน และใช้ความรู้ที่จำเป็นต่อการบรรลุเป้าหมายขององค์กร ตามกระบวนการจัดการความรู้ "
        "และกระบวนการบริหารจัดการการเปลี่ยนแปลง หวังเป็นอย่างยิ่งว่าแผนนี้จะเป็นประโยชน์ต่อบุคลากรทุกคน"
    )
    sections = [
        Section([Cover(["แผนการจัดการความรู้", "(KM Action Plan)", f"ประจำปีงบประมาณ {year}", org.name_th, parent])]),
        Section([Heading("คำนำ", 1), Paragraph(preface, indent=True), Paragraph(org.name_th, align="right")]),
        Section([Contents("สารบัญ")]),
        Section([
            Heading("ขอบเขต KM (KM Focus Area)", 1, anchor="focus"), _numbered(_lines(plan.focus_area), style),
            Heading("เป้าหมาย KM (Desired State)", 1, anchor="desired"),
            Table([Column("ลำดับ", 0.6, "center"), Column("เป้าหมาย KM (Desired State)", 5), Column("หน่วยที่วัดผลได้เป็นรูปธรรม", 3)],
                  [[Cell(style.digits(i), align="center"), Cell(d.text), Cell(d.unit)] for i, d in enumerate(plan.desired_states.all(), start=1)]
                  or [[Cell("—", colspan=3, align="center")]]),
            Heading("ปัจจัยแห่งความสำเร็จ (Key Success Factors)", 1, anchor="ksf"), _numbered(_lines(plan.key_success_factors), style),
        ]),
        Section([
            Heading(KM_PROCESS_TH, 1, anchor="km-process"),
            *[Paragraph(f"{style.digits(n)}) {KM_STEPS_TH[n]} — {KM_PROCESS_TEXT[n]}") for n, _l in KM_STEPS],
            Heading(CHANGE_PROCESS_TH, 1, anchor="change-process"),
            *[Paragraph(f"{style.digits(n)}) {CHANGE_STEPS_TH[n]} — {CHANGE_PROCESS_TEXT[n]}") for n, _l in CHANGE_STEPS],
        ]),
    ]  # fmt: skip
    milestones = list(plan.milestones.all())
    if milestones:
        sections.append(Section([
            Heading("แผนที่นำทางการจัดการความรู้ระยะยาว", 1, anchor="roadmap"),
            Table([Column("ปี พ.ศ.", 1, "center"), Column("ระดับ", 2), Column("เป้าหมาย", 5), Column("สถานะ", 1.5)],
                  [[Cell(style.digits(m.year), align="center"), Cell(LEVEL_TH.get(m.level, m.level)), Cell(m.description),
                    Cell(MILESTONE_STATUS_TH.get(m.status, m.status))] for m in milestones]),
        ]))  # fmt: skip
    sections += action_plan_sections(plan)
    teams = list(
        Team.objects.filter(organisation=org).exclude(kind=Team.Kind.MONITORING).order_by("order", "pk")
    )
    committee = list(Team.objects.filter(organisation=org, kind=Team.Kind.MONITORING).order_by("order", "pk"))
    sections.append(
        Section(
            [Heading("ทีมงานจัดการความรู้ (KM Team)", 1, anchor="teams"), *[_team_table(t, style) for t in teams]]
        )
    )
    sections.append(Section([
        Heading("การติดตามและประเมินผล", 1, anchor="monitoring"),
        Paragraph(f"{org.name_th} ติดตามและประเมินผลการดำเนินงานตามแผนการจัดการความรู้ในรอบ ๖ เดือน ๙ เดือน และ ๑๒ เดือน "
                  "โดยคณะกรรมการติดตามและประเมินผลแผนการจัดการความรู้ ซึ่งรายงานผลพร้อมข้อเสนอแนะต่อผู้บริหาร", indent=True),
        *[_team_table(t, style) for t in committee],
    ]))  # fmt: skip
    return sections


BUILDERS: dict[str, tuple[str, str, Callable[[Plan], list[Section]]]] = {
    "worksheet1": ("ใบงานที่ 1", "ใบงานที่ 1", worksheet1_sections),
    "worksheet2": ("ใบงานที่ 2", "ใบงานที่ 2", worksheet2_sections),
    "worksheet3": ("ใบงานที่ 3", "ใบงานที่ 3", worksheet3_sections),
    "worksheet4": ("ใบงานที่ 4", "ใบงานที่ 4", worksheet4_sections),
    "worksheet5": ("ใบงานที่ 5", "ใบงานที่ 5", worksheet5_sections),
    "worksheet6": ("ใบงานที่ 6", "ใบงานที่ 6", worksheet6_sections),
    "sufficiency": ("แบบฟอร์มปรัชญาของเศรษฐกิจพอเพียง", "", sufficiency_sections),
    "action-plan": ("แผนการจัดการความรู้ (KM Action Plan)", "แบบฟอร์ม 2", action_plan_sections),
    "booklet": ("แผนการจัดการความรู้", "", booklet_sections),
}


def build(plan: Plan, document: str) -> Document:
    title, note, sections = BUILDERS[document]
    return _doc(plan, document, title, sections(plan), note)


def render(plan: Plan, document: str, fmt: str) -> bytes:
    from platu.exports import docx, pdf, xlsx

    doc = build(plan, document)
    renderer = {"pdf": pdf.render, "docx": docx.render, "xlsx": xlsx.render}[fmt]
    return renderer(doc)
