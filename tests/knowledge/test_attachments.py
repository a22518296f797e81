"""Attachments: type from content, size limit, safe names, permission-checked downloads."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile

from platu.knowledge import actions
from platu.knowledge.models import AppliedReport, Attachment, VideoLink
from platu.lib.errors import InvalidAction
from tests.knowledge.conftest import client_for, make_item, publish
from tests.knowledge.files import ooxml_bytes, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db


def stored_files(settings: Any) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("รายงาน.pdf", pdf_bytes(), "application/pdf"),
        ("แบบฟอร์ม.docx", ooxml_bytes("word/document.xml"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("คะแนน.xlsx", ooxml_bytes("xl/workbook.xml"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("สไลด์.pptx", ooxml_bytes("ppt/presentation.xml"), "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        ("ภาพ.png", png_bytes(), "image/png"),
    ],
)  # fmt: skip
def test_allowed_types_are_stored_under_random_names(
    kw: SimpleNamespace, settings: Any, name: str, data: bytes, content_type: str
) -> None:
    item = make_item(kw.member, kw.a)
    response = client_for(kw.member).post(
        f"/knowledge/{item.pk}/files/", {"file": SimpleUploadedFile(name, data, "application/octet-stream")}
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(item=item)
    assert (
        attachment.name == name and attachment.content_type == content_type and attachment.size == len(data)
    )
    files = stored_files(settings)
    assert len(files) == 1 and files[0].name == attachment.uid.hex and files[0].read_bytes() == data


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("ไวรัส.pdf", b"MZ\x90\x00 this is a windows program", "ไม่รับไฟล์ชนิดนี้"),
        ("page.html", b"<html><script>alert(1)</script></html>", "ไม่รับไฟล์ชนิดนี้"),
        ("fake.docx", b"PK\x03\x04 not really a zip", "ไม่รับไฟล์ชนิดนี้"),
        ("plain.zip", b"", "empty"),
        ("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "ไฟล์ภาพเสียหาย"),
    ],
)
def test_wrong_types_are_refused_and_nothing_is_stored(
    kw: SimpleNamespace, settings: Any, name: str, data: bytes, message: str
) -> None:
    item = make_item(kw.member, kw.a)
    response = client_for(kw.member).post(
        f"/knowledge/{item.pk}/files/", {"file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 400
    assert not Attachment.objects.exists() and stored_files(settings) == []
    if message != "empty":
        with pytest.raises(InvalidAction, match=message):
            actions.add_attachment(item, SimpleUploadedFile(name, data), acting_user=kw.member.user)


def test_too_large_is_refused_with_the_limit_in_the_message(kw: SimpleNamespace, settings: Any) -> None:
    settings.PLATU_UPLOAD_MAX_BYTES = 1024 * 1024
    item = make_item(kw.member, kw.a)
    data = pdf_bytes() + b"\n%" + b"x" * (1024 * 1024)
    response = client_for(kw.member).post(
        f"/knowledge/{item.pk}/files/", {"file": SimpleUploadedFile("ใหญ่.pdf", data)}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "ไฟล์ใหญ่เกินไป: 1.0 MB ขนาดสูงสุดคือ 1 MB" in page
    assert not Attachment.objects.exists() and stored_files(settings) == []


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.pdf", "..\\..\\boot.pdf", "a\x00.pdf", "dir/x.pdf", "..", "\x07bell.pdf"]
)
def test_dangerous_names_are_refused(kw: SimpleNamespace, settings: Any, name: str) -> None:
    item = make_item(kw.member, kw.a)
    # A File as an import or a command passes it (Django's upload parser already strips paths).
    upload = File(io.BytesIO(pdf_bytes()), name=name)
    with pytest.raises(InvalidAction, match="ชื่อไฟล์นี้ใช้ไม่ได้"):
        actions.add_attachment(item, upload, acting_user=kw.member.user)
    assert not Attachment.objects.exists() and stored_files(settings) == []


def test_upload_through_http_never_uses_the_sent_path(kw: SimpleNamespace, settings: Any) -> None:
    item = make_item(kw.member, kw.a)
    client_for(kw.member).post(
        f"/knowledge/{item.pk}/files/", {"file": SimpleUploadedFile("../../../outside.pdf", pdf_bytes())}
    )
    for path in stored_files(settings):
        assert Path(settings.MEDIA_ROOT) in path.parents and "outside" not in str(path)


def test_download_is_an_attachment_with_nosniff_and_permission_checked(kw: SimpleNamespace) -> None:
    item = make_item(kw.member, kw.a)
    attachment = actions.add_attachment(
        item, SimpleUploadedFile("คู่มือ.pdf", pdf_bytes()), acting_user=kw.member.user
    )
    url = f"/files/{attachment.uid}/"
    response = client_for(kw.member).get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == pdf_bytes()  # type: ignore[attr-defined]
    # A draft: nobody else may fetch it, not even a colleague or anonymous.
    assert client_for(kw.owner).get(url).status_code == 404
    assert client_for(kw.outsider).get(url).status_code == 404
    from django.test import Client

    assert Client().get(url).status_code == 404
    publish(item, kw)
    assert client_for(kw.owner).get(url).status_code == 200
    assert client_for(kw.outsider).get(url).status_code == 404


def test_images_may_show_inline_but_documents_never(kw: SimpleNamespace) -> None:
    item = make_item(kw.member, kw.a)
    image = actions.add_attachment(
        item, SimpleUploadedFile("ภาพ.png", png_bytes()), acting_user=kw.member.user
    )
    pdf = actions.add_attachment(item, SimpleUploadedFile("x.pdf", pdf_bytes()), acting_user=kw.member.user)
    client = client_for(kw.member)
    assert client.get(f"/files/{image.uid}/?inline=1")["Content-Disposition"].startswith("inline")
    assert client.get(f"/files/{pdf.uid}/?inline=1")["Content-Disposition"].startswith("attachment")


def test_only_authors_attach_and_not_during_review(kw: SimpleNamespace) -> None:
    from platu.knowledge import workflow

    item = publish(make_item(kw.member, kw.a), kw)
    response = client_for(kw.owner).post(
        f"/knowledge/{item.pk}/files/", {"file": SimpleUploadedFile("x.pdf", pdf_bytes())}
    )
    assert response.status_code == 400 and not Attachment.objects.exists()
    draft = make_item(kw.member, kw.a)
    workflow.submit(draft, acting_user=kw.member.user)
    with pytest.raises(InvalidAction, match="เปลี่ยนไฟล์ไม่ได้ขณะอยู่ระหว่างกลั่นกรอง"):
        actions.add_attachment(draft, SimpleUploadedFile("x.pdf", pdf_bytes()), acting_user=kw.member.user)


def test_remove_attachment_deletes_the_file(
    kw: SimpleNamespace, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    item = make_item(kw.member, kw.a)
    attachment = actions.add_attachment(
        item, SimpleUploadedFile("x.pdf", pdf_bytes()), acting_user=kw.member.user
    )
    with django_capture_on_commit_callbacks(execute=True):
        client_for(kw.member).post(f"/knowledge/{item.pk}/files/{attachment.uid}/delete/")
    assert not Attachment.objects.exists() and stored_files(settings) == []


def test_video_embeds_only_for_allowed_hosts(kw: SimpleNamespace) -> None:
    item = make_item(kw.member, kw.a, visibility="public")
    client = client_for(kw.member)
    client.post(
        f"/knowledge/{item.pk}/videos/",
        {"url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "title": "สาธิต"},
    )
    client.post(f"/knowledge/{item.pk}/videos/", {"url": "https://evil.example/watch?v=x", "title": "อื่น"})
    client.post(f"/knowledge/{item.pk}/videos/", {"url": "javascript:alert(1)"})
    assert VideoLink.objects.count() == 2
    page = client.get(f"/knowledge/{item.pk}/").content.decode()
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in page
    assert "<iframe" in page and page.count("<iframe") == 1
    assert 'href="https://evil.example/watch?v=x"' in page


def test_applied_report_with_evidence(kw: SimpleNamespace, settings: Any) -> None:
    item = publish(make_item(kw.member, kw.a), kw)
    client = client_for(kw.owner)
    bad = client.post(f"/knowledge/{item.pk}/applied/", {
        "applied_on": "2026-11-01", "where": "ห้อง ป.2", "outcome": "เด็กอ่านคล่องขึ้น",
        "evidence": SimpleUploadedFile("x.exe", b"MZ\x90\x00"),
    })  # fmt: skip
    assert bad.status_code == 400 and "ห้อง ป.2" in bad.content.decode() and not AppliedReport.objects.exists()
    good = client.post(f"/knowledge/{item.pk}/applied/", {
        "applied_on": "2026-11-01", "where": "ห้อง ป.2", "outcome": "เด็กอ่านคล่องขึ้น",
        "evidence": SimpleUploadedFile("ภาพกิจกรรม.png", png_bytes()),
    })  # fmt: skip
    assert good.status_code == 302
    report = AppliedReport.objects.get()
    assert report.evidence_type == "image/png" and report.person == kw.owner
    item.refresh_from_db()
    assert item.applied_count == 1
    assert client.get(f"/evidence/{report.evidence_uid}/").status_code == 200
    assert client_for(kw.outsider).get(f"/evidence/{report.evidence_uid}/").status_code == 404
