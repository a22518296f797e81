"""Text out of attachments, for the index: PDF (pypdf), DOCX, XLSX and PPTX (their XML parts).

Bounded: at most `PLATU_EXTRACT_MAX_CHARS` characters and `MAX_PDF_PAGES` pages per file; a file
that cannot be read gives no text (it stays downloadable, it is only not searchable).
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from typing import IO
from xml.etree import ElementTree

from django.conf import settings

from platu.knowledge.files import DOCX, PDF, PPTX, XLSX

log = logging.getLogger(__name__)

MAX_PDF_PAGES = 300
MAX_XML_BYTES = 50 * 1024 * 1024
_SLIDE = re.compile(r"ppt/slides/slide(\d+)\.xml$")
_SHEET = re.compile(r"xl/worksheets/sheet\d+\.xml$")


def max_chars() -> int:
    return int(getattr(settings, "PLATU_EXTRACT_MAX_CHARS", 200_000))


def _xml_text(data: bytes, tags: set[str], breaks: set[str]) -> str:
    out: list[str] = []
    for _event, element in ElementTree.iterparse(io.BytesIO(data), events=("end",)):
        local = element.tag.rsplit("}", 1)[-1]
        if local in tags and element.text:
            out.append(element.text)
        elif local in breaks:
            out.append("\n")
        element.clear()
    return "".join(out)


def _zip_parts(stream: IO[bytes], pattern: re.Pattern[str]) -> list[bytes]:
    with zipfile.ZipFile(stream) as archive:
        names = [n for n in archive.namelist() if pattern.search(n)]

        def order(name: str) -> tuple[int, str]:
            m = re.search(r"(\d+)\.xml$", name)
            return (int(m.group(1)) if m else 0, name)

        parts = []
        total = 0
        for name in sorted(names, key=order):
            info = archive.getinfo(name)
            total += info.file_size
            if total > MAX_XML_BYTES:
                break
            parts.append(archive.read(name))
        return parts


def _docx(stream: IO[bytes]) -> str:
    parts = _zip_parts(stream, re.compile(r"word/(document|header\d*|footer\d*|footnotes)\.xml$"))
    return "\n".join(_xml_text(p, {"t"}, {"p", "br", "tab"}) for p in parts)


def _pptx(stream: IO[bytes]) -> str:
    parts = _zip_parts(stream, _SLIDE)
    return "\n".join(_xml_text(p, {"t"}, {"p"}) for p in parts)


def _xlsx(stream: IO[bytes]) -> str:
    shared = _zip_parts(stream, re.compile(r"xl/sharedStrings\.xml$"))
    stream.seek(0)
    sheets = _zip_parts(stream, _SHEET)
    # Shared strings hold the text cells; inline strings and numbers sit in the sheets.
    texts = [_xml_text(p, {"t"}, {"si"}) for p in shared]
    texts += [_xml_text(p, {"t", "v"}, {"row"}) for p in sheets]
    return "\n".join(texts)


def _pdf(stream: IO[bytes]) -> str:
    from pypdf import PdfReader

    reader = PdfReader(stream)
    out: list[str] = []
    size = 0
    for n, page in enumerate(reader.pages):
        if n >= MAX_PDF_PAGES or size > max_chars():
            break
        text = page.extract_text() or ""
        out.append(text)
        size += len(text)
    return "\n".join(out)


EXTRACTORS = {PDF: _pdf, DOCX: _docx, XLSX: _xlsx, PPTX: _pptx}


def extract_text(stream: IO[bytes], content_type: str) -> str:
    extractor = EXTRACTORS.get(content_type)
    if extractor is None:
        return ""
    try:
        text = extractor(stream)
    except Exception:  # a damaged or unusual file: keep it, just without text
        log.warning("Could not read text from a %s file", content_type, exc_info=True)
        return ""
    text = re.sub(r"[ \t\r\f\v]+", " ", text.replace("\x00", ""))
    return re.sub(r"\n\s*\n+", "\n", text).strip()[: max_chars()]
