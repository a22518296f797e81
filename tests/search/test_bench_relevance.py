"""The relevance benchmark (make bench-relevance) on a few questions: articles in, newer
distractors after them, questions asked through the API's call, R@1 / R@10 / MRR@10 reported."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management import call_command

from platu.knowledge import relevance
from platu.knowledge.models import Item


def _questions(path: Path) -> Path:
    rows = [
        ("a1", "การเลี้ยงปลานิลในบ่อดิน", "ปลานิลเลี้ยงในบ่อดินได้ดี ให้อาหารวันละสองครั้ง", "เลี้ยงปลานิลต้องให้อาหารวันละกี่ครั้ง"),
        ("a2", "สมุนไพรไล่ยุง", "ตะไคร้หอมและสะระแหน่ใช้ไล่ยุงได้", "สมุนไพรอะไรไล่ยุงได้"),
        ("a3", "สมุนไพรไล่ยุง", "ตะไคร้หอมและสะระแหน่ใช้ไล่ยุงได้", "ตะไคร้หอมใช้ทำอะไร"),  # the same page twice
    ]
    path.write_text(
        "\n".join(
            json.dumps({"article_id": a, "title": t, "context": c, "question": q}, ensure_ascii=False)
            for a, t, c, q in rows
        ),
        encoding="utf-8",
    )
    return path


def test_the_questions_find_their_articles_above_newer_items(db: Any, tmp_path: Path) -> None:
    [step] = relevance.run([], distractors=30, path=_questions(tmp_path / "q.jsonl"), log=lambda m: None)
    assert step["articles"] == 2  # one item for the page stored twice
    assert Item.objects.count() == 32
    ours = step["platu"]
    assert ours["questions"] == 3 and ours["r1"] == 1.0 and ours["mrr10"] == 1.0
    assert 0 <= step["unsegmented"]["r1"] <= 1


def test_above_the_baseline_s_size_only_platu_is_asked_and_the_report_says_so(
    db: Any, tmp_path: Path
) -> None:
    from platu.knowledge.management.commands.platu_bench_relevance import render

    [step] = relevance.run(
        [], distractors=30, path=_questions(tmp_path / "q.jsonl"), log=lambda m: None, baseline_max=10
    )
    assert "unsegmented" not in step and step["platu"]["r1"] == 1.0
    text = render([{"vendor": "sqlite", "machine": "test", "date": "2026-11-30", "steps": [step]}])
    assert "| sqlite | 32 | 1.000 |" in text and "not run" in text


def test_the_report_says_whether_each_target_is_met() -> None:
    from platu.knowledge.management.commands.platu_bench_relevance import render

    result = {
        "vendor": "sqlite",
        "machine": "test",
        "date": "2026-11-30",
        "steps": [
            {
                "size": 5190,
                "articles": 190,
                "platu": {"r1": 0.97, "r10": 0.98, "mrr10": 0.975, "p50": 9, "p95": 20},
            }
        ],
    }
    text = render([result])
    assert "| sqlite: R@1 ≥ 0.96 (5,190 items) | 0.970 | yes |" in text
    assert "No results yet" in render([])


def test_the_command_refuses_the_working_database(db: Any, capsys: Any) -> None:
    import pytest
    from django.core.management.base import CommandError
    from django.db import connection

    name = connection.settings_dict["NAME"]
    connection.settings_dict["NAME"] = "platu"
    try:
        with pytest.raises(CommandError, match="Refusing"):
            call_command("platu_bench_relevance")
    finally:
        connection.settings_dict["NAME"] = name
