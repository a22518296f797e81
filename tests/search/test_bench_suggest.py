import json
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command

from platu.knowledge.management.commands.platu_bench_suggest import typed


def test_typing_sends_one_request_per_keystroke_from_the_second() -> None:
    assert typed(["ครูดี", "ab c"]) == ["คร", "ครู", "ครูด", "ครูดี", "ab", "ab c"]


def test_the_suggestion_benchmark_types_demo_titles_and_reports(db: Any, tmp_path: Path) -> None:
    out = tmp_path / "suggest.json"
    call_command("platu_bench_suggest", "--out", str(out), "--limit", "40", stderr=StringIO())
    result = json.loads(out.read_text())
    assert result["requests"] == 40 and result["texts"] > 20
    assert result["with_suggestions"] > 0.5  # typed titles find themselves
    assert 0 < result["p50"] <= result["p95"] <= result["max"]
    report = StringIO()
    call_command("platu_bench_suggest", "--report", str(out), stdout=report)
    assert "| 40 |" in report.getvalue() and "150 ms" in report.getvalue()
