"""DOCX with python-docx. Every run names the font for Latin and complex scripts
(`w:rFonts w:cs=...`, `w:hint="cs"`), carries its size and weight for complex scripts
(`w:szCs`, `w:bCs`) and the Thai language (`w:lang w:bidi="th-TH"`), so that Word shows Thai
in the chosen font rather than a fallback. Page numbers are fields ("หน้าที่ PAGE/NUMPAGES");
Word refreshes the contents and page fields when the file is opened."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from docx import Document as new_docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

from platu.exports.document import (
    Cell,
    Contents,
    Cover,
    Document,
    Fields,
    Heading,
    Paragraph,
    Signatures,
    Table,
    cell_text,
    signature_lines,
)

ALIGN = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}


def font_name() -> str:
    return str(getattr(settings, "PLATU_DOCX_FONT", "TH Sarabun New"))


def _set(parent: Any, tag: str, **attrs: str) -> Any:
    element = parent.find(qn(tag))
    if element is None:
        element = OxmlElement(tag)
        parent.append(element)
    for key, value in attrs.items():
        element.set(qn(key), value)
    return element


def thai_run_properties(rpr: Any, *, size: float, bold: bool = False) -> None:
    """Font, size, weight and language for Latin and complex-script (Thai) text."""
    name = font_name()
    _set(
        rpr,
        "w:rFonts",
        **{"w:ascii": name, "w:hAnsi": name, "w:cs": name, "w:eastAsia": name, "w:hint": "cs"},
    )
    if bold:
        _set(rpr, "w:b")
        _set(rpr, "w:bCs")
    half_points = str(int(size * 2))
    _set(rpr, "w:sz", **{"w:val": half_points})
    _set(rpr, "w:szCs", **{"w:val": half_points})
    _set(rpr, "w:lang", **{"w:val": "en-US", "w:bidi": "th-TH"})


def _run(paragraph: Any, text: str, *, size: float = 16, bold: bool = False) -> Any:
    run = paragraph.add_run(text)
    thai_run_properties(run._r.get_or_add_rPr(), size=size, bold=bold)
    return run


def _field(paragraph: Any, instruction: str, *, size: float = 14) -> None:
    """A Word field (PAGE, NUMPAGES, TOC) whose result Word computes."""
    for kind, text in (
        ("begin", None),
        ("instr", instruction),
        ("separate", None),
        ("text", "1"),
        ("end", None),
    ):
        run = paragraph.add_run()
        thai_run_properties(run._r.get_or_add_rPr(), size=size)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {text} "
            run._r.append(instr)
        elif kind == "text":
            t = OxmlElement("w:t")
            t.text = text
            run._r.append(t)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def _page_setup(section: Any, landscape: bool) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    width, height = Cm(21.0), Cm(29.7)
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.top_margin, section.bottom_margin = Cm(2.5 if not landscape else 2), Cm(2)


def _header(section: Any, doc: Document) -> None:
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if doc.header_note:
        _run(p, f"{doc.header_note}    ", size=14)
    digits = " \\* ThaiArabic" if doc.style.thai_digits else ""
    _run(p, "หน้าที่ ", size=14)
    _field(p, f"PAGE{digits}")
    _run(p, "/", size=14)
    _field(p, f"NUMPAGES{digits}")


def _repeat_header(row: Any) -> None:
    _set(row._tr.get_or_add_trPr(), "w:tblHeader", **{"w:val": "true"})
    _set(row._tr.get_or_add_trPr(), "w:cantSplit", **{"w:val": "true"})


def _write_cell(cell: Any, text: str, *, bold: bool = False, align: str = "", size: float = 14) -> None:
    p = cell.paragraphs[0]
    if align in ALIGN:
        p.alignment = ALIGN[align]
    lines = text.split("\n")
    for i, line in enumerate(lines):
        run = _run(p, line, size=size, bold=bold)
        if i < len(lines) - 1:
            run.add_break(WD_BREAK.LINE)


def _table(docx: Any, block: Table, doc: Document, usable_cm: float) -> None:
    ncols = len(block.columns)
    table = docx.add_table(rows=0, cols=ncols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    total = sum(c.width for c in block.columns) or 1
    widths = [Cm(usable_cm * c.width / total) for c in block.columns]

    def add(cells: list[Cell], *, header: bool = False, group: bool = False) -> None:
        row = table.add_row()
        if header:
            _repeat_header(row)
        else:
            _set(row._tr.get_or_add_trPr(), "w:cantSplit", **{"w:val": "true"})
        col = 0
        for c in cells:
            target = row.cells[col]
            if c.colspan > 1:
                target = target.merge(row.cells[min(col + c.colspan, ncols) - 1])
            _write_cell(target, cell_text(c, doc.style), bold=c.bold or header or group,
                        align="center" if header else c.align)  # fmt: skip
            col += c.colspan
        for i, width in enumerate(widths):
            row.cells[i].width = width

    if block.caption:
        p = docx.add_paragraph()
        _run(p, block.caption, bold=True)
    for header_row in block.header:
        add(header_row, header=True)
    add(
        [Cell(doc.style.digits(c.label) if doc.style.thai_digits else c.label) for c in block.columns],
        header=True,
    )
    for i, r in enumerate(block.rows):
        add(r, group=i in block.group_rows)
    docx.add_paragraph()


def render(doc: Document) -> bytes:
    docx = new_docx()
    normal = docx.styles["Normal"]
    thai_run_properties(normal.element.get_or_add_rPr(), size=16)
    for level in (1, 2, 3):
        style = docx.styles[f"Heading {level}"]
        thai_run_properties(style.element.get_or_add_rPr(), size={1: 20, 2: 18, 3: 16}[level], bold=True)
        _set(style.element.get_or_add_rPr(), "w:color", **{"w:val": "000000"})
    # Word refreshes PAGE, NUMPAGES and TOC fields on opening.
    _set(docx.settings.element, "w:updateFields", **{"w:val": "true"})
    docx.core_properties.title = doc.title
    for index, section in enumerate(doc.sections):
        word_section = docx.sections[0] if index == 0 else docx.add_section(WD_SECTION.NEW_PAGE)
        _page_setup(word_section, section.landscape)
        _header(word_section, doc)
        usable = (29.7 if section.landscape else 21.0) - 5.0
        for block in section.blocks:
            _block(docx, block, doc, usable)
    out = io.BytesIO()
    docx.save(out)
    return out.getvalue()


def _block(docx: Any, block: Any, doc: Document, usable: float) -> None:
    if isinstance(block, Cover):
        for _ in range(6):
            docx.add_paragraph()
        for i, line in enumerate(block.lines):
            p = docx.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(p, line, size=26 if i == 0 else 20, bold=i == 0)
        docx.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    elif isinstance(block, Heading):
        p = docx.add_paragraph(style=f"Heading {min(block.level, 3)}")
        if block.level == 1:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(p, block.text, size={1: 20, 2: 18}.get(block.level, 16), bold=True)
    elif isinstance(block, Paragraph):
        p = docx.add_paragraph()
        if block.align in ALIGN:
            p.alignment = ALIGN[block.align]
        if block.indent:
            p.paragraph_format.first_line_indent = Cm(1.25)
        lines = block.text.split("\n")
        for i, line in enumerate(lines):
            run = _run(p, line, bold=block.bold)
            if i < len(lines) - 1:
                run.add_break(WD_BREAK.LINE)
    elif isinstance(block, Fields):
        for label, value in block.rows:
            p = docx.add_paragraph()
            _run(p, f"{label} ", bold=True)
            _run(p, value)
    elif isinstance(block, Table):
        _table(docx, block, doc, usable)
    elif isinstance(block, Signatures):
        # The signatures stay on one page with the paragraph above them.
        if docx.paragraphs:
            docx.paragraphs[-1].paragraph_format.keep_with_next = True
        table = docx.add_table(rows=1, cols=max(1, len(block.items)))
        _set(table.rows[0]._tr.get_or_add_trPr(), "w:cantSplit", **{"w:val": "true"})
        for cell, sig in zip(table.rows[0].cells, block.items, strict=False):
            _write_cell(cell, "\n".join(signature_lines(sig)), align="center", size=16)
    elif isinstance(block, Contents):
        p = docx.add_paragraph(style="Heading 1")
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(p, block.title, size=20, bold=True)
        p = docx.add_paragraph()
        _field(p, 'TOC \\o "1-1" \\h \\z')
        docx.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
