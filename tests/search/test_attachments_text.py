"""Text inside attachments is read (capped) and indexed."""

from __future__ import annotations

import io
import zipfile
from types import SimpleNamespace
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from platu.knowledge import actions
from platu.knowledge.extract import extract_text
from platu.knowledge.files import DOCX, PDF, PPTX, XLSX
from platu.knowledge.search import search_items
from tests.knowledge.files import pdf_bytes
from tests.search.conftest import ids

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def ooxml(parts: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        for name, xml in parts.items():
            archive.writestr(name, xml)
    return out.getvalue()


def docx(text: str) -> bytes:
    return ooxml(
        {
            "word/document.xml": f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>'
        }
    )


def test_each_format_gives_its_text() -> None:
    assert "ปุ๋ยหมักจากใบไม้" in extract_text(io.BytesIO(docx("ปุ๋ยหมักจากใบไม้")), DOCX)
    pptx = ooxml({"ppt/slides/slide1.xml": f'<p:sld xmlns:p="p" xmlns:a="{A}"><a:p><a:r><a:t>สไลด์แรก</a:t></a:r></a:p></p:sld>',
                  "ppt/slides/slide2.xml": f'<p:sld xmlns:p="p" xmlns:a="{A}"><a:p><a:r><a:t>สไลด์สอง</a:t></a:r></a:p></p:sld>'})  # fmt: skip
    assert extract_text(io.BytesIO(pptx), PPTX).split() == ["สไลด์แรก", "สไลด์สอง"]
    xlsx = ooxml({"xl/sharedStrings.xml": f'<sst xmlns="{S}"><si><t>งบประมาณอาหารกลางวัน</t></si></sst>',
                  "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{S}"><sheetData><row><c><v>125000</v></c></row></sheetData></worksheet>'})  # fmt: skip
    text = extract_text(io.BytesIO(xlsx), XLSX)
    assert "งบประมาณอาหารกลางวัน" in text and "125000" in text
    assert "Photosynthesis" in extract_text(io.BytesIO(pdf_bytes("Photosynthesis 2568")), PDF)
    assert extract_text(io.BytesIO(b"%PDF-1.4 broken"), PDF) == ""  # unreadable: no text, no error


def test_the_text_is_capped(settings: Any) -> None:
    settings.PLATU_EXTRACT_MAX_CHARS = 100
    assert len(extract_text(io.BytesIO(docx("ก" * 5000)), DOCX)) == 100


def test_an_uploaded_files_words_are_found(
    sw: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    upload = SimpleUploadedFile("คู่มือ.docx", docx("วิธีทำปุ๋ยหมักจากใบจามจุรี"), content_type=DOCX)
    assert ids(search_items(sw.member.user, "จามจุรี")) == set()
    with django_capture_on_commit_callbacks(execute=True):
        attachment = actions.add_attachment(sw.long, upload, acting_user=sw.owner.user)
    attachment.refresh_from_db()
    assert attachment.text_extracted and "จามจุรี" in attachment.text
    assert ids(search_items(sw.member.user, "จามจุรี")) == {sw.long.pk}
    actions.delete_attachment(attachment, acting_user=sw.owner.user)
    assert ids(search_items(sw.member.user, "จามจุรี")) == set()
