"""How long the plan's documents take: a booklet with 60 activities in PDF, DOCX and XLSX.

python manage.py platu_bench_documents --out var/bench/documents.json   (on a scratch database)
python manage.py platu_bench_documents --report var/bench/documents.json
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from platu.orgs.models import Organisation, Person
from platu.planning import documents
from platu.planning.models import (
    Activity,
    Criterion,
    DesiredState,
    Kpi,
    NeededKnowledge,
    Plan,
    Score,
    StrategicIssue,
    WorkProcess,
)
from platu.planning.scoring import DEFAULT_CRITERIA


def build_plan(activities: int) -> Plan:
    org, _ = Organisation.objects.get_or_create(
        code="bench-docs", defaults={"name_th": "โรงเรียนทดสอบเอกสาร", "kind": "school"}
    )
    Plan.objects.filter(organisation=org).delete()
    plan = Plan.objects.create(organisation=org, fiscal_year=2570, focus_area="ขอบเขตที่หนึ่ง\nขอบเขตที่สอง",
                               key_success_factors="ผู้บริหารสนับสนุน\nทีมงานเข้มแข็ง")  # fmt: skip
    for sheet, texts in DEFAULT_CRITERIA.items():
        for i, text in enumerate(texts):
            Criterion.objects.create(plan=plan, sheet=sheet, order=i, text=text)
    scorers = [Person.objects.create(first_name=f"ผู้ประเมิน{i}", last_name="ทดสอบ") for i in range(3)]
    knowledge = []
    for i in range(2):
        issue = StrategicIssue.objects.create(plan=plan, order=i, name=f"ประเด็นยุทธศาสตร์ทดสอบที่ {i + 1}")
        for j in range(3):
            kpi = Kpi.objects.create(plan=plan, issue=issue, order=i * 3 + j, number=f"{i + 1}.{j + 1}",
                                     name=f"ตัวชี้วัดการพัฒนาคุณภาพที่ {i + 1}.{j + 1}", target="ร้อยละ 80")  # fmt: skip
            process = WorkProcess.objects.create(plan=plan, kpi=kpi, name=f"กระบวนการทำงานที่ {i + 1}.{j + 1}")
            knowledge.append(
                NeededKnowledge.objects.create(plan=plan, process=process, name=f"องค์ความรู้ที่ {i + 1}.{j + 1}")
            )
    criteria = list(Criterion.objects.filter(plan=plan))
    Score.objects.bulk_create(
        Score(criterion=c, scorer=s, kpi=k if c.sheet == 2 else None, knowledge=None if c.sheet == 2 else n, value=(5, 3, 1)[(c.pk + s.pk) % 3])
        for s in scorers for c in criteria for k, n in zip(plan.kpis.all(), knowledge, strict=True)
    )  # fmt: skip
    states = [
        DesiredState.objects.create(
            plan=plan,
            order=i,
            text=f"เป้าหมาย KM ข้อที่ {i + 1} ของโรงเรียน",
            unit="จำนวนครู",
            knowledge=knowledge[i],
        )
        for i in range(3)
    ]
    start, end = dt.date(2026, 10, 1), dt.date(2027, 9, 30)
    Activity.objects.bulk_create(
        Activity(plan=plan, desired_state=states[i % 3], process="km" if i % 3 else "change", step=1 + i % 6, order=i,
                 name=f"กิจกรรมแลกเปลี่ยนเรียนรู้ครั้งที่ {i + 1} เรื่องการสอนอ่านและเขียน", method="วงเล่าเรื่องและบันทึกขุมความรู้",
                 start=start, end=end, indicator="จำนวนผู้เข้าร่วม", target="20 คน", target_group="ครูทุกคน",
                 responsible="ทีม KM", budget=Decimal(1500 + 250 * i))
        for i in range(activities)
    )  # fmt: skip
    return plan


class Command(BaseCommand):
    help = "Time the plan booklet (60 activities) in PDF, DOCX and XLSX; --report renders the results."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--activities", type=int, default=60)
        parser.add_argument("--repeat", type=int, default=3)
        parser.add_argument("--out")
        parser.add_argument("--report")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["report"]:
            path = Path(options["report"])
            if path.exists():
                self.stdout.write(render(json.loads(path.read_text())))
            return
        from platu.lib.benchmarks import machine

        with transaction.atomic():
            plan = build_plan(options["activities"])
            rows = {}
            for fmt in documents.FORMATS:
                times, size = [], 0
                for _ in range(options["repeat"]):
                    started = time.perf_counter()
                    data = documents.render(plan, "booklet", fmt)
                    times.append(time.perf_counter() - started)
                    size = len(data)
                rows[fmt] = {"median_s": statistics.median(times), "max_s": max(times), "bytes": size}
                if fmt == "pdf":
                    import io

                    from pypdf import PdfReader

                    rows[fmt]["pages"] = len(PdfReader(io.BytesIO(data)).pages)
                self.stderr.write(f"{fmt}: {rows[fmt]}")
            transaction.set_rollback(True)
        result = {"activities": options["activities"], "machine": machine(), "date": dt.date.today().isoformat(),
                  "vendor": connection.vendor, "formats": rows}  # fmt: skip
        if options["out"]:
            Path(options["out"]).write_text(json.dumps(result, indent=1))


def render(result: dict[str, Any]) -> str:
    lines = [
        "",
        f"## Plan booklet: {result['activities']} activities",
        "",
        f"{result['date']} · {result['machine']} · `make bench` (`platu_bench_documents`), one process, "
        "median of 3 renders of the whole booklet (cover, contents, focus area, processes, roadmap, "
        "Form 2 tables, teams, committee).",
        "",
        "| format | median | slowest | size | pages |",
        "|---|---:|---:|---:|---:|",
    ]
    for fmt, row in result["formats"].items():
        lines.append(
            f"| {fmt.upper()} | {row['median_s']:.2f} s | {row['max_s']:.2f} s | {row['bytes'] / 1024:.0f} KB | {row.get('pages', '')} |"
        )
    return "\n".join(lines) + "\n"
