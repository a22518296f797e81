"""The communities benchmark runs at a small size, checks its logbooks and reports its targets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management import call_command


def test_the_bench_builds_times_checks_and_reports(db: Any, tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "communities.json"
    call_command("platu_bench_communities", schools=2, teachers=12, communities=4, weeks=3, attendees=3, repeat=8,
                 out=str(out))  # fmt: skip
    result = json.loads(out.read_text())
    assert result["communities"] == 4 and result["sessions"] == 12 and result["logbooks_checked"] == 8
    assert set(result["pages"]) == {"calendar", "community", "logbook"}
    call_command("platu_bench_communities", report=[str(out)])
    report = capsys.readouterr().out
    assert "| sqlite |" in report or "| postgresql |" in report
    assert "PLC logbook" in report and "target p95" in report
