"""XLSX with openpyxl: one sheet per section; real numbers and dates (with B.E. date formats),
formulas for totals, averages and ranks; A4 page setup, the table header repeated on every
printed page, "หน้าที่ &P/&N" in the page header."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from platu.exports.document import (
    Average,
    Cell,
    Contents,
    Cover,
    Document,
    Fields,
    Heading,
    Paragraph,
    Rank,
    Signatures,
    Sum,
    Table,
    cell_text,
    signature_lines,
)
from platu.exports.docx import font_name

CM_PER_INCH = 2.54
# Excel: [$-NNCCLLLL]: numerals (D = Thai digits), calendar 07 = Thai Buddhist, locale 041E = Thai.
DATE_FORMAT = "[$-107041E]d mmm yy"
DATE_FORMAT_THAI_DIGITS = "[$-D07041E]d mmm yy"
MONEY_FORMAT = "#,##0.00"
# Numbers drawn in Thai digits (the value stays a number: sums and ranks still work).
THAI_DIGITS = "[$-D00041E]"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _sheet_name(name: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:28] or "Sheet"
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base[:25]} {n}", n + 1
    used.add(candidate)
    return candidate


# A text starting with one of these is a formula to Excel or LibreOffice (or becomes one when
# the cell is edited): OWASP's CSV/formula injection. Such text is written as a string cell
# with Excel's quote prefix, never as a formula; the text itself is kept as typed.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def put_text(cell: Any, value: str | None) -> None:
    """Write text a user typed into a cell: always a string, never a formula."""
    cell.value = value
    if value and value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True


def _number_format(places: int) -> str:
    return "0." + "0" * places if places else "0"


def _font(bold: bool = False, size: float = 14) -> Font:
    return Font(name=font_name(), size=size, bold=bold)


class _Writer:
    def __init__(self, ws: Worksheet, doc: Document) -> None:
        self.ws, self.doc, self.row = ws, doc, 1
        self.widths: dict[int, float] = {}
        self.title_rows: tuple[int, int] | None = None

    def text(self, value: str, *, bold: bool = False, size: float = 14) -> None:
        cell = self.ws.cell(row=self.row, column=1)
        put_text(cell, value)
        cell.font = _font(bold, size)
        cell.alignment = Alignment(wrap_text=False, vertical="top")
        self.row += 1

    def table(self, block: Table) -> None:
        if block.caption:
            self.text(block.caption, bold=True)
        first_header = self.row
        for header in block.header:
            self._row(header, header=True)
        self._row([Cell(c.label) for c in block.columns], header=True)
        if self.title_rows is None:
            self.title_rows = (first_header, self.row - 1)
        top = self.row  # the sheet row of block.rows[0]
        for i, cells in enumerate(block.rows):
            self._row(cells, top=top, group=i in block.group_rows)
        total = sum(c.width for c in block.columns) or 1
        for i, c in enumerate(block.columns, start=1):
            self.widths[i] = max(self.widths.get(i, 0), 100 * c.width / total)
        self.row += 1

    def _row(self, cells: list[Cell], *, header: bool = False, top: int = 0, group: bool = False) -> None:
        ws, col = self.ws, 1
        for c in cells:
            target = ws.cell(row=self.row, column=col)
            self._value(target, c, top)
            target.font = _font(c.bold or header or group)
            target.border = BOX
            target.alignment = Alignment(
                wrap_text=True, vertical="center" if header else "top",
                horizontal="center" if header else (c.align or None),
            )  # fmt: skip
            if header:
                target.fill = PatternFill("solid", fgColor="F2F2F2")
            if c.colspan > 1:
                for extra in range(col + 1, col + c.colspan):
                    ws.cell(row=self.row, column=extra).border = BOX
                ws.merge_cells(
                    start_row=self.row, start_column=col, end_row=self.row, end_column=col + c.colspan - 1
                )
            col += c.colspan
        self.row += 1

    def _number(self, target: Any, number_format: str = "General") -> None:
        if self.doc.style.thai_digits:
            number_format = THAI_DIGITS + number_format
        target.number_format = number_format

    def _value(self, target: Any, c: Cell, top: int) -> None:
        value = c.value
        letter = get_column_letter(target.column)
        if isinstance(value, Sum):
            target.value = f"=SUM({letter}{top + value.first}:{letter}{top + value.last})"
            places = c.places
            self._number(target, MONEY_FORMAT if c.money else _number_format(places) if places else "General")
        elif isinstance(value, Average):
            target.value = f"=IFERROR(AVERAGE({letter}{top + value.first}:{letter}{top + value.last}),0)"
            self._number(target, "0.00")
        elif isinstance(value, Rank):
            row = top + value.row
            first, last = get_column_letter(value.first_col + 1), get_column_letter(value.last_col + 1)
            target.value = f"=RANK({letter}{row},${first}${row}:${last}${row})"
            self._number(target)
        elif isinstance(value, dt.date):
            target.value = value
            target.number_format = DATE_FORMAT_THAI_DIGITS if self.doc.style.thai_digits else DATE_FORMAT
        elif isinstance(value, Decimal):
            target.value = float(value)
            self._number(
                target, MONEY_FORMAT if c.money else _number_format(c.places) if c.places else "#,##0"
            )
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            target.value = value
            self._number(target, _number_format(c.places) if c.places else "General")
        else:
            put_text(target, cell_text(c, self.doc.style) or None)

    def finish(self, landscape: bool) -> None:
        ws = self.ws
        usable_chars = 120 if landscape else 80
        for col, pct in self.widths.items():
            ws.column_dimensions[get_column_letter(col)].width = max(6, usable_chars * pct / 100)
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_margins.left = 3 / CM_PER_INCH
        ws.page_margins.right = 2 / CM_PER_INCH
        ws.page_margins.top = 2.5 / CM_PER_INCH
        ws.page_margins.bottom = 2 / CM_PER_INCH
        ws.oddHeader.right.text = "หน้าที่ &P/&N"
        ws.oddHeader.right.font = font_name()
        if self.doc.header_note:
            ws.oddHeader.left.text = self.doc.header_note
        if self.title_rows:
            ws.print_title_rows = f"{self.title_rows[0]}:{self.title_rows[1]}"


def render(doc: Document) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    used: set[str] = set()
    writer: _Writer | None = None
    landscape = False
    for section in doc.sections:
        if writer is None or section.name or section.page_break:
            if writer is not None:
                writer.finish(landscape)
            title = section.name or next(
                (b.text for b in section.blocks if isinstance(b, Heading)), doc.title
            )
            writer = _Writer(wb.create_sheet(_sheet_name(title, used)), doc)
            landscape = section.landscape
        for block in section.blocks:
            if isinstance(block, Cover):
                for line in block.lines:
                    writer.text(line, bold=True, size=18)
            elif isinstance(block, Heading):
                writer.text(block.text, bold=True, size=16 if block.level == 1 else 14)
            elif isinstance(block, Paragraph):
                for line in block.text.split("\n"):
                    writer.text(line, bold=block.bold)
            elif isinstance(block, Fields):
                for label, value in block.rows:
                    for column, text, bold in ((1, label, True), (2, value, False)):
                        cell = writer.ws.cell(row=writer.row, column=column)
                        put_text(cell, text)
                        cell.font = _font(bold)
                    writer.row += 1
            elif isinstance(block, Table):
                writer.table(block)
            elif isinstance(block, Signatures):
                writer.row += 1
                for sig in block.items:
                    writer.text("  ".join(signature_lines(sig)))
            elif isinstance(block, Contents):
                writer.text(block.title, bold=True, size=16)
                for h in doc.contents():
                    writer.text(h.text)
    if writer is not None:
        writer.finish(landscape)
    if not wb.sheetnames:
        wb.create_sheet("Sheet")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
