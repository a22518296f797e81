"""The teacher's PLC logbook and the PLC activity record of one session (บันทึกกิจกรรม PLC) as
official documents (PDF, DOCX, XLSX through platu/exports)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from platu.communities.hours import Logbook
from platu.communities.models import Attendance, Member, RecordFile, Session, SessionRecord
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
    blocks: list[Any]
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


def record_document(session: Session, row: SessionRecord | None) -> Document:
    """The PLC activity record: the session, who came, the record in the PLC form with its AAR,
    the minutes, the files kept with it, and the signatures of the writer and the head."""
    from platu.knowledge.sanitize import html_to_text

    community = session.community
    org = community.organisation
    style = Style(thai_digits=org.thai_digits)
    start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    facilitators = ", ".join(
        m.person.full_name
        for m in Member.objects.filter(
            community=community, role=Member.Role.FACILITATOR, state=Member.State.MEMBER
        ).select_related("person")
    )
    came = list(Attendance.objects.filter(session=session).select_related("person").order_by("pk"))
    rows = [
        [Cell(style.digits(i), align="center"), Cell(a.person.full_name if a.person else a.guest_name),
         Cell(a.person.position if a.person else "บุคคลภายนอก"), Cell(float(a.hours), places=2, align="right")]
        for i, a in enumerate(came, start=1)
    ]  # fmt: skip
    blocks: list[Any] = [
        Heading("บันทึกกิจกรรมชุมชนการเรียนรู้ทางวิชาชีพ (PLC)", 1),
        Fields([
            ("ชุมชน :", community.name), ("หน่วยงาน :", org.name_th),
            ("เรื่อง :", session.title),
            ("วันที่ :", f"{style.date(start.date(), 'full')} เวลา {style.digits(start.strftime('%H.%M'))}–{style.digits(end.strftime('%H.%M'))} น."),
            ("สถานที่ :", session.place or session.online_url or "-"), ("ผู้อำนวยความสะดวก :", facilitators or "-"),
        ]),
        Heading("ผู้เข้าร่วม", 2),
        Table([Column("ลำดับ", 0.6, "center"), Column("ชื่อ - สกุล", 3), Column("ตำแหน่ง", 2.4), Column("ชั่วโมง", 0.9, "right")], rows),
    ]  # fmt: skip
    parts = [  # the same words as the form (its labels' Thai)
        ("ประเด็นหรือปัญหา", "topic"), ("สิ่งที่ทำ", "activities"), ("ผลที่เกิดขึ้น", "results"),
        ("การสะท้อนคิด", "reflection"), ("สิ่งที่ควรรักษาไว้", "keep"), ("สิ่งที่ควรปรับปรุง", "improve"),
        ("สิ่งที่คาดหวัง (AAR)", "aar_expected"), ("สิ่งที่เกิดขึ้นจริง", "aar_happened"),
        ("เหตุใดจึงแตกต่าง", "aar_why"), ("สิ่งที่จะทำต่อไป", "aar_next"),
    ]  # fmt: skip
    for label, name in parts:
        text = getattr(row, name, "") if row else ""
        blocks.append(Heading(label, 2))
        blocks.extend(
            Paragraph(line, indent=True) for line in (text.splitlines() or ["-"]) if line.strip() or not text
        )
    if row and row.minutes.strip():
        blocks.append(Heading("บันทึกการประชุม", 2))
        blocks.extend(
            Paragraph(line, indent=True) for line in html_to_text(row.minutes).splitlines() if line.strip()
        )
    files = list(RecordFile.objects.filter(session=session).values_list("name", flat=True))
    if files:
        blocks.append(Heading("ภาพและเอกสารประกอบ", 2))
        blocks.extend(Paragraph(f"{style.digits(i)}. {name}") for i, name in enumerate(files, start=1))
    writer = row.written_by if row else None
    signer = row.signed_by if row else None
    blocks.append(Signatures([
        Signature("ผู้บันทึก", writer.full_name if writer else "", writer.position if writer else ""),
        Signature("ผู้รับรอง", signer.full_name if signer else "", signer.position if signer else "หัวหน้ากลุ่มสาระ / ผู้อำนวยการ",
                  date=style.date(timezone.localtime(row.signed_at).date(), "full") if row and row.signed_at else ""),
    ]))  # fmt: skip
    return Document(
        title="บันทึกกิจกรรม PLC", filename=f"plc-record-{session.pk}", sections=[Section(blocks, name="PLC")],
        style=style, organisation=org.name_th, header_note="บันทึกกิจกรรม PLC",
    )  # fmt: skip


def _render(doc: Document, fmt: str) -> bytes:
    from platu.exports import docx, pdf, xlsx

    return {"pdf": pdf.render, "docx": docx.render, "xlsx": xlsx.render}[fmt](doc)


def render(book: Logbook, org: Organisation | None, fmt: str) -> bytes:
    return _render(logbook_document(book, org), fmt)


def render_record(session: Session, row: SessionRecord | None, fmt: str) -> bytes:
    return _render(record_document(session, row), fmt)
