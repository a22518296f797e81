"""The record of processing activities (บันทึกรายการกิจกรรมการประมวลผล, PDPA section 39), built from
what every module declares (`registry.py`) and the controller's details (`PrivacySettings`), as a
document for platu/exports (PDF and DOCX)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import override

from platu.exports.document import (
    Block,
    Cell,
    Column,
    Document,
    Fields,
    Heading,
    Paragraph,
    Section,
    Style,
    Table,
)
from platu.privacy import labels, registry
from platu.privacy.models import PrivacySettings

TITLE = "บันทึกรายการกิจกรรมการประมวลผลข้อมูลส่วนบุคคล (ROPA) ตามมาตรา 39 แห่งพระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562"
ERASE_TH = {
    registry.KEEP: "คงไว้เป็นความรู้/หลักฐานขององค์กร แทนชื่อด้วยนามแฝง",
    registry.CLEAR: "ล้างข้อมูลส่วนบุคคลในรายการ",
    registry.DELETE: "ลบรายการ",
}


@dataclass
class _Group:
    what: list[str] = field(default_factory=list)
    basis: set[str] = field(default_factory=set)
    retention: set[str] = field(default_factory=set)
    erase: set[str] = field(default_factory=set)


def activities() -> list[dict[str, str]]:
    """One row per purpose: what is kept (the models and columns), the legal basis, how long."""
    grouped: dict[str, _Group] = {}
    with override("th"):
        for item in registry.declarations():
            model = item.get_model()
            purpose = str(item.purpose) or labels.model_label(model)
            row = grouped.setdefault(purpose, _Group())
            names = [labels.field_label(model, f) for f in item.fields]
            title = labels.model_label(model)
            row.what.append(f"{title}: {', '.join(names)}" if names else title)
            if str(item.basis):
                row.basis.add(str(item.basis))
            if str(item.retention):
                row.retention.add(str(item.retention))
            row.erase.add(ERASE_TH[item.erase])
    return [
        {
            "purpose": purpose,
            "what": "; ".join(dict.fromkeys(row.what)),
            "basis": "; ".join(sorted(row.basis)),
            "retention": "; ".join(sorted(row.retention)),
            "erase": "; ".join(sorted(row.erase)),
        }
        for purpose, row in grouped.items()
    ]


def document() -> Document:
    conf = PrivacySettings.get()
    style = Style()
    rows = [
        [Cell(style.digits(i), align="center"), Cell(a["purpose"]), Cell(a["what"]), Cell(a["basis"]),
         Cell(a["retention"]), Cell(a["erase"])]
        for i, a in enumerate(activities(), start=1)
    ]  # fmt: skip
    table = Table(
        columns=[Column("ที่", 0.4, "center"), Column("วัตถุประสงค์", 1.6), Column("ข้อมูลที่เก็บ", 3.0),
                 Column("ฐานทางกฎหมาย", 1.6), Column("ระยะเวลาเก็บรักษา", 1.4), Column("เมื่อขอลบ", 1.2)],
        rows=rows,
    )  # fmt: skip
    blocks: list[Block] = [
        Heading(TITLE),
        Paragraph(f"จัดทำ ณ วันที่ {style.date(timezone.localdate())}"),
        Fields(rows=[
            ("ผู้ควบคุมข้อมูลส่วนบุคคล", conf.controller or "-"),
            ("ที่อยู่และช่องทางติดต่อ", conf.controller_contact or "-"),
            ("เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล (DPO)", conf.dpo or "-"),
            ("ช่องทางติดต่อ DPO", conf.dpo_contact or "-"),
            ("ระยะเวลาเก็บบันทึกการใช้งาน (audit)", f"{style.number(conf.audit_retention_days)} วัน"),
            ("ระยะเวลาเก็บไฟล์ข้อมูลที่ดาวน์โหลด", f"{style.number(conf.export_retention_days)} วัน"),
        ]),
        Heading("กิจกรรมการประมวลผล", level=2),
        table,
        Heading("มาตรการรักษาความมั่นคงปลอดภัย", level=2),
        Paragraph(conf.security or "-"),
        Heading("สิทธิของเจ้าของข้อมูล", level=2),
        Paragraph("เจ้าของข้อมูลขอรับสำเนาข้อมูลทั้งหมด แก้ไขข้อมูลโปรไฟล์ และขอลบข้อมูลได้ที่หน้า "
                  "\"ข้อมูลของฉัน\" ในระบบปลาทู การขอลบต้องได้รับอนุมัติจากผู้ดูแลระบบ"),
    ]  # fmt: skip
    return Document(
        title=TITLE, filename="platu-ropa", sections=[Section(blocks, landscape=True, name="ROPA")], style=style,
        organisation=conf.controller,
    )  # fmt: skip


def render(doc: Document, fmt: str) -> bytes:
    from platu.exports import docx, pdf

    return {"pdf": pdf.render, "docx": docx.render}[fmt](doc)
