"""Issue 18, the reports out: the 6/9/12-month progress report, the year-end KM summary (PDF,
DOCX, XLSX) and the evidence pack (a ZIP of the reports and every evidence file, indexed by
activity), with who may download what."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from platu.audit.models import AuditEntry
from platu.communities.models import Attendance, Community, Session
from platu.knowledge.models import Item
from platu.lib import thaidate
from platu.planning import actions as plan_actions
from platu.planning.models import Plan
from platu.tracking import actions, documents, pack
from platu.tracking.models import Entry, Evidence, Round
from tests.conftest import make_person
from tests.planning.conftest import client_for, pw  # noqa: F401 - fixture
from tests.planning.test_documents import pdf_text

TZ = timezone.get_fixed_timezone(7 * 60)


def _png(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (3, 2), colour).save(out, "PNG")
    return out.getvalue()


# The Thai label of "late" (the translation's, else the form's own).
LATE = documents.status_label("late")
PDF = b"%PDF-1.4\n% evidence\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _text(value: str) -> str:
    """As pdf_text compares: without white space (no-break spaces included)."""
    return "".join(value.split())


def _save(entry: Entry, user: Any, **data: Any) -> Entry:
    entry.refresh_from_db()
    return actions.save_entry(entry, data, acting_user=user, base_version=entry.version)


@pytest.fixture
def opened(pw: SimpleNamespace) -> SimpleNamespace:  # noqa: F811 - the fixture imported above
    """The approved plan's 6-month round with progress and evidence of every kind, still open."""
    w = pw
    plan_actions.submit(w.plan, acting_user=w.km.user)
    plan_actions.review(w.plan, acting_user=w.cko.user)
    plan_actions.approve(w.plan, acting_user=w.ceo.user)
    w.plan = Plan.objects.get(pk=w.plan.pk)
    w.item = Item.objects.create(
        organisation=w.a, owner=w.lead, title="บทเรียนการสอนอ่านแบบแจกลูก", body="<p>x</p>", kind="lesson",
        state="published", visibility="organisation", published_at=dt.datetime(2026, 1, 15, 10, tzinfo=TZ),
    )  # fmt: skip
    w.community = Community.objects.create(
        organisation=w.a, name="ชุมชนครูภาษาไทย", network_path=w.a.network_path
    )
    w.session = Session.objects.create(
        community=w.community, title="วงเล่าเรื่องการสอนอ่าน", state="held",
        starts_at=dt.datetime(2026, 2, 10, 15, tzinfo=TZ), ends_at=dt.datetime(2026, 2, 10, 17, tzinfo=TZ),
    )  # fmt: skip
    for person in (w.lead, w.km, w.member):
        Attendance.objects.create(session=w.session, person=person, hours=Decimal("2.00"))
    actions.bind(w.act1, "knowledge.published", {}, "organisation", acting_user=w.lead.user)
    w.round = actions.open_round(w.plan, 6, dt.date(2026, 4, 15), acting_user=w.lead.user)
    w.e1 = Entry.objects.get(round=w.round, activity=w.act1)
    w.e2 = Entry.objects.get(round=w.round, activity=w.act2)
    _save(w.e1, w.lead.user, status="done", percent="100", result_number="3", result_unit="เรื่อง",
          result_text="ได้บทเรียนครูต้นแบบ 3 เรื่อง", problems="ครูมีเวลาว่างตรงกันน้อย",
          solutions="จัดวงเล่าเรื่องหลังเลิกเรียน", next_steps="เผยแพร่บทเรียนในคลังความรู้")  # fmt: skip
    _save(w.e2, w.km.user, status="late", percent="30", override_value="5",
          override_reason="นับจากทะเบียนเกียรติบัตร", problems="งบประมาณล่าช้า")  # fmt: skip
    w.files = {
        "ภาพกิจกรรม.png": _png("red"),
        "รายงานสรุป.pdf": PDF,
    }
    for name, data in w.files.items():
        actions.add_evidence_file(
            w.e1, SimpleUploadedFile(name, data), "ภาพวงเล่าเรื่อง", acting_user=w.lead.user
        )
    # The same name for another activity, and for the same activity with other bytes.
    w.other_png = _png("blue")
    actions.add_evidence_file(w.e2, SimpleUploadedFile("ภาพกิจกรรม.png", w.other_png), acting_user=w.km.user)
    w.third_png = _png("green")
    actions.add_evidence_file(w.e1, SimpleUploadedFile("ภาพกิจกรรม.png", w.third_png), acting_user=w.lead.user)
    actions.add_evidence_link(w.e1, item=w.item, acting_user=w.lead.user)
    actions.add_evidence_link(w.e2, session=w.session, acting_user=w.km.user)
    actions.add_evidence_link(
        w.e2, url="https://example.go.th/award", note="ประกาศผลรางวัล", acting_user=w.km.user
    )
    actions.check_entry(w.e1, acting_user=w.lead.user)
    w.round.refresh_from_db()
    return w


