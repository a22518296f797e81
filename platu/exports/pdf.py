"""PDF with WeasyPrint: Sarabun embedded (from fontpkg-sarabun), named pages for landscape
sections, running headers with "หน้าที่ x/y", contents with target page numbers."""

from __future__ import annotations

import logging
import re
from typing import Any

import fontpkg_sarabun
from django.template.loader import render_to_string

from platu.exports.document import (
    Cell,
    Contents,
    Document,
    Table,
    cell_text,
)

FONT_DIR = fontpkg_sarabun.ROOT / "files"
# WeasyPrint logs every layout step at INFO.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
# SARA AM (ำ) is drawn as two glyphs, NIKHAHIT and SARA AA; WeasyPrint maps each glyph of the
# PDF to one text, so a shaped ำ copies out of the PDF as า. Written as its two parts in the
# order the shaper puts them (NIKHAHIT before a tone mark: น้ำ → น ํ ้ า), it renders the same
# and copies out as ํา, which readers and search engines treat as ำ.
_SARA_AM = re.compile("([\u0e48-\u0e4b]?)\u0e33")


def decompose_sara_am(text: str) -> str:
    return _SARA_AM.sub(lambda m: "\u0e4d" + m[1] + "\u0e32", text)


def _cells(row: list[Cell], doc: Document) -> list[dict[str, Any]]:
    return [
        {"text": cell_text(c, doc.style), "colspan": c.colspan, "bold": c.bold, "align": c.align} for c in row
    ]


def _block(block: Any, doc: Document) -> dict[str, Any]:
    kind = type(block).__name__.lower()
    out: dict[str, Any] = {"kind": kind, "b": block}
    if isinstance(block, Table):
        total = sum(c.width for c in block.columns) or 1
        out["columns"] = [
            {"label": doc.style.digits(c.label) if doc.style.thai_digits else c.label,
             "width": f"{100 * c.width / total:.2f}%", "align": c.align}
            for c in block.columns
        ]  # fmt: skip
        out["header"] = [_cells(r, doc) for r in block.header]
        out["rows"] = [
            {"cells": _cells(r, doc), "group": i in block.group_rows} for i, r in enumerate(block.rows)
        ]
    elif isinstance(block, Contents):
        out["entries"] = doc.contents()
    return out


def html(doc: Document) -> str:
    sections = [
        {
            "landscape": s.landscape,
            "break": s.page_break and i > 0,
            "blocks": [_block(b, doc) for b in s.blocks],
        }
        for i, s in enumerate(doc.sections)
    ]
    return decompose_sara_am(
        render_to_string(
            "exports/document.html",
            {
                "doc": doc,
                "sections": sections,
                "font_dir": FONT_DIR.as_uri(),
                "counter_style": "thai" if doc.style.thai_digits else "decimal",
                # Inside a CSS string in <style>: no quotes, backslashes, angle brackets or line breaks.
                "header_note": re.sub(r'[<>"\\]', "", " ".join(doc.header_note.split())),
            },
        )
    )


def render(doc: Document) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(string=html(doc), base_url=str(FONT_DIR)).write_pdf()
    return pdf
