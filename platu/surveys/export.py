"""The responses as XLSX (openpyxl, written row by row into a temporary file): one row per
response, one column per question (Likert scores and numbers as numbers, choices by their
label), and a sheet explaining the questions.

Anonymous surveys are anonymised: no names, no times, rows in a shuffled order (not the order
they arrived), and no organisation for organisations with fewer answers than the minimum group.
Text is always written as text, never as a formula (OWASP's formula injection)."""

from __future__ import annotations

import random
import tempfile
from collections import defaultdict
from decimal import Decimal
from typing import IO, Any

from django.db.models import Count
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from platu.exports.xlsx import FORMULA_START
from platu.lib import thaidate
from platu.orgs.models import Organisation, Person
from platu.surveys.models import Answer, Question, Response, Survey, min_group_for

CHUNK = 2000


def _text(ws: Any, value: str) -> Any:
    cell = WriteOnlyCell(ws, value=value)
    if value and value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _bold(ws: Any, value: str) -> Any:
    cell = _text(ws, value)
    cell.font = Font(bold=True)
    return cell


def write(survey: Survey) -> IO[bytes]:
    """The workbook in a temporary file, rewound, for a FileResponse."""
    questions = list(Question.objects.filter(survey=survey).select_related("section").order_by("order", "pk"))
    labels = {q.pk: dict(q.choices()) for q in questions}
    min_group = min_group_for(survey.organisation)
    per_org = dict(Response.objects.filter(survey=survey).values_list("organisation_id").annotate(n=Count("*"))
                   .order_by())  # fmt: skip
    shown_orgs = {k for k, n in per_org.items() if k is not None and (not survey.anonymous or n >= min_group)}
    org_names = dict(Organisation.objects.filter(pk__in=shown_orgs).values_list("pk", "name_th"))
    responses = list(Response.objects.filter(survey=survey).order_by("pk").values_list("pk", "organisation_id",
                                                                                     "person_id", "submitted_at"))  # fmt: skip
    if survey.anonymous:
        random.SystemRandom().shuffle(responses)
    names = {}
    if not survey.anonymous:
        people = {r[2] for r in responses if r[2]}
        names = {p.pk: p.full_name for p in Person.objects.filter(pk__in=people)}

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("คำตอบ")
    head = ["ลำดับ"] + ([] if survey.anonymous else ["ชื่อ-สกุล", "เวลาที่ส่ง"]) + ["หน่วยงาน"]
    head += [f"{n}. {q.text}" for n, q in enumerate(questions, start=1)]
    ws.append([_bold(ws, h) for h in head])
    for start in range(0, len(responses), CHUNK):
        chunk = responses[start : start + CHUNK]
        answers: dict[int, dict[int, list[Any]]] = defaultdict(lambda: defaultdict(list))
        rows = Answer.objects.filter(response_id__in=[r[0] for r in chunk]).values_list(
            "response_id", "question_id", "value", "number", "text"
        )
        for response_id, question_id, value, number, text in rows:
            answers[response_id][question_id].append((value, number, text))
        for n, (pk, org_id, person_id, submitted_at) in enumerate(chunk, start=start + 1):
            line: list[Any] = [n]
            if not survey.anonymous:
                line.append(_text(ws, names.get(person_id, "")))
                local = timezone.localtime(submitted_at) if submitted_at else None
                line.append(f"{thaidate.format_date(local.date(), 'short')} {local:%H:%M}" if local else "")
            line.append(_text(ws, org_names.get(org_id, "")) if org_id in shown_orgs else "")
            for q in questions:
                line.append(_cell(ws, q, labels[q.pk], answers[pk].get(q.pk, [])))
            ws.append(line)

    info = wb.create_sheet("คำถาม")
    info.append(
        [_bold(info, h) for h in ("ข้อ", "ตอน", "คำถาม", "ชนิดคำตอบ", "ต้องตอบ", "ตัวเลือก (ค่า = ความหมาย)")]
    )
    for n, q in enumerate(questions, start=1):
        choices = "; ".join(f"{v} = {label}" for v, label in q.choices())
        info.append([n, _text(info, q.section.title), _text(info, q.text), str(q.get_kind_display()),
                     "ใช่" if q.required else "ไม่", _text(info, choices)])  # fmt: skip
    note = "แบบสอบถามไม่ระบุตัวตน: ไม่มีชื่อผู้ตอบ ลำดับแถวถูกสลับ" if survey.anonymous else ""
    if survey.anonymous:
        note += f" และไม่แสดงหน่วยงานที่มีผู้ตอบน้อยกว่า {min_group} คน"
    if note:
        info.append([])
        info.append([_text(info, note)])
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to FileResponse, which closes it
    wb.save(out)
    out.seek(0)
    return out


def _cell(ws: Any, q: Question, labels: dict[int, str], values: list[tuple[Any, Any, str]]) -> Any:
    if not values:
        return None
    if q.kind == Question.Kind.LIKERT:
        return values[0][0]
    if q.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        return _text(
            ws, ", ".join(labels.get(v[0], str(v[0])) for v in sorted(values, key=lambda v: v[0] or 0))
        )
    if q.kind == Question.Kind.NUMBER:
        number = values[0][1]
        return float(number) if isinstance(number, Decimal) else number
    return _text(ws, values[0][2])
