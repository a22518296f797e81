"""Issue 16, points 7 and 8: the printed numbers of worksheets 2 and 4 add up, Form 2 numbers
its rows, Thai text breaks only between words, the signature block has its signing lines and
stays with what it signs, worksheets 5 and 6 download, and no XLSX cell is a live formula."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from platu.exports import pdf
from platu.exports.document import Cell, Document, Section, Table
from platu.orgs.models import Team, TeamMember
from platu.planning import documents
from platu.planning.models import Activity, Criterion, Kpi, Score
from tests.planning.conftest import client_for

ZWSP = "\u200b"
NUMBER = re.compile(r"\d+\.\d\d")


def layout_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    text = out.stdout.decode().replace(ZWSP, "")
    # ำ is written as its two parts (see exports/pdf.py); read it back as one letter.
    return re.sub("\u0e4d([\u0e48-\u0e4b]?)\u0e32", "\\1\u0e33", text)


@pytest.fixture
def thirds(pw: SimpleNamespace) -> SimpleNamespace:
    """Three scorers whose averages are thirds: rounding each row would not add up."""
    criteria = list(Criterion.objects.filter(plan=pw.plan, sheet=2))
    values = {pw.lead: [5, 3, 1], pw.km: [3, 3, 5], pw.cko: [1, 5, 5]}
    for person, per_kpi in values.items():
        for i, criterion in enumerate(criteria):
            for kpi, value in zip((pw.kpi1, pw.kpi2, pw.kpi3), per_kpi, strict=True):
                # One criterion scored differently so the rows are not all alike.
                v = 5 if (i == 0 and person == pw.lead and kpi == pw.kpi3) else value
                Score.objects.create(criterion=criterion, scorer=person, kpi=kpi, value=v)
    pw.plan.refresh_from_db()
    return pw


def _pdf_matrix(text: str) -> tuple[list[list[float]], list[float]]:
    """The number columns of the criteria rows and of the totals row of the first matrix."""
    lines = text.splitlines()
    total_at = next(i for i, line in enumerate(lines) if line.strip().startswith("รวมคะแนน"))
    start = next(i for i, line in enumerate(lines) if re.match(r"\s*1\.\s", line))
    rows = [[float(n) for n in NUMBER.findall(line)] for line in lines[start:total_at]]
    return [r for r in rows if r], [float(n) for n in NUMBER.findall(lines[total_at])]


def test_it_prints_worksheet2_rows_that_add_up_to_the_total(thirds: SimpleNamespace, tmp_path: Path) -> None:
    text = layout_text(documents.render(thirds.plan, "worksheet2", "pdf"), tmp_path)
    rows, totals = _pdf_matrix(text)
    assert len(rows) == 5 and len(totals) == 3, (rows, totals)
    for col in range(3):
        assert round(sum(r[col] for r in rows), 2) == totals[col], (col, rows, totals)
    # The total is the average of the scorers' totals, as the scorers' table below says.
    assert totals == [15.0, 18.33, 19.67]
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("เฉลี"))
    # pdftotext may put the tone mark, and the numbers with it, on the next line.
    assert [float(n) for n in NUMBER.findall(lines[at] + lines[at + 1])] == totals

    wb = load_workbook(io.BytesIO(documents.render(thirds.plan, "worksheet2", "xlsx")))
    ws = wb.worksheets[0]
    total_row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "รวมคะแนน")
    for col in range(2, 5):
        printed = [ws.cell(r, col).value for r in range(total_row - 5, total_row)]
        assert all(isinstance(v, (int, float)) for v in printed), printed
        assert all(ws.cell(r, col).number_format.endswith("0.00") for r in range(total_row - 5, total_row))
        # What Excel shows (2 decimals) adds up to what it shows as the total.
        letter = ws.cell(total_row, col).column_letter
        assert ws.cell(total_row, col).value == f"=SUM({letter}{total_row - 5}:{letter}{total_row - 1})"
        assert printed == [round(v, 2) for v in printed]
        assert round(sum(printed), 2) == totals[col - 2]


def test_it_prints_worksheet4_rows_that_add_up(pw: SimpleNamespace, tmp_path: Path) -> None:
    criteria = list(Criterion.objects.filter(plan=pw.plan, sheet=4))
    for person, values in ((pw.lead, (5, 1)), (pw.km, (3, 3)), (pw.cko, (3, 5))):
        for criterion in criteria:
            for k, value in zip((pw.k1, pw.k2), values, strict=True):
                Score.objects.create(criterion=criterion, scorer=person, knowledge=k, value=value)
    text = layout_text(documents.render(pw.plan, "worksheet4", "pdf"), tmp_path)
    rows, totals = _pdf_matrix(text)
    assert len(rows) == 6 and len(totals) == 2, (rows, totals)
    for col in range(2):
        assert round(sum(r[col] for r in rows), 2) == totals[col]
    assert totals == [22.0, 18.0]


def test_it_numbers_form2_rows_one_by_one(pw: SimpleNamespace) -> None:
    Activity.objects.create(
        plan=pw.plan, desired_state=pw.state, process="km", step=2, order=5, name="เล่าเรื่องในวง PLC"
    )
    Activity.objects.create(plan=pw.plan, desired_state=pw.state, process="km", step=4, order=6, name="กลั่นกรองบทเรียน")  # fmt: skip
    doc = documents.build(pw.plan, "action-plan")
    table = next(b for b in doc.sections[0].blocks if isinstance(b, Table))
    numbers = [
        r[0].value
        for i, r in enumerate(table.rows)
        if i not in table.group_rows and r[0].value != "รวมงบประมาณ"
    ]
    assert numbers == ["1", "2", "3", "4"]


def test_it_breaks_thai_only_between_words(pw: SimpleNamespace, tmp_path: Path) -> None:
    doc = documents.build(pw.plan, "action-plan")
    html = pdf.html(doc)
    assert "<th>เป้าหมาย</th>" in html  # one word: no break opportunity inside it
    assert "เป้าหมา" + ZWSP + "ย" not in html
    assert f"วิธีการ{ZWSP}สู่" in html and f"ส่วนราชการ{ZWSP}ที่" not in html  # between words
    assert "พ.ศ.\u00a0" in html and "\u00a0" + ZWSP not in html and ZWSP + "\u00a0" not in html
    # The style sheet and the attributes are left alone.
    assert ZWSP not in html.split("<body>")[0]
    # In the narrow column the heading is whole on its line.
    narrow = Document(
        title="t", filename="t",
        sections=[Section([Table([doc_column("เป้าหมาย", 0.5), doc_column("กิจกรรมการจัดการความรู้ของหน่วยงาน", 6)],
                                 [[Cell("ผู้เรียนอ่านออกเขียนได้ทุกคน"), Cell("x")]])])],
    )  # fmt: skip
    text = layout_text(pdf.render(narrow), tmp_path)
    assert "เป้าหมาย" in text and not re.search(r"เป้าหมา\s*$", text, re.M)


def doc_column(label: str, width: float):  # type: ignore[no-untyped-def]
    from platu.exports.document import Column

    return Column(label, width)


def readable(html: str) -> str:
    """The page's text as typed: no zero-width spaces, ำ as one letter."""
    return re.sub("\u0e4d([\u0e48-\u0e4b]?)\u0e32", "\\1\u0e33", html.replace(ZWSP, "")).replace(
        "\u00a0", " "
    )


