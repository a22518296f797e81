"""Each document in PDF, DOCX and XLSX: the Thai text and values are there, Thai runs carry the
complex-script font, the spreadsheet's totals are formulas equal to the totals on screen."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from platu.planning import actions, documents, scoring
from platu.planning.models import Criterion
from tests.planning.conftest import client_for

EXPECTED = {
    "worksheet1": ["ใบงานที่ 1", "พัฒนาคุณภาพผู้เรียน", "ร้อยละนักเรียนที่อ่านคล่อง", "โรงเรียนบ้านเอ"],
    "worksheet2": ["ใบงานที่ 2", "รวมคะแนน", "ความสำคัญอันดับที่", "เกิดประโยชน์ต่อประชาชน"],
    "worksheet3": ["ใบงานที่ 3", "คัดกรองการอ่าน", "เทคนิคการสอนอ่านแบบแจกลูก"],
    "worksheet4": ["ใบงานที่ 4", "ผู้บริหารให้การสนับสนุน", "การทำแบบคัดกรองการอ่าน"],
    "sufficiency": ["ความพอประมาณ", "เงื่อนไขคุณธรรม", "พัฒนาครูและบุคลากร"],
    "action-plan": ["แบบฟอร์ม 2", "ถอดบทเรียนครูต้นแบบการสอนอ่าน", "1 ต.ค. 68 – 30 ก.ย. 69", "12,500.00",
                    "หนึ่งหมื่นห้าพันห้าร้อยบาทห้าสิบสตางค์", "ผู้ทบทวน", "ผู้อนุมัติ"],
    "booklet": ["แผนการจัดการความรู้", "สารบัญ", "ขอบเขต KM", "กระบวนการจัดการความรู้", "คณะกรรมการติดตามและประเมินผล",
                "ถอดบทเรียนครูต้นแบบการสอนอ่าน"],
}  # fmt: skip


def pdf_text(data: bytes, tmp_path: Path) -> str:
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed: make test installs it"
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    # -raw: in the order the text was written (the layout modes sort marks by position).
    out = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True)
    # ำ is written as its two parts (see exports/pdf.py); read it back as one letter.
    text = re.sub("\u0e4d([\u0e48-\u0e4b]?)\u0e32", "\\1\u0e33", out.stdout.decode())
    # Lines wrap inside table cells: compare without white space.
    return "".join(text.split())


@pytest.fixture
def scored(pw: SimpleNamespace) -> SimpleNamespace:
    plan = pw.plan
    for person, values in ((pw.lead, [5, 3, 1]), (pw.km, [3, 3, 5]), (pw.cko, [1, 5, 5])):
        for criterion in Criterion.objects.filter(plan=plan, sheet=2):
            for kpi, value in zip((pw.kpi1, pw.kpi2, pw.kpi3), values, strict=True):
                if person == pw.cko:
                    from platu.planning.models import Score

                    Score.objects.create(criterion=criterion, scorer=person, kpi=kpi, value=value)
                else:
                    actions.set_score(plan, sheet=2, criterion_id=criterion.pk, column_id=kpi.pk, value=value,
                                      acting_user=person.user)  # fmt: skip
    plan.refresh_from_db()
    return pw


@pytest.mark.parametrize("document", documents.DOCUMENTS)
def test_pdf_holds_the_thai_headings_and_values(
    scored: SimpleNamespace, document: str, tmp_path: Path
) -> None:
    data = documents.render(scored.plan, document, "pdf")
    assert data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path)
    for expected in EXPECTED[document]:
        assert "".join(expected.split()) in text, expected
    assert re.search(r"หน้าที่\d+/\d+", text)
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True).stdout.decode()
    sarabun = [line for line in fonts.splitlines() if "Sarabun" in line]
    assert sarabun and all(" yes " in line for line in sarabun)  # embedded


@pytest.mark.parametrize("document", documents.DOCUMENTS)
def test_docx_thai_runs_carry_the_complex_script_font(scored: SimpleNamespace, document: str) -> None:
    data = documents.render(scored.plan, document, "docx")
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    runs = re.findall(r"<w:r>(.*?)</w:r>", xml, re.S) + re.findall(r"<w:r [^>]*>(.*?)</w:r>", xml, re.S)
    thai_runs = [r for r in runs if re.search(r"<w:t[^>]*>[^<]*[\u0e00-\u0e7f]", r)]
    assert thai_runs
    for run in thai_runs:
        assert re.search(r'<w:rFonts [^>]*w:cs="TH Sarabun New"', run), run[:300]
        assert 'w:bidi="th-TH"' in run and "<w:szCs " in run
    text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))
    for expected in EXPECTED[document]:
        assert expected.replace(" ", "") in text.replace(" ", "").replace("\u00a0", ""), expected
    assert "w:tblHeader" in xml or document == "sufficiency"


def _evaluate(ws, formula: str) -> float:
    """SUM / AVERAGE / RANK over the sheet's own cells (what Excel computes on opening)."""
    m = re.fullmatch(r"=(?:IFERROR\()?(SUM|AVERAGE)\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)(?:,0\))?", formula)
    if m:
        values = [ws[f"{m[2]}{r}"].value for r in range(int(m[3]), int(m[5]) + 1)]
        numbers = [float(v) for v in values if isinstance(v, (int, float))]
        return sum(numbers) if m[1] == "SUM" else (sum(numbers) / len(numbers) if numbers else 0)
    m = re.fullmatch(r"=RANK\(([A-Z]+\d+),\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)\)", formula)
    assert m, formula
    from openpyxl.utils import column_index_from_string, get_column_letter

    row = int(m[3])
    cells = [
        f"{get_column_letter(c)}{row}"
        for c in range(column_index_from_string(m[2]), column_index_from_string(m[4]) + 1)
    ]
    values = [
        _evaluate(ws, ws[c].value)
        if isinstance(ws[c].value, str) and ws[c].value.startswith("=")
        else ws[c].value
        for c in cells
    ]
    mine = _evaluate(ws, ws[m[1]].value)
    return 1 + sum(1 for v in values if v > mine)


