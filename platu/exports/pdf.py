"""PDF with WeasyPrint: Sarabun embedded (from fontpkg-sarabun), named pages for landscape
sections, running headers with "หน้าที่ x/y", contents with target page numbers."""

from __future__ import annotations

import functools
import itertools
import logging
import re
from typing import Any

import fontpkg_sarabun
from django.template.loader import render_to_string

from platu.exports.document import (
    Cell,
    Contents,
    Document,
    Signatures,
    Table,
    cell_text,
    signature_lines,
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


# Thai is written without spaces between words, and WeasyPrint finds no place to break a line
# inside a Thai run: a narrow column then cuts a word anywhere ("เป้าหมา/ย"). A zero-width space
# between two words (cut by the search's segmenter, with the organisations' own terms) lets a
# line break there and nowhere else; it is invisible and copies out of the PDF as nothing.
ZWSP = "\u200b"
_THAI = re.compile("[\u0e01-\u0e4e]")
_THAI_END = re.compile("[\u0e01-\u0e4e]$")
# A word may start with a consonant or a leading vowel (เ แ โ ใ ไ); never with ๆ, a vowel
# or tone mark that belongs to the letter before it.
_THAI_START = re.compile("[\u0e01-\u0e2e\u0e40-\u0e44]")
_TEXT_NODE = re.compile(r">([^<]+)<")


def thai_breaks(text: str) -> str:
    """`text` with a zero-width space between each two Thai words."""
    if not _THAI.search(text):
        return text
    import nlpo3

    from platu.search.segment import get_segmenter

    words: list[str] = nlpo3.segment(text, get_segmenter().name, False, False)
    if "".join(words) != text:  # never change what is printed
        return text
    out = words[:1]
    for before, word in itertools.pairwise(words):
        if _THAI_END.search(before) and _THAI_START.match(word):
            out.append(ZWSP)
        out.append(word)
    return "".join(out)


def break_thai_words(page: str) -> str:
    """thai_breaks on the text of the page's body (not its style sheet or attributes)."""
    head, sep, body = page.partition("<body>")
    if not sep:
        return page
    return head + sep + _TEXT_NODE.sub(lambda m: f">{thai_breaks(m[1])}<", body)


def _cells(row: list[Cell], doc: Document) -> list[dict[str, Any]]:
    return [
        {"text": cell_text(c, doc.style), "colspan": c.colspan, "bold": c.bold, "align": c.align} for c in row
    ]


# Column widths: a column is at least as wide as the longest word of its heading (10.5pt bold)
# and of its cells (11pt), measured with Sarabun's own advance widths, so that a word breaks
# only when it is longer than a third of the table.
PAGE_CM = {False: 21.0 - 5.0, True: 29.7 - 5.0}  # the text width of a portrait / landscape page
CELL_PADDING_CM = 0.3  # 3pt on each side, the rules and a little air
PT_CM = 2.54 / 72


@functools.lru_cache(maxsize=2)
def _advances(bold: bool) -> tuple[dict[int, int], int]:
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    font = TTFont(str(FONT_DIR / ("Sarabun-Bold.ttf" if bold else "Sarabun-Regular.ttf")), lazy=True)
    cmap, hmtx = font.getBestCmap(), font["hmtx"]
    return {code: hmtx[glyph][0] for code, glyph in cmap.items()}, font["head"].unitsPerEm


def text_width_cm(text: str, size_pt: float, *, bold: bool = False) -> float:
    advances, em = _advances(bold)
    return sum(advances.get(ord(ch), em // 2) for ch in text) / em * size_pt * PT_CM


def _longest_word_cm(text: str, size_pt: float, bold: bool) -> float:
    words = thai_breaks(text).replace(ZWSP, " ").split()
    return max((text_width_cm(w, size_pt, bold=bold) for w in words), default=0.0)


def column_widths(block: Table, doc: Document, landscape: bool) -> list[float]:
    """The columns' shares of the table (summing to 1)."""
    total = sum(c.width for c in block.columns) or 1
    shares = [c.width / total for c in block.columns]
    page = PAGE_CM[landscape]
    need = []
    for i, column in enumerate(block.columns):
        label = doc.style.digits(column.label) if doc.style.thai_digits else column.label
        longest = _longest_word_cm(label, 10.5, True)
        for row in block.rows:
            if i < len(row) and row[i].colspan == 1:
                longest = max(longest, _longest_word_cm(cell_text(row[i], doc.style), 11, row[i].bold))
        need.append(min((longest + CELL_PADDING_CM) / page, 1 / 3))
    short = sum(max(0.0, n - s) for n, s in zip(need, shares, strict=True))
    spare = sum(max(0.0, s - n) for n, s in zip(need, shares, strict=True))
    if short <= 0 or spare < short:
        return shares
    return [n if n >= s else s - (s - n) * short / spare for n, s in zip(need, shares, strict=True)]


def _block(block: Any, doc: Document, landscape: bool = False) -> dict[str, Any]:
    kind = type(block).__name__.lower()
    out: dict[str, Any] = {"kind": kind, "b": block}
    if isinstance(block, Table):
        out["columns"] = [
            {"label": doc.style.digits(c.label) if doc.style.thai_digits else c.label,
             "width": f"{100 * share:.2f}%", "align": c.align}
            for c, share in zip(block.columns, column_widths(block, doc, landscape), strict=True)
        ]  # fmt: skip
        out["header"] = [_cells(r, doc) for r in block.header]
        out["rows"] = [
            {"cells": _cells(r, doc), "group": i in block.group_rows} for i, r in enumerate(block.rows)
        ]
    elif isinstance(block, Contents):
        out["entries"] = doc.contents()
    return out


def _blocks(blocks: list[Any], doc: Document, landscape: bool) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for block in blocks:
        item = _block(block, doc, landscape)
        if isinstance(block, Signatures):
            item["signers"] = [signature_lines(sig) for sig in block.items]
            # The signatures never stand alone on a page: the paragraph above goes with them.
            if out and out[-1]["kind"] == "paragraph":
                item["lead"] = out.pop()["b"]
        out.append(item)
    return out


def html(doc: Document) -> str:
    sections = [
        {
            "landscape": s.landscape,
            "break": s.page_break and i > 0,
            "blocks": _blocks(s.blocks, doc, s.landscape),
        }
        for i, s in enumerate(doc.sections)
    ]
    from platu.lib.htmldigits import convert

    digits = convert if doc.style.thai_digits else (lambda text: text)  # one style of digits
    return decompose_sara_am(
        break_thai_words(
            digits(
                render_to_string(
                    "exports/document.html",
                    {
                        "doc": doc,
                        "sections": sections,
                        "font_dir": FONT_DIR.as_uri(),
                        "counter_style": "thai" if doc.style.thai_digits else "decimal",
                        # Inside a CSS string in <style>: no quotes, backslashes, angle brackets or line breaks.
                        "header_note": re.sub(
                            r'[<>"\\]', "", " ".join(_note_digits(doc)(doc.header_note).split())
                        ),
                    },
                )
            )
        )
    )


def _note_digits(doc: Document) -> Any:
    from platu.lib import htmldigits

    return htmldigits.text if doc.style.thai_digits else (lambda value: value)


def render(doc: Document) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(string=html(doc), base_url=str(FONT_DIR)).write_pdf()
    return pdf
