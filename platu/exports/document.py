"""An official document as data, rendered three ways (PDF, DOCX, XLSX) by the renderers
beside this module. Builders (e.g. planning/documents.py) describe what a form holds; the
renderers own the layout rules every Thai official form shares: A4, margins left 3 cm and
right 2 cm, Sarabun, "หน้าที่ x/y", landscape sections for wide tables, table headers repeated
on every page, B.E. dates that never break inside "พ.ศ. ๒๕๖๘", and Thai digits when the
organisation chose them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeAlias

from platu.lib import thaidate

NBSP = "\u00a0"


@dataclass
class Style:
    """How numbers and dates are written in one organisation's documents."""

    thai_digits: bool = False

    def digits(self, text: object) -> str:
        return thaidate.thai_digits(text) if self.thai_digits else str(text)

    def date(self, value: dt.date | None, style: thaidate.DateStyle = "full") -> str:
        if value is None:
            return ""
        # The day, month and year stay on one line.
        return thaidate.format_date(value, style, use_thai_digits=self.thai_digits).replace(" ", NBSP)

    def period(self, start: dt.date | None, end: dt.date | None) -> str:
        if not start and not end:
            return ""
        if start and end:
            return f"{self.date(start, 'short')} – {self.date(end, 'short')}"
        return self.date(start or end, "short")

    def year(self, year_be: int) -> str:
        """ "พ.ศ. ๒๕๖๘" with a no-break space."""
        return f"พ.ศ.{NBSP}{self.digits(year_be)}"

    def number(self, value: int | float | Decimal | None, places: int = 0) -> str:
        if value is None:
            return ""
        return self.digits(f"{value:,.{places}f}")

    def money(self, value: Decimal | None) -> str:
        return self.number(value, 2) if value is not None else ""


@dataclass
class Sum:
    """A total: the sum of the cells in the same column from table row `first` to `last`
    (indices into Table.rows). PDF and DOCX print `value`; XLSX writes a SUM formula."""

    value: float
    first: int
    last: int


@dataclass
class Average:
    """The average of cells in the same column (rows `first`..`last`), as Sum."""

    value: float
    first: int
    last: int
    places: int = 2


@dataclass
class Rank:
    """The rank of the cell in row `row` of this column among that row's cells from column
    `first_col` to `last_col` (ties share a rank: Excel's RANK)."""

    value: int
    row: int
    first_col: int
    last_col: int


CellValue: TypeAlias = str | int | float | Decimal | dt.date | Sum | Average | Rank | None


@dataclass
class Cell:
    value: CellValue = ""
    colspan: int = 1
    bold: bool = False
    align: str = ""  # "", "center", "right"
    money: bool = False  # a Decimal printed with 2 decimals
    places: int | None = None  # decimals printed for a number (PDF, DOCX) and shown (XLSX)


@dataclass
class Column:
    label: str
    width: float = 1.0  # relative
    align: str = ""


@dataclass
class Table:
    columns: list[Column]
    rows: list[list[Cell]]
    header: list[list[Cell]] = field(default_factory=list)  # extra header rows above the labels
    caption: str = ""
    sheet_name: str = ""  # XLSX sheet for this table (default: the section's)
    group_rows: set[int] = field(default_factory=set)  # row indices printed as group headings


@dataclass
class Heading:
    text: str
    level: int = 1
    anchor: str = ""  # target for the contents


@dataclass
class Paragraph:
    text: str
    align: str = ""
    bold: bool = False
    indent: bool = False


@dataclass
class Fields:
    """Label : value lines, as form headers print them."""

    rows: list[tuple[str, str]]


@dataclass
class Signature:
    """One signer: "ลงชื่อ ……… <role>", "(<name>)", "ตำแหน่ง <position>", <title>, <date>.
    An empty name or position prints a dotted line to fill in by hand."""

    role: str  # "ผู้ทบทวน", "ผู้อนุมัติ"
    name: str
    position: str  # the signer's job, e.g. "ผู้อำนวยการโรงเรียน"
    date: str = ""
    title: str = ""  # the role in the plan, e.g. "ผู้บริหารสูงสุดของส่วนราชการ (CEO)"


@dataclass
class Signatures:
    items: list[Signature]


SIGN_HERE = "……………………………………"


def signature_lines(sig: Signature) -> list[str]:
    """The signing lines of one signer, as every renderer prints them."""
    lines = [
        f"ลงชื่อ {SIGN_HERE} {sig.role}".strip(),
        f"({sig.name or SIGN_HERE})",
        f"ตำแหน่ง {sig.position or SIGN_HERE}",
    ]
    if sig.title:
        lines.append(sig.title)
    lines.append(sig.date or "วันที่ ……………………")
    return lines


@dataclass
class Contents:
    """A table of contents of the document's level-1 headings with anchors."""

    title: str


@dataclass
class Cover:
    lines: list[str]
    logo_path: str = ""


Block: TypeAlias = Heading | Paragraph | Fields | Table | Signatures | Contents | Cover


@dataclass
class Section:
    blocks: list[Block]
    landscape: bool = False
    name: str = ""  # XLSX sheet name
    page_break: bool = True  # start on a new page


@dataclass
class Document:
    title: str
    filename: str  # without extension
    sections: list[Section]
    style: Style = field(default_factory=Style)
    organisation: str = ""
    header_note: str = ""  # e.g. "แบบฟอร์ม 2" at the top right of every page

    def contents(self) -> list[Heading]:
        return [
            b for s in self.sections for b in s.blocks if isinstance(b, Heading) and b.level == 1 and b.anchor
        ]


def cell_text(cell: Cell, style: Style) -> str:
    """The printed text of a cell (PDF and DOCX)."""
    value = cell.value
    if isinstance(value, Sum):
        return style.number(value.value, cell.places if cell.places is not None else 2 if cell.money else 0)
    if isinstance(value, Average):
        return style.number(value.value, value.places)
    if isinstance(value, Rank):
        return style.digits(value.value) if value.value else ""
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, Decimal) and cell.money:
        return style.money(value)
    if isinstance(value, (int, float, Decimal)):
        return style.number(value, cell.places or 0)
    if isinstance(value, dt.date):
        return style.date(value, "short")
    return style.digits(value) if style.thai_digits and value else (value or "")