def test_the_signature_block_has_its_lines_and_keeps_with_the_text(
    pw: SimpleNamespace, tmp_path: Path
) -> None:
    doc = documents.build(pw.plan, "action-plan")
    html = readable(pdf.html(doc))
    block = html[html.index('class="signatures') :]
    assert "ลงชื่อ" in block and "ตำแหน่ง" in block
    assert block.count("ลงชื่อ") == 2 and "(……" in block
    # The budget paragraph above it travels with it.
    keep = html[html.rindex('<div class="keep"', 0, html.index('class="signatures')) :]
    assert keep.index("รวมงบประมาณ") < keep.index('class="signatures')
    css = html.split("</style>")[0]
    assert re.search(r"\.keep\s*\{[^}]*break-inside:\s*avoid", css)
    assert re.search(r"\.signatures\s*\{[^}]*break-before:\s*avoid", css)
    pw.plan.reviewed_by = pw.cko
    pw.plan.reviewed_at = dt.datetime(2025, 9, 1, tzinfo=dt.UTC)
    pw.plan.save()
    html = readable(pdf.html(documents.build(pw.plan, "action-plan")))
    assert f"({pw.cko.full_name})" in html
    assert "ตำแหน่ง รองผู้อำนวยการ" in html and "ผู้บริหารสูงสุดด้านการจัดการความรู้ (CKO)" in html