def test_xlsx_score_totals_are_formulas_equal_to_the_screen(scored: SimpleNamespace) -> None:
    pw = scored
    matrix = scoring.build(pw.plan, 2, issue_id=pw.issue1.pk)
    screen = {c.obj.number: (round(c.average, 2), c.rank) for c in matrix.columns}
    assert screen == {"1.1": (15.0, 3), "1.2": (18.33, 1), "1.3": (18.33, 1)}  # ties share rank 1
    wb = load_workbook(io.BytesIO(documents.render(pw.plan, "worksheet2", "xlsx")))
    ws = wb.worksheets[0]
    totals_row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "รวมคะแนน")
    rank_row = totals_row + 1
    found = {}
    for col in range(2, 5):
        label = ws.cell(totals_row - 6, col).value  # the header row above the five criteria
        total, rank = ws.cell(totals_row, col).value, ws.cell(rank_row, col).value
        assert total.startswith("=SUM(") and rank.startswith("=RANK(")
        found[label] = (round(_evaluate(ws, total), 2), int(_evaluate(ws, rank)))
    assert sorted(found.values()) == sorted(screen.values())
    assert all(any(number in str(label) for number in screen) for label in found)


def test_xlsx_has_real_dates_numbers_and_be_formats(scored: SimpleNamespace) -> None:
    wb = load_workbook(io.BytesIO(documents.render(scored.plan, "action-plan", "xlsx")))
    ws = wb.worksheets[0]
    budgets = [
        c for row in ws.iter_rows() for c in row if isinstance(c.value, (int, float)) and c.value == 12500
    ]
    assert budgets and budgets[0].number_format == "#,##0.00"
    total = [
        c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=SUM(")
    ]
    assert total and abs(_evaluate(ws, total[0].value) - 15500.5) < 0.001
    assert total[0].number_format == "#,##0.00"  # the budget total keeps its satang
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows
    assert "&P/&N" in ws.oddHeader.right.text


def test_thai_digits_when_the_organisation_chose_them(scored: SimpleNamespace, tmp_path: Path) -> None:
    scored.a.thai_digits = True
    scored.a.save()
    scored.plan.refresh_from_db()
    text = pdf_text(documents.render(scored.plan, "action-plan", "pdf"), tmp_path)
    assert "๑ต.ค.๖๘–๓๐ก.ย.๖๙" in text
    assert "๑๒,๕๐๐.๐๐" in text
    assert "๑๕,๕๐๐.๕๐" in text  # the budget total, to the satang
    assert "หน้าที่๑/" in text
    # XLSX keeps numbers as numbers (formulas work) and draws them in Thai digits.
    ws = load_workbook(io.BytesIO(documents.render(scored.plan, "action-plan", "xlsx"))).worksheets[0]
    cells = [c for row in ws.iter_rows() for c in row]
    budgets = [c for c in cells if c.value == 12500]
    assert budgets and budgets[0].number_format == "[$-D00041E]#,##0.00"
    total = next(c for c in cells if isinstance(c.value, str) and c.value.startswith("=SUM("))
    assert total.number_format == "[$-D00041E]#,##0.00"
    scores = load_workbook(io.BytesIO(documents.render(scored.plan, "worksheet2", "xlsx"))).worksheets[0]
    formats = {
        c.number_format
        for row in scores.iter_rows()
        for c in row
        if isinstance(c.value, (int, float)) or (isinstance(c.value, str) and c.value.startswith("="))
    }
    assert formats and all(f.startswith("[$-D00041E]") for f in formats)


@pytest.mark.parametrize("fmt", ["pdf", "docx", "xlsx"])
def test_one_click_downloads_and_the_parent_reads(scored: SimpleNamespace, fmt: str) -> None:
    target = reverse("planning:export", args=[scored.a.code, 2569, "worksheet1", fmt])
    for who in (scored.member, scored.supervisor):
        response = client_for(who).get(target)
        assert response.status_code == 200
        assert (
            "attachment" in response["Content-Disposition"] and f".{fmt}" in response["Content-Disposition"]
        )


def test_the_booklet_runs_in_the_background_and_is_kept_until_the_plan_changes(
    scored: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    from platu.exports.models import Export

    client = client_for(scored.member)
    page = reverse("planning:booklet", args=[scored.a.code, 2569, "pdf"])
    response = client.get(page)  # a GET changes nothing: it offers to prepare the booklet
    assert response.status_code == 200 and 'id="booklet-prepare"' in response.content.decode()
    assert not Export.objects.exists()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(page)
    assert response.status_code == 302 and response["Location"] == page
    assert "progress" in client.get(page).content.decode()  # queued: the page shows the progress
    job = Export.objects.get()
    assert job.status == Export.Status.PENDING and len(queued) == 1
    queued[0]()  # the worker runs the task (the immediate backend in tests)
    job.refresh_from_db()
    assert job.status == Export.Status.DONE and job.progress == 100  # the immediate backend in tests
    body = client.get(page).content.decode()
    assert "booklet-download" in body
    download = client.get(page + "?download=1")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    client.post(page)
    assert Export.objects.count() == 1  # cached
    actions.set_chosen(scored.plan, sheet=2, chosen_ids=[scored.kpi1.pk], acting_user=scored.lead.user)
    assert 'id="booklet-prepare"' in client.get(page).content.decode()  # the plan changed
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page)
    assert Export.objects.count() == 2  # the plan changed: a new booklet


@pytest.mark.parametrize("document", ["worksheet2", "action-plan", "worksheet5", "worksheet6"])
def test_platu_export_command(scored: SimpleNamespace, document: str, tmp_path: Path) -> None:
    out = tmp_path / f"out.{'pdf'}"
    call_command(
        "platu_export", document, "--org", "org-a", "--year", "2569", "--format", "pdf", "--out", str(out)
    )
    assert out.read_bytes().startswith(b"%PDF")
    out = tmp_path / "out.xlsx"
    call_command(
        "platu_export", document, "--org", "org-a", "--year", "2569", "--format", "xlsx", "--out", str(out)
    )
    assert load_workbook(out).worksheets


def test_platu_export_command_reports_bad_arguments(scored: SimpleNamespace, tmp_path: Path) -> None:
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="2570"):
        call_command(
            "platu_export",
            "booklet",
            "--org",
            "org-a",
            "--year",
            "2570",
            "--format",
            "pdf",
            "--out",
            str(tmp_path / "x"),
        )
    with pytest.raises(CommandError, match="nowhere"):
        call_command(
            "platu_export",
            "booklet",
            "--org",
            "nowhere",
            "--year",
            "2569",
            "--format",
            "pdf",
            "--out",
            str(tmp_path / "x"),
        )
