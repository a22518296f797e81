"""A dashboard's numbers as tables: shown under each chart, and downloaded as CSV or XLSX
(`?format=csv|xlsx&table=<key>`), so that what a chart draws can be read, copied and checked."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import HttpResponse

from platu.exports import xlsx
from platu.exports.document import Cell, Document, Section, Style
from platu.exports.document import Column as DocColumn
from platu.exports.document import Table as DocTable
from platu.lib import thaidate

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Column:
    key: str
    label: str
    number: bool = True
    places: int = 0
    sortable: bool = True


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    totals: dict[str, Any] | None = None
    filename: str = "dashboard"
    shown_rows: list[list[dict[str, Any]]] = field(default_factory=list)
    shown_totals: list[dict[str, Any]] = field(default_factory=list)

    def prepare(self, *, digits: bool = False) -> Table:
        """The cells as the page shows them (Thai digits when the organisation chose them)."""
        self.shown_rows = [self.cells(row, digits=digits) for row in self.rows]
        self.shown_totals = self.cells(self.totals, digits=digits) if self.totals else []
        return self

    def cells(self, row: dict[str, Any], *, digits: bool = False) -> list[dict[str, Any]]:
        """The row's cells as the template shows them: text, number class, link."""
        out = []
        for c in self.columns:
            value = row.get(c.key)
            out.append({"text": shown(value, c, digits=digits), "number": c.number,
                        "url": row.get("_url") if c is self.columns[0] else ""})  # fmt: skip
        return out

    def csv(self) -> HttpResponse:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([c.label for c in self.columns])
        for row in [*self.rows, *([self.totals] if self.totals else [])]:
            writer.writerow([_csv_value(row.get(c.key), c) for c in self.columns])
        # With a byte-order mark, Excel opens the Thai text as UTF-8.
        response = HttpResponse(
            ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.filename}-{self.key}.csv"'
        return response

    def xlsx(self, organisation: str = "") -> HttpResponse:
        doc_rows = [[_cell(row.get(c.key), c) for c in self.columns] for row in self.rows]
        if self.totals:
            doc_rows.append([_cell(self.totals.get(c.key), c, bold=True) for c in self.columns])
        table = DocTable(columns=[DocColumn(c.label, align="right" if c.number else "") for c in self.columns],
                         rows=doc_rows, caption=self.title, sheet_name=self.title[:28])  # fmt: skip
        doc = Document(title=self.title, filename=f"{self.filename}-{self.key}",
                       sections=[Section(blocks=[table], landscape=len(self.columns) > 6, name=self.title[:28])],
                       style=Style(), organisation=organisation)  # fmt: skip
        response = HttpResponse(
            xlsx.render(doc), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.filename}-{self.key}.xlsx"'
        return response


@dataclass
class Chart:
    svg: Any
    table: Table
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def shown(value: Any, column: Column, *, digits: bool = False) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        text = f"{value:,.{column.places}f}"
    else:
        text = str(value)
    return thaidate.thai_digits(text) if digits else text


def _csv_value(value: Any, column: Column) -> Any:
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return f"{value:.{column.places}f}"
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _cell(value: Any, column: Column, *, bold: bool = False) -> Cell:
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return Cell(value, bold=bold, align="right", places=column.places)
    return Cell("" if value is None else str(value), bold=bold)