@pytest.fixture
def reported(opened: SimpleNamespace) -> SimpleNamespace:
    """The round closed by the CKO and acknowledged by the CEO."""
    w = opened
    actions.close_round(w.round, acting_user=w.cko.user)
    w.round.refresh_from_db()
    actions.acknowledge(w.round, "ขอให้เร่งรัดกิจกรรมที่ล่าช้า", acting_user=w.ceo.user)
    w.round.refresh_from_db()
    return w


def _url(w: SimpleNamespace, name: str, *args: Any) -> str:
    return reverse(f"tracking:{name}", args=[w.a.code, 2569, *args])


def test_it_prints_the_progress_report_of_a_signed_round(reported: SimpleNamespace, tmp_path: Path) -> None:
    w = reported
    text = pdf_text(documents.render(documents.progress_document(w.round), "pdf"), tmp_path)
    today = thaidate.format_date(timezone.localdate())
    expected = [
        "แบบรายงานผลการดำเนินงานตามแผนการจัดการความรู้", "โรงเรียนบ้านเอ", "ประจำปีงบประมาณพ.ศ.2569",
        "รอบ 6 เดือน (1 ตุลาคม 2568 – 31 มีนาคม 2569)", "กำหนดส่งรายงานผล:15 เมษายน 2569",
        "ถอดบทเรียนครูต้นแบบการสอนอ่าน", "มอบเกียรติบัตรครูต้นแบบ", "จำนวนบทเรียน", "3 เรื่อง",
        # the result as entered, the indicator Platu counted (one item published), and a value set by hand
        "ได้บทเรียนครูต้นแบบ 3 เรื่อง", "(นับจากระบบ)",
        "5 (กำหนดค่าเอง เหตุผล: นับจากทะเบียนเกียรติบัตร)",
        "ดำเนินการแล้ว", LATE,  # statuses in Thai
        "ภาพกิจกรรม.png", "รายงานสรุป.pdf", "ความรู้: บทเรียนการสอนอ่านแบบแจกลูก",
        "กิจกรรมชุมชน: วงเล่าเรื่องการสอนอ่าน (10 ก.พ. 69)", "ลิงก์: ประกาศผลรางวัล",
        "ครูมีเวลาว่างตรงกันน้อย", "จัดวงเล่าเรื่องหลังเลิกเรียน", "เผยแพร่บทเรียนในคลังความรู้", "งบประมาณล่าช้า",
        "กิจกรรมทั้งหมด 2 กิจกรรม ดำเนินการแล้ว 1 กิจกรรม กำลังดำเนินการ 0 กิจกรรม " + LATE + " 1 กิจกรรม",
        "ความก้าวหน้าเฉลี่ยร้อยละ 65.00", "ขอให้เร่งรัดกิจกรรมที่ล่าช้า",
        "ผู้รายงาน", w.lead.full_name, "ผู้ตรวจสอบ", w.cko.full_name, "ผู้รับทราบ", w.ceo.full_name,
        f"วันที่ {today}",
    ]  # fmt: skip
    for phrase in expected:
        assert _text(phrase) in text, phrase
    assert text.count(_text(f"วันที่ {today}")) == 3  # checked, closed, acknowledged: today
    assert "(……………………………………)" not in text  # every signer is named
    # The value Platu counted at close is the one item published in the round.
    assert Entry.objects.get(pk=w.e1.pk).computed_value == 1
    # Statuses print as Thai labels, never as their codes or English.
    assert re.search("[\u0e00-\u0e7f]", LATE) and not re.search("[A-Za-z]", LATE)
    assert not re.search(r"in_progress|Behind|late|done|planned", text)
    assert _text("100 ดำเนินการแล้ว") in text and _text(f"30 {LATE}") in text  # the table's status cells