@pytest.mark.parametrize("extra", [5, 6])
def test_the_signature_block_is_never_alone_at_the_top_of_a_page(
    pw: SimpleNamespace, tmp_path: Path, extra: int
) -> None:
    """With these many rows the signatures no longer fit on the table's last page: the budget
    paragraph goes with them to the next one."""
    for n in range(extra):
        Activity.objects.create(
            plan=pw.plan, desired_state=pw.state, process="km", step=3, order=10 + n,
            name=f"กิจกรรมแลกเปลี่ยนเรียนรู้ครั้งที่ {n}", budget=Decimal("100.00"),
        )  # fmt: skip
    path = tmp_path / "doc.pdf"
    path.write_bytes(documents.render(pw.plan, "action-plan", "pdf"))
    pages = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    signed = [page for page in pages.stdout.decode().replace(ZWSP, "").split("\f") if "ผู้ทบทวน" in page]
    assert len(signed) == 1
    before = signed[0][: signed[0].index("ผู้ทบทวน")]
    assert re.search(r"รวมงบประมาณ [\d,.]+ บาท", before), signed[0][:400]


# -- worksheets 5 and 6 ------------------------------------------------------------------------


@pytest.fixture
def teams(pw: SimpleNamespace) -> SimpleNamespace:
    pw.km_team = Team.objects.create(organisation=pw.a, kind="km_team", name="ทีมจัดการความรู้โรงเรียน")
    TeamMember.objects.create(team=pw.km_team, person=pw.ceo, role="ceo")
    TeamMember.objects.create(team=pw.km_team, person=pw.lead, role="lead")
    pw.strategic = Team.objects.create(
        organisation=pw.a, kind="strategic", name="ทีม KM ประเด็นการอ่าน",
        strategic_issue="พัฒนาคุณภาพผู้เรียน", goal="ผู้เรียนอ่านออกเขียนได้", needed_knowledge="เทคนิคการสอนอ่าน",
    )  # fmt: skip
    TeamMember.objects.create(team=pw.strategic, person=pw.km, role="member")
    pw.km.phone = "081-234-5678"
    pw.km.save()
    pw.issue1.team = pw.strategic
    pw.issue1.save()
    return pw


@pytest.mark.parametrize("fmt", ["pdf", "docx", "xlsx"])
def test_it_downloads_worksheets_5_and_6_from_the_plan(teams: SimpleNamespace, fmt: str) -> None:
    client = client_for(teams.member)
    for sheet, expected in (("worksheet5", "ทีม KM ประเด็นการอ่าน"), ("worksheet6", "ทีมจัดการความรู้โรงเรียน")):
        response = client.get(reverse("planning:export", args=[teams.a.code, 2569, sheet, fmt]))
        assert response.status_code == 200
        assert f"{sheet}.{fmt}" in response["Content-Disposition"]
        assert expected in _texts(documents.build(teams.plan, sheet))
    doc = documents.build(teams.plan, "worksheet5")
    texts = _texts(doc)
    assert "ใบงานที่ 5" in texts and "พัฒนาคุณภาพผู้เรียน" in texts and "081-234-5678" in texts
    assert "วิชัย" in texts and "กมล" not in texts  # only the issue's team
    texts = _texts(documents.build(teams.plan, "worksheet6"))
    assert "ใบงานที่ 6" in texts and "กมล" in texts and "หัวหน้าทีม" in texts


