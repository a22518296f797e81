"""Issue 17, second part: the record's photos and files and its document, the head's approval of
PLC hours per academic term, the organisation's minimum, a knowledge item linked to its CoP from
the item form, and the network CoP's join rule."""

from __future__ import annotations

import io
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from platu.audit.models import AuditEntry
from platu.communities.models import Attendance, Community, Member, RecordFile, Session, SessionRecord
from platu.knowledge.models import Attachment, Item, ItemLink
from tests.communities.test_communities import _schedule, client_for
from tests.communities.test_communities import plc as plc
from tests.conftest import make_person
from tests.planning.test_documents import pdf_text


def png(size: tuple[int, int] = (8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def held(plc: SimpleNamespace) -> SimpleNamespace:
    """A weekly PLC in December 2569 (academic term 2/2569, fiscal year 2570) with a teacher who
    came to the first two sessions."""
    _schedule(plc, rule="weekly", until="17/12/2569")
    plc.teacher = make_person("teacher9", "ปราณี", "ขยัน", org=plc.a, roles=["member"], position="ครู")
    client_for(plc.teacher).post(reverse("communities:membership", args=[plc.plc.pk]), {"op": "join"})
    plc.sessions = list(Session.objects.filter(community=plc.plc))
    for s in plc.sessions[:2]:
        client_for(plc.member).post(
            reverse("communities:attendance", args=[s.pk]), {"present": [plc.teacher.pk]}
        )
    return plc


def _write_record(plc: SimpleNamespace, session: Session) -> None:
    fields = dict.fromkeys(SessionRecord.TEXT_FIELDS, "")
    data = {**fields, "version": "0", "topic": "เด็กอ่านสะกดคำไม่คล่อง", "aar_next": "ใช้บัตรคำทุกเช้า",
            "minutes": "<p><strong>มติ</strong> ทดลองสองสัปดาห์</p>"}  # fmt: skip
    assert (
        client_for(plc.member).post(reverse("communities:record", args=[session.pk]), data).status_code == 302
    )


def test_photos_and_files_follow_the_knowledge_upload_rules(held: SimpleNamespace, settings: Any) -> None:
    session = held.sessions[0]
    _write_record(held, session)
    add = reverse("communities:record_file_add", args=[session.pk])
    note_taker = client_for(held.member)
    assert note_taker.post(add, {"file": SimpleUploadedFile("ภาพกิจกรรม.png", png())}).status_code == 302
    row = RecordFile.objects.get(session=session)
    assert row.content_type == "image/png" and row.name == "ภาพกิจกรรม.png"
    assert AuditEntry.objects.filter(action="community.record_file").exists()
    page = note_taker.get(reverse("communities:record", args=[session.pk])).content.decode()
    assert "ภาพกิจกรรม.png" in page and row.get_absolute_url() in page
    # A program disguised as a photo, and a file over the limit: a message, nothing stored.
    response = note_taker.post(
        add, {"file": SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 100)}, follow=True
    )
    assert "ไม่รับไฟล์ชนิดนี้" in response.content.decode()
    settings.PLATU_UPLOAD_MAX_BYTES = 1000
    response = note_taker.post(add, {"file": SimpleUploadedFile("big.png", png((400, 400)))}, follow=True)
    assert "ไฟล์ใหญ่เกินไป" in response.content.decode()
    assert RecordFile.objects.filter(session=session).count() == 1
    # A practitioner cannot add files; the file is served to who may see the community only.
    client_for(held.teacher).post(add, {"file": SimpleUploadedFile("x.png", png())})
    assert RecordFile.objects.filter(session=session).count() == 1
    got = client_for(held.teacher).get(row.get_absolute_url(), {"inline": "1"})
    assert (
        got.status_code == 200
        and got["Content-Type"] == "image/png"
        and "sandbox" in got["Content-Security-Policy"]
    )
    assert client_for(held.outsider).get(row.get_absolute_url()).status_code == 404
    assert (
        client_for(held.outsider).post(add, {"file": SimpleUploadedFile("x.png", png())}).status_code == 404
    )
    delete = reverse("communities:record_file_delete", args=[session.pk, row.uid])
    assert client_for(held.outsider).post(delete).status_code == 404
    # The knowledge draft made from the record carries the photo.
    note_taker.post(reverse("communities:record_action", args=[session.pk]), {"op": "knowledge"})
    item = Item.objects.get(community_sessions__session=session)
    assert list(Attachment.objects.filter(item=item).values_list("name", "content_type")) == [
        ("ภาพกิจกรรม.png", "image/png")
    ]
    # Signed off: the files are frozen with the record.
    client_for(held.owner).post(reverse("communities:record_action", args=[session.pk]), {"op": "sign"})
    response = note_taker.post(delete, follow=True)
    assert RecordFile.objects.filter(pk=row.pk).exists() and "ได้รับการรับรองแล้ว" in response.content.decode()


def test_the_plc_activity_record_prints(held: SimpleNamespace, tmp_path: Any) -> None:
    session = held.sessions[0]
    _write_record(held, session)
    client_for(held.owner).post(reverse("communities:record_action", args=[session.pk]), {"op": "sign"})
    client = client_for(held.teacher)
    pdf = client.get(reverse("communities:record_document", args=[session.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    text = pdf_text(pdf.content, tmp_path)
    for expected in ("บันทึกกิจกรรมชุมชนการเรียนรู้ทางวิชาชีพ", "ปราณีขยัน", "เด็กอ่านสะกดคำไม่คล่อง", "ใช้บัตรคำทุกเช้า",
                     "ทดลองสองสัปดาห์", "ผู้รับรอง", "สมชายใจดี", "3ธันวาคม2569"):  # fmt: skip
        assert expected in text, expected
    assert "<strong>" not in text
    for fmt in ("docx", "xlsx"):
        assert client.get(reverse("communities:record_document", args=[session.pk, fmt])).status_code == 200
    assert client.get(reverse("communities:record_document", args=[session.pk, "exe"])).status_code == 404
    assert (
        client_for(held.outsider)
        .get(reverse("communities:record_document", args=[session.pk, "pdf"]))
        .status_code
        == 404
    )


def test_the_head_approves_a_terms_hours(held: SimpleNamespace) -> None:
    teacher, head = held.teacher, held.owner
    url = reverse("communities:hours_term", args=[held.a.code, teacher.pk])
    book_url = reverse("communities:person_hours", args=[held.a.code, teacher.pk])
    page = client_for(head).get(book_url, {"fy": "2570"}).content.decode()
    assert "2/2569" in page and "อนุมัติชั่วโมงของภาคเรียน" in page
    # Not the teacher themself, not a stranger.
    assert client_for(teacher).post(url, {"term": "2/2569", "op": "approve"}).status_code == 404
    assert client_for(held.outsider).post(url, {"term": "2/2569", "op": "approve"}).status_code == 404
    client_for(head).post(url, {"term": "2/2569", "op": "approve", "fy": "2570"})
    summary = (
        client_for(head)
        .get(reverse("communities:org_hours", args=[held.a.code]), {"fy": "2570"})
        .content.decode()
    )
    row = summary[summary.index("ปราณี ขยัน") :]
    assert row.split("</tr>")[0].count(">2.00<") == 2  # 2 hours, 2 approved
    own = client_for(teacher).get(reverse("communities:my_hours"), {"fy": "2570"}).content.decode()
    assert "(รับรองแล้ว 2.00 ชั่วโมง)" in own and "อนุมัติโดย นายสมชาย ใจดี" in own
    assert AuditEntry.objects.filter(action="community.hours_term", organisation=held.a).exists()
    # Attendance recorded after the approval waits for the next approval.
    client_for(held.member).post(
        reverse("communities:attendance", args=[held.sessions[2].pk]), {"present": [teacher.pk]}
    )
    own = client_for(teacher).get(reverse("communities:my_hours"), {"fy": "2570"}).content.decode()
    assert "ปีงบประมาณนี้ 3.00 ชั่วโมง (รับรองแล้ว 2.00 ชั่วโมง)" in own
    page = client_for(head).get(book_url, {"fy": "2570"}).content.decode()
    assert "อนุมัติอีกครั้ง" in page
    client_for(head).post(url, {"term": "2/2569", "op": "approve"})
    own = client_for(teacher).get(reverse("communities:my_hours"), {"fy": "2570"}).content.decode()
    assert "(รับรองแล้ว 3.00 ชั่วโมง)" in own
    # Withdrawn: back to what signed records approve (none).
    client_for(head).post(url, {"term": "2/2569", "op": "withdraw"})
    own = client_for(teacher).get(reverse("communities:my_hours"), {"fy": "2570"}).content.decode()
    assert "(รับรองแล้ว 0.00 ชั่วโมง)" in own
    # A made-up term is a message, not a 500.
    response = client_for(head).post(url, {"term": "7/abc", "op": "approve"}, follow=True)
    assert response.status_code == 200 and "เลือกภาคเรียน" in response.content.decode()


def test_the_organisation_sets_its_minimum(held: SimpleNamespace) -> None:
    url = reverse("communities:hours_minimum", args=[held.a.code])
    summary_url = reverse("communities:org_hours", args=[held.a.code])
    assert client_for(held.teacher).post(url, {"minimum_hours": "1"}).status_code == 404
    assert client_for(held.outsider).post(url, {"minimum_hours": "1"}).status_code == 404
    page = client_for(held.owner).get(summary_url, {"fy": "2570"}).content.decode()
    assert "ขั้นต่ำ 50 ชั่วโมง" in page or "50" in page.split("ปราณี")[0]
    response = client_for(held.owner).post(url, {"minimum_hours": "สิบ"})
    assert "ตั้งแต่ 0 ถึง 1,000" in response.content.decode() and 'value="สิบ"' in response.content.decode()
    assert "ตั้งแต่ 0 ถึง 1,000" in client_for(held.owner).post(url, {"minimum_hours": "1e3"}).content.decode()
    client_for(held.owner).post(url, {"minimum_hours": "2"})
    client_for(held.owner).post(
        reverse("communities:hours_term", args=[held.a.code, held.teacher.pk]),
        {"term": "2/2569", "op": "approve"},
    )
    from platu.communities import hours

    rows = {p.pk: ok for p, _h, _a, ok in hours.summary(held.a, 2570)}
    assert rows[held.teacher.pk] is True
    assert AuditEntry.objects.filter(action="community.hours_minimum").exists()


def test_a_knowledge_item_links_to_its_cop_from_the_item_form(held: SimpleNamespace) -> None:
    other = Community.objects.create(organisation=held.a, name="ชุมชนที่ไม่ได้เป็นสมาชิก")
    client = client_for(held.teacher)
    form = client.get(reverse("knowledge:new"), {"community": held.plc.pk}).content.decode()
    assert 'id="item-communities"' in form and held.plc.name in form and other.name not in form
    data = {"kind": "story", "title": "เล่าเรื่องบัตรคำ", "summary": "", "body": "<p>เรื่องเล่า</p>", "tags": "",
            "category": "", "source": "tacit", "level": "pocket", "visibility": "organisation",
            "review_interval_months": "12", "communities": [str(held.plc.pk)]}  # fmt: skip
    assert client.post(reverse("knowledge:new"), data).status_code == 302
    item = Item.objects.get(title="เล่าเรื่องบัตรคำ")
    assert list(ItemLink.objects.filter(item=item).values_list("kind", "target_id")) == [
        ("community", held.plc.pk)
    ]
    assert AuditEntry.objects.filter(action="knowledge.links").exists()
    # A community the writer is not a member of is not offered and not taken.
    response = client.post(
        reverse("knowledge:new"), {**data, "title": "อีกเรื่อง", "communities": [str(other.pk)]}
    )
    assert response.status_code == 200 and not Item.objects.filter(title="อีกเรื่อง").exists()


def test_a_network_cop_is_open_to_the_whole_network(world: SimpleNamespace) -> None:
    """A district office's network CoP: its schools' teachers see it and join at once; a school
    outside the district does not see it."""
    office_person = world.supervisor
    response = client_for(office_person).post(reverse("communities:new", args=[world.parent.code]), {
        "name": "เครือข่ายครูภาษาไทย", "kind": "network", "purpose": "", "charter": "",
        "visibility": "organisation", "status": "active",
    })  # fmt: skip
    assert response.status_code == 302
    cop = Community.objects.get(name="เครือข่ายครูภาษาไทย")
    assert client_for(world.member).get(cop.get_absolute_url()).status_code == 200
    client_for(world.member).post(reverse("communities:membership", args=[cop.pk]), {"op": "join"})
    assert Member.objects.get(community=cop, person=world.member).state == Member.State.MEMBER
    assert client_for(world.outsider).get(cop.get_absolute_url()).status_code == 404
    assert Attendance.objects.count() == 0
