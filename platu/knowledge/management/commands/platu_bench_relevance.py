"""`make bench-relevance`: is the right answer on top? (platu/knowledge/relevance.py)"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from platu.knowledge import relevance
from platu.lib.benchmarks import machine

# The targets: (vendor, items or 0 for the relevance step, what, limit).
TARGETS = [
    ("sqlite", 0, "r1", 0.96),
    ("postgresql", 0, "r1", 0.93),
    ("sqlite", 100_000, "p95", 30.0),
    ("sqlite", 1_000_000, "p95", 200.0),
    ("postgresql", 100_000, "p95", 100.0),
]


class Command(BaseCommand):
    help = (
        "Relevance benchmark on a scratch database: the iapp-wiki-qa questions over their articles "
        "and newer synthetic items; R@1, R@10, MRR@10 and latency beside unsegmented search."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--sizes", default="", help="Items in all after each step (first: +5,000).")
        parser.add_argument("--data", default=str(relevance.DATA), help="The questions (JSON Lines).")
        parser.add_argument("--out", help="Write the results as JSON here.")
        parser.add_argument("--report", nargs="*", help="Render these JSON result files as Markdown.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["report"] is not None:
            results = [json.loads(Path(p).read_text()) for p in options["report"] if Path(p).exists()]
            self.stdout.write(render(results))
            return
        name = str(connection.settings_dict["NAME"])
        if name == "platu" or name.endswith("var/platu.sqlite3"):
            raise CommandError(
                "Refusing to fill the working database; make bench-relevance uses scratch ones."
            )
        path = Path(options["data"])
        if not path.exists():
            raise CommandError(f"No questions at {path} (the shared data folder beside the project).")
        sizes = [int(s) for s in options["sizes"].split(",") if s.strip()]
        steps = relevance.run(sizes, path=path, log=lambda m: self.stderr.write(m))
        result = {
            "vendor": connection.vendor,
            "machine": machine(),
            "date": date.today().isoformat(),
            "steps": steps,
        }
        if options["out"]:
            Path(options["out"]).write_text(json.dumps(result, ensure_ascii=False, indent=1))
        self.stdout.write(render([result]))


def render(results: list[dict[str, Any]]) -> str:
    lines = ["## Relevance: is the right answer on top?", ""]
    if not results:
        return "\n".join([*lines, "No results yet: run `make bench-relevance`.", ""])
    lines += [
        f"- Machine: {results[0]['machine']}; date: {results[0]['date']}.",
        "- The 742 questions of `../shared/data/iapp-wiki-qa/valid.jsonl` (people's questions about 190 "
        "Thai Wikipedia articles) asked through `search_items`, the API's own call, as a member of the "
        "organisation; each article is one item dated 5-6 years ago, then newer synthetic items (the "
        "search bench's corpus) up to the step's size. R@1: the article's item is first; R@10: in the "
        "top 10; MRR@10: the mean of 1/rank within the top 10. Latency: the whole call (parse, match, "
        "visibility, count, top 10, snippets).",
        "- *Unsegmented*: the same questions on the database's own tokenizer over the raw text (FTS5 "
        "`unicode61` / `to_tsvector('simple')`), any word, ranked by bm25 / ts_rank: what other tools do "
        "(kept up to 100,000 items: at a million its questions alone take half an hour).",
        "",
        "| database | items | R@1 | R@10 | MRR@10 | p50 ms | p95 ms | unsegmented R@1 | R@10 | MRR@10 "
        "| p50 ms | p95 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        for s in result["steps"]:
            ours, raw = s["platu"], s.get("unsegmented")
            theirs = (
                f"{raw['r1']:.3f} | {raw['r10']:.3f} | {raw['mrr10']:.3f} | {raw['p50']:.1f} | {raw['p95']:.1f}"
                if raw
                else "not run | | | |"
            )
            lines.append(
                f"| {result['vendor']} | {s['size']:,} | {ours['r1']:.3f} | {ours['r10']:.3f} | "
                f"{ours['mrr10']:.3f} | {ours['p50']:.1f} | {ours['p95']:.1f} | {theirs} |"
            )
    lines += ["", "| target | measured | met |", "|---|---|:-:|"]
    for vendor, size, what, limit in TARGETS:
        for result in results:
            if result["vendor"] != vendor:
                continue
            steps = result["steps"][:1] if size == 0 else [s for s in result["steps"] if s["size"] == size]
            for s in steps:
                value = s["platu"][what]
                if what == "r1":
                    met = value >= limit
                    lines.append(
                        f"| {vendor}: R@1 ≥ {limit:.2f} ({s['size']:,} items) | {value:.3f} | {_yes(met)} |"
                    )
                else:
                    met = value <= limit
                    lines.append(
                        f"| {vendor}, {s['size']:,} items: questions p95 ≤ {limit:.0f} ms | {value:.1f} ms | {_yes(met)} |"
                    )
    return "\n".join([*lines, ""]) + "\n"


def _yes(met: bool) -> str:
    return "yes" if met else "**no**"