def test_the_plan_lists_worksheets_5_and_6(teams: SimpleNamespace) -> None:
    body = client_for(teams.member).get(reverse("planning:plan", args=[teams.a.code, 2569])).content.decode()
    assert reverse("planning:export", args=[teams.a.code, 2569, "worksheet5", "pdf"]) in body
    assert reverse("planning:export", args=[teams.a.code, 2569, "worksheet6", "xlsx"]) in body
    assert "ใบงานที่ 5 ทีมงานจัดการความรู้ตามประเด็นยุทธศาสตร์" in body


@pytest.mark.parametrize("fmt", ["pdf", "docx", "xlsx"])
def test_it_downloads_a_team_from_its_page(teams: SimpleNamespace, fmt: str) -> None:
    url = reverse("team_document", args=[teams.a.code, teams.strategic.pk, fmt])
    page = client_for(teams.member).get(reverse("team_detail", args=[teams.a.code, teams.strategic.pk]))
    assert url in page.content.decode()
    response = client_for(teams.member).get(url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    org_url = reverse("teams_document", args=[teams.a.code, 6, fmt])
    org_page = client_for(teams.member).get(reverse("organisation_detail", args=[teams.a.code]))
    assert org_url in org_page.content.decode()
    assert client_for(teams.member).get(org_url).status_code == 200


def test_only_who_may_see_the_organisation_downloads_its_teams(teams: SimpleNamespace) -> None:
    outsider = client_for(teams.outsider)
    assert (
        outsider.get(reverse("team_document", args=[teams.a.code, teams.strategic.pk, "pdf"])).status_code
        == 404
    )
    assert outsider.get(reverse("teams_document", args=[teams.a.code, 5, "xlsx"])).status_code == 404
    assert (
        outsider.get(reverse("planning:export", args=[teams.a.code, 2569, "worksheet6", "pdf"])).status_code
        == 404
    )
    member = client_for(teams.member)
    assert member.get(reverse("teams_document", args=[teams.a.code, 7, "pdf"])).status_code == 404
    assert (
        member.get(reverse("team_document", args=[teams.a.code, teams.strategic.pk, "odt"])).status_code
        == 404
    )
    other_team = Team.objects.create(organisation=teams.b, kind="km_team", name="ทีมอื่น")
    assert member.get(reverse("team_document", args=[teams.a.code, other_team.pk, "pdf"])).status_code == 404


def _texts(doc: Document) -> str:
    from platu.exports.document import Fields, Heading, Paragraph

    out: list[str] = [doc.title]
    for s in doc.sections:
        for b in s.blocks:
            if isinstance(b, (Heading, Paragraph)):
                out.append(b.text)
            elif isinstance(b, Fields):
                out += [f"{k} {v}" for k, v in b.rows]
            elif isinstance(b, Table):
                out += [c.label for c in b.columns] + [str(c.value) for r in b.rows for c in r] + [b.caption]
    return "\n".join(out)


# -- formula injection -------------------------------------------------------------------------

INJECTIONS = [
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-1+1",
    "@SUM(1)",
    "\t=1+1",
    "\r=1+1",
]


def test_xlsx_writes_typed_formulas_as_text(pw: SimpleNamespace) -> None:
    for i, text in enumerate(INJECTIONS):
        Kpi.objects.create(
            plan=pw.plan, issue=pw.issue1, order=10 + i, number=f"9.{i}", name=text, target=text
        )
    pw.issue1.goal = "=1+2"
    pw.issue1.save()
    for document in ("worksheet1", "worksheet2", "booklet"):
        wb = load_workbook(io.BytesIO(documents.render(pw.plan, document, "xlsx")))
        cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
        for text in INJECTIONS if document == "worksheet1" else []:
            found = [c for c in cells if c.value == text]
            assert found, (document, text)
            assert all(c.data_type == "s" for c in found), (document, text)
        if document == "worksheet1":
            assert [c for c in cells if c.value == "=1+2" and c.data_type == "s"]  # a Fields value
        # The only formulas are Platu's own totals, averages and ranks.
        formulas = [c.value for c in cells if c.data_type == "f"]
        assert all(re.match(r"=(SUM|IFERROR\(AVERAGE|RANK)\(", f) for f in formulas), formulas
        labels = [c.value for c in cells if isinstance(c.value, str) and "=cmd" in c.value]
        assert all(c.data_type == "s" for c in cells if c.value in labels)