def test_an_open_round_leaves_the_signatures_to_fill_in(opened: SimpleNamespace, tmp_path: Path) -> None:
    w = opened
    w.a.thai_digits = True
    w.a.save()
    w.round.refresh_from_db()
    text = pdf_text(documents.render(documents.progress_document(w.round), "pdf"), tmp_path)
    assert _text("รอบ ๖ เดือน (๑ ตุลาคม ๒๕๖๘ – ๓๑ มีนาคม ๒๕๖๙)") in text
    assert "เปิดรับรายงานผล" in text
    assert w.lead.full_name.replace(" ", "") in text  # the KM lead reports (and checked an entry)
    assert w.cko.full_name.replace(" ", "") not in text and w.ceo.full_name.replace(" ", "") not in text
    assert text.count("(……………………………………)") == 2  # the CKO and the CEO sign by hand
    assert text.count("วันที่……………………") == 2


def test_the_report_downloads_in_each_format(reported: SimpleNamespace) -> None:
    w = reported
    client = client_for(w.member)  # a teacher who reads the plan
    response = client.get(_url(w, "report", 6, "docx"))
    assert response.status_code == 200
    assert (
        response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert "org-a-2569-progress-6m.docx" in response["Content-Disposition"]
    xml = zipfile.ZipFile(io.BytesIO(response.content)).read("word/document.xml").decode()
    words = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))
    assert "มอบเกียรติบัตรครูต้นแบบ" in words and LATE in words and w.ceo.full_name in words
    response = client.get(_url(w, "report", 6, "xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(response.content))
    cells = {
        str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None
    }
    assert "ถอดบทเรียนครูต้นแบบการสอนอ่าน" in cells and "ดำเนินการแล้ว" in cells
    response = client.get(_url(w, "report", 6, "pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get(_url(w, "report", 6, "odt")).status_code == 404
    assert client.get(_url(w, "report", 9, "pdf")).status_code == 404  # not opened


def test_the_year_end_summary_reports_the_last_round_and_what_platu_counted(
    reported: SimpleNamespace, tmp_path: Path
) -> None:
    w = reported
    row12 = actions.open_round(w.plan, 12, dt.date(2026, 10, 15), acting_user=w.lead.user)
    e12 = Entry.objects.get(round=row12, activity=w.act1)
    _save(e12, w.lead.user, status="done", percent="100", result_text="ครูทุกชั้นใช้เทคนิคแจกลูก",
          next_steps="ขยายผลสู่โรงเรียนเครือข่าย", problems="ครูย้ายกลางปี", solutions="สอนงานครูใหม่โดยพี่เลี้ยง")  # fmt: skip
    # Published outside the fiscal year, and another school's: not counted.
    Item.objects.create(organisation=w.a, owner=w.lead, title="ความรู้ปีก่อน", body="<p>x</p>", state="published",
                        published_at=dt.datetime(2025, 9, 30, 12, tzinfo=TZ))  # fmt: skip
    Item.objects.create(organisation=w.b, owner=w.outsider, title="ความรู้โรงเรียนอื่น", body="<p>x</p>",
                        state="published", published_at=dt.datetime(2026, 3, 1, 12, tzinfo=TZ))  # fmt: skip
    response = client_for(w.member).get(_url(w, "summary", "pdf"))
    assert response.status_code == 200
    text = pdf_text(response.content, tmp_path)
    for phrase in [
        "รายงานสรุปผลการดำเนินงานการจัดการความรู้ประจำปี", "โรงเรียนบ้านเอ",
        "ข้อมูลจากการติดตามผลรอบ 12 เดือน (1 ตุลาคม 2568 – 30 กันยายน 2569)",
        "ถอดบทเรียนครูต้นแบบการสอนอ่าน", "ครูทุกชั้นใช้เทคนิคแจกลูก", "ขยายผลสู่โรงเรียนเครือข่าย",
        "องค์ความรู้ที่เผยแพร่ในคลังความรู้ในปีงบประมาณ 1 เรื่อง", "บทเรียนการสอนอ่านแบบแจกลูก", "ถอดบทเรียน",
        "การจัดกิจกรรมชุมชนนักปฏิบัติ1ครั้ง", "ผู้เข้าร่วมกิจกรรม3คน", "ชั่วโมง PLC รวม6.00ชั่วโมง", "ชุมชนครูภาษาไทย",
        # problems of every round, with their suggestions
        "ครูมีเวลาว่างตรงกันน้อย", "งบประมาณล่าช้า", "ครูย้ายกลางปี", "สอนงานครูใหม่โดยพี่เลี้ยง",
        "รอบ 6 เดือน: ขอให้เร่งรัดกิจกรรมที่ล่าช้า", w.lead.full_name,
    ]:  # fmt: skip
        assert _text(phrase) in text, phrase
    assert "ความรู้ปีก่อน" not in text and "ความรู้โรงเรียนอื่น" not in text
    # The 12-month round is open: the CKO and CEO have not signed the year.
    assert text.count("(……………………………………)") == 2
    for fmt, content_type in (("docx", "wordprocessingml"), ("xlsx", "spreadsheetml")):
        response = client_for(w.member).get(_url(w, "summary", fmt))
        assert response.status_code == 200 and content_type in response["Content-Type"]
    assert client_for(w.member).get(_url(w, "summary", "html")).status_code == 404


def test_the_summary_of_an_amended_plan_keeps_the_rounds_reported_before(
    reported: SimpleNamespace, tmp_path: Path
) -> None:
    w = reported
    new = plan_actions.amend(w.plan, acting_user=w.lead.user)
    assert new.revision == 2 and not Round.objects.filter(plan=new).exists()
    text = pdf_text(client_for(w.lead).get(_url(w, "summary", "pdf")).content, tmp_path)
    assert _text("ข้อมูลจากการติดตามผลรอบ 6 เดือน") in text and "ได้บทเรียนครูต้นแบบ3เรื่อง" in text
    assert w.cko.full_name.replace(" ", "") in text and w.ceo.full_name.replace(" ", "") in text


def _pack(w: SimpleNamespace, person: Any) -> zipfile.ZipFile:
    response = client_for(person).get(_url(w, "evidence_pack"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "org-a-2569-evidence-pack.zip" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]


def test_the_evidence_pack_holds_every_evidence_once(reported: SimpleNamespace, tmp_path: Path) -> None:
    w = reported
    pack = _pack(w, w.lead)
    names = pack.namelist()
    assert {
        "index.csv",
        "index.html",
        "reports/org-a-2569-progress-6m.pdf",
        "reports/org-a-2569-km-summary.pdf",
    } <= set(names)
    assert all(".." not in n and "\\" not in n and not n.startswith("/") for n in names)
    raw = pack.read("index.csv")
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the Thai
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    evidence = list(Evidence.objects.filter(entry__round=w.round))
    assert len(rows) == len(evidence) == 7
    assert sorted(r["ชื่อ"] for r in rows if r["ประเภทหลักฐาน"] == "ไฟล์") == sorted(
        e.name for e in evidence if e.kind == "file"
    )
    # Every file row points at a file in the pack with the uploaded bytes; every file in
    # evidence/ is listed.
    uploaded = {hashlib.sha256(b).hexdigest() for b in [*w.files.values(), w.other_png, w.third_png]}
    file_rows = [r for r in rows if r["ประเภทหลักฐาน"] == "ไฟล์"]
    assert {hashlib.sha256(pack.read(r["ไฟล์ในชุดเอกสาร"])).hexdigest() for r in file_rows} == uploaded
    assert all(hashlib.sha256(pack.read(r["ไฟล์ในชุดเอกสาร"])).hexdigest() == r["SHA-256"] for r in file_rows)
    assert {r["ไฟล์ในชุดเอกสาร"] for r in file_rows} == {n for n in names if n.startswith("evidence/")}
    by_path = {r["ไฟล์ในชุดเอกสาร"]: r for r in file_rows}
    first, second = "evidence/01-ถอดบทเรียนครูต้นแบบการสอนอ่าน", "evidence/02-มอบเกียรติบัตรครูต้นแบบ"
    assert pack.read(f"{first}/ภาพกิจกรรม.png") == w.files["ภาพกิจกรรม.png"]
    assert pack.read(f"{first}/ภาพกิจกรรม (2).png") == w.third_png
    assert pack.read(f"{first}/รายงานสรุป.pdf") == PDF
    assert pack.read(f"{second}/ภาพกิจกรรม.png") == w.other_png
    assert by_path[f"{second}/ภาพกิจกรรม.png"]["ลำดับกิจกรรม"] == "2"
    assert {r["รอบ (เดือน)"] for r in rows} == {"6"}
    links = {r["ประเภทหลักฐาน"]: r for r in rows if r["ประเภทหลักฐาน"] != "ไฟล์"}
    assert links["องค์ความรู้ในคลังความรู้"]["ที่อยู่"] == "http://testserver" + w.item.get_absolute_url()
    assert links["กิจกรรมชุมชนนักปฏิบัติ"]["ที่อยู่"] == "http://testserver" + w.session.get_absolute_url()
    assert links["ลิงก์"]["ที่อยู่"] == "https://example.go.th/award" and links["ลิงก์"]["ลำดับกิจกรรม"] == "2"
    html = pack.read("index.html").decode()
    assert (
        "ถอดบทเรียนครูต้นแบบการสอนอ่าน" in html and 'href="http://testserver' + w.item.get_absolute_url() in html
    )
    assert f'href="{first}/ภาพกิจกรรม (2).png"' in html
    text = pdf_text(pack.read("reports/org-a-2569-progress-6m.pdf"), tmp_path)
    assert "มอบเกียรติบัตรครูต้นแบบ" in text and w.ceo.full_name.replace(" ", "") in text
    audit = AuditEntry.objects.get(action="tracking.evidence_pack")
    assert audit.actor == w.lead.user and audit.organisation == w.a
    assert audit.data["evidence"] == 7 and audit.data["files"] == 4 and audit.data["missing"] == 0


def test_the_evidence_pack_keeps_names_inside_and_survives_a_lost_file(reported: SimpleNamespace) -> None:
    w = reported
    # A name from before the upload rules (or from the admin), and a file gone from storage.
    odd = Evidence(entry=w.e2, kind="file", name="../..\\แอบ/ออก:นอก.png", content_type="image/png", size=3)
    odd.file.save(odd.uid.hex, ContentFile(b"abc"), save=True)
    lost = Evidence.objects.get(entry=w.e1, name="รายงานสรุป.pdf")
    lost.file.storage.delete(lost.file.name)
    archive = zipfile.ZipFile(io.BytesIO(pack.evidence_pack(w.plan)))
    paths = [n for n in archive.namelist() if n.startswith("evidence/")]
    assert all(n.count("/") == 2 and ".." not in n and "\\" not in n and ":" not in n for n in paths), paths
    assert "evidence/02-มอบเกียรติบัตรครูต้นแบบ/_._แอบ_ออก_นอก.png" in paths
    rows = list(csv.DictReader(io.StringIO(archive.read("index.csv").decode("utf-8-sig"))))
    assert len(rows) == 8
    assert [r["ไฟล์ในชุดเอกสาร"] for r in rows if r["ชื่อ"] == "รายงานสรุป.pdf"] == [""]
    assert "(ไม่พบไฟล์)" in archive.read("index.html").decode()


@pytest.mark.parametrize(
    ("name", "safe"),
    [("../../etc/passwd", "_._etc_passwd"), ("a\\b:c*?.txt", "a_b_c__.txt"), ("  ..  ", "file"), ("CON.txt", "_CON.txt"),
     ("ภาพ" * 100 + ".jpeg", "ภาพ" * 38 + "ภ.jpeg")],
)  # fmt: skip
def test_safe_names_stay_in_their_folder(name: str, safe: str) -> None:
    result = pack.safe_name(name, 120)
    assert "/" not in result and "\\" not in result and ".." not in result and len(result) <= 120
    assert result == safe


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("lead", 200),
        ("km", 200),
        ("cko", 200),
        ("ceo", 200),
        ("supervisor", 200),
        ("member", 403),
        ("outsider", 404),
    ],
)
def test_who_may_download_the_evidence_pack(reported: SimpleNamespace, who: str, status: int) -> None:
    w = reported
    response = client_for(getattr(w, who)).get(_url(w, "evidence_pack"))
    assert response.status_code == status
    assert AuditEntry.objects.filter(action="tracking.evidence_pack").count() == (1 if status == 200 else 0)


def test_another_school_sees_none_of_the_documents(reported: SimpleNamespace) -> None:
    w = reported
    urls = [_url(w, "report", 6, fmt) for fmt in documents.FORMATS]
    urls += [_url(w, "summary", fmt) for fmt in documents.FORMATS] + [_url(w, "evidence_pack")]
    # A teacher of the other school, and its CEO.
    teacher_b = make_person("teacherb", "ชูใจ", "ใจงาม", org=w.b, roles=["km_lead"])
    for person in (w.outsider, teacher_b):
        client = client_for(person)
        for url in urls:
            assert client.get(url).status_code == 404, (person, url)
    from django.test import Client

    anonymous = Client()
    for url in urls:
        response = anonymous.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
