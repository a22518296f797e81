"""The teacher's PLC logbook as an official document (PDF, DOCX, XLSX through platu/exports)."""

from __future__ import annotations

from platu.communities.hours import Logbook
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
from platu.orgs.models import Organisation


def logbook_document(book: Logbook, org: Organisation | None) -> Document:
    style = Style(thai_digits=bool(org and org.thai_digits))
    person = book.person
    rows = [
        [Cell(style.digits(i), align="center"), Cell(style.date(e.day, "short"), align="center"), Cell(e.community),
         Cell(e.title), Cell(float(e.hours), places=2, align="right"), Cell("✓" if e.approved else "", align="center")]
        for i, e in enumerate(book.entries, start=1)
    ]  # fmt: skip
    rows.append(
        [
            Cell("รวม", colspan=4, bold=True, align="right"),
            Cell(float(book.total), places=2, bold=True, align="right"),
            Cell(""),
        ]
    )
    terms = "; ".join(
        f"ภาคเรียนที่ {style.digits(t)} {style.number(float(h), 2)} ชั่วโมง" for t, h in book.by_term()
    )
    blocks = [
        Heading("บันทึกการเข้าร่วมชุมชนการเรียนรู้ทางวิชาชีพ (PLC Logbook)", 1),
        Fields([
            ("ชื่อ - สกุล :", person.full_name), ("ตำแหน่ง :", person.position),
            ("หน่วยงาน :", org.name_th if org else ""), ("ปีงบประมาณ :", style.year(book.fiscal_year)),
        ]),
        Table([Column("ลำดับ", 0.6, "center"), Column("วันที่", 1.2, "center"), Column("ชุมชน", 2.2), Column("เรื่อง", 3),
               Column("ชั่วโมง", 0.9, "right"), Column("รับรองแล้ว", 0.9, "center")], rows),
        Paragraph(f"รวม {style.number(float(book.total), 2)} ชั่วโมง (รับรองแล้ว {style.number(float(book.approved), 2)} ชั่วโมง)" + (f" — {terms}" if terms else "")),
        Signatures([Signature("ผู้บันทึก", person.full_name, person.position), Signature("ผู้รับรอง", "", "หัวหน้ากลุ่มสาระ / ผู้อำนวยการ")]),
    ]  # fmt: skip
    return Document(
        title="บันทึกชั่วโมง PLC", filename=f"plc-logbook-{book.fiscal_year}-{person.pk}",
        sections=[Section(blocks, name="PLC")], style=style, organisation=org.name_th if org else "",
        header_note="บันทึกชั่วโมง PLC",
    )  # fmt: skip


def render(book: Logbook, org: Organisation | None, fmt: str) -> bytes:
    from platu.exports import docx, pdf, xlsx

    doc = logbook_document(book, org)
    return {"pdf": pdf.render, "docx": docx.render, "xlsx": xlsx.render}[fmt](doc)
