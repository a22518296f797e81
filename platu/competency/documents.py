"""A person's development record (ทะเบียนประวัติการพัฒนาตนเอง) as an official document
(PDF, DOCX through platu/exports)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from platu.competency.records import Record
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
    Table,
)


def record_document(rec: Record) -> Document:
    org, person = rec.organisation, rec.person
    style = Style(thai_digits=org.thai_digits)

    def level(value: int | None) -> Cell:
        return Cell(style.digits(value) if value is not None else "-", align="center")

    blocks: list[Any] = [
        Heading("ทะเบียนประวัติการพัฒนาตนเอง", 1),
        Fields([
            ("ชื่อ - สกุล :", person.full_name), ("ตำแหน่ง :", person.position or "-"),
            ("หน่วยงาน :", org.name_th), ("ณ วันที่ :", style.date(timezone.localdate(), "full")),
        ]),
        Heading(f"{style.digits(1)}. ผลการประเมินสมรรถนะ", 2),
    ]  # fmt: skip
    if not rec.cycles:
        blocks.append(Paragraph("ยังไม่มีผลการประเมิน", indent=True))
    for c in rec.cycles:
        rows = [
            [Cell(("\u00a0" * 4 * depth) + f"{comp.code} {comp.name}".strip()), level(exp), level(own), level(sup),
             Cell(style.digits(gap) if gap is not None else "-", align="center", bold=bool(gap and gap > 0))]
            for comp, depth, exp, own, sup, gap in c.rows
        ]  # fmt: skip
        blocks.append(Table(
            [Column("สมรรถนะ", 4), Column("ระดับที่คาดหวัง", 1.1, "center"), Column("ประเมินตนเอง", 1.1, "center"),
             Column("ผู้บังคับบัญชา", 1.1, "center"), Column("ส่วนขาด", 0.9, "center")],
            rows, caption=f"รอบการประเมินปี {style.year(c.cycle.year)} ({c.cycle.framework.name})",
        ))  # fmt: skip
    blocks.append(Heading(f"{style.digits(2)}. ชั่วโมงการพัฒนา", 2))
    blocks.append(Table(
        [Column("ปีงบประมาณ", 1.2, "center"), Column("ชั่วโมง PLC", 1.2, "right"), Column("การพัฒนาตามแผน", 1.4, "right"),
         Column("รายละเอียด", 3.2)],
        [[Cell(style.digits(y.fiscal_year), align="center"), Cell(float(y.plc), places=1, align="right"),
          Cell(float(y.development), places=1, align="right"),
          Cell("; ".join(f"{w} {style.number(h, 1)} ชม." for w, h in y.ways()) or "-")] for y in rec.years],
    ))  # fmt: skip
    if rec.attended:
        blocks.append(Table(
            [Column("วันที่", 1.2, "center"), Column("กิจกรรม", 3.2), Column("รายการพัฒนา", 2.4), Column("ชั่วโมง", 0.9, "right")],
            [[Cell(style.date(timezone.localtime(a.session.starts_at).date(), "short"), align="center"), Cell(a.session.title),
              Cell(a.item.title), Cell(float(a.hours), places=1, align="right")] for a in rec.attended],
            caption="การเข้าร่วมกิจกรรมพัฒนาตามแผนพัฒนาทรัพยากรบุคคล",
        ))  # fmt: skip
    blocks.append(Heading(f"{style.digits(3)}. รางวัลและการยกย่องเชิดชูเกียรติ", 2))
    if rec.awards:
        blocks.extend(
            Paragraph(f"{style.digits(i)}. {a}", indent=True) for i, a in enumerate(rec.awards, start=1)
        )
    else:
        blocks.append(Paragraph("-", indent=True))
    blocks.append(Heading(f"{style.digits(4)}. ผลงานองค์ความรู้ที่เผยแพร่", 2))
    if rec.knowledge:
        blocks.extend(
            Paragraph(f"{style.digits(i)}. {k.title}"
                      + (f" ({style.date(timezone.localtime(k.published_at).date(), 'medium')})" if k.published_at else ""), indent=True)
            for i, k in enumerate(rec.knowledge, start=1)
        )  # fmt: skip
    else:
        blocks.append(Paragraph("-", indent=True))
    blocks.append(Signatures([
        Signature("ผู้รายงาน", person.full_name, person.position),
        Signature("ผู้รับรอง", "", "ผู้บังคับบัญชา"),
    ]))  # fmt: skip
    return Document(
        title="ทะเบียนประวัติการพัฒนาตนเอง", filename=f"development-record-{person.pk}",
        sections=[Section(blocks, name="บันทึก")], style=style, organisation=org.name_th,
        header_note="ทะเบียนประวัติการพัฒนาตนเอง",
    )  # fmt: skip


def render(rec: Record, fmt: str) -> bytes:
    from platu.exports import docx, pdf

    return {"pdf": pdf.render, "docx": docx.render}[fmt](record_document(rec))
