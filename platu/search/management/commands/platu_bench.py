from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection

from platu.search import bench


class Command(BaseCommand):
    help = (
        "Search benchmark on a scratch database: synthetic Thai corpus, indexing throughput, "
        "index size, latency and what unsegmented search finds. --report renders the JSON results."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--sizes", default="10000,100000,1000000")
        parser.add_argument("--queries", type=int, default=200, help="Queries per word count.")
        parser.add_argument("--out", help="Write the results as JSON here.")
        parser.add_argument("--report", nargs="*", help="Render these JSON result files as Markdown.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["report"] is not None:
            self.stdout.write(
                render([json.loads(Path(p).read_text()) for p in options["report"] if Path(p).exists()])
            )
            return
        if connection.settings_dict["NAME"] in ("platu",) or str(connection.settings_dict["NAME"]).endswith(
            "var/platu.sqlite3"
        ):
            self.stderr.write("Refusing to fill the working database; make bench uses scratch ones.")
            return
        sizes = [int(s) for s in options["sizes"].split(",") if s.strip()]
        steps = []
        for step in bench.run(sizes, queries=options["queries"], log=lambda m: self.stderr.write(m)):
            steps.append({"size": step.size, **step.rows})
            if options["out"]:
                Path(options["out"]).write_text(
                    json.dumps(
                        {"vendor": connection.vendor, "machine": bench.machine(), "date": date.today().isoformat(),
                         "version": _version(), "steps": steps},
                        ensure_ascii=False, indent=1,
                    )
                )  # fmt: skip


def _version() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        return str(cursor.fetchone()[0])


def render(results: list[dict[str, Any]]) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (search). Numbers from one run; re-run to refresh.",
        "",
    ]
    if not results:
        return "\n".join([*lines, "No results yet: run `make bench`.", ""])
    first = results[0]
    lines += [
        f"- Machine: {first['machine']}",
        f"- Date: {first['date']}",
        "- One process; each query is the full search call of the API (parse, all-words match with the "
        "any-word fallback, visibility filter, count, top 20 ranked, snippets).",
        "- Queries: words drawn from one random item (not stopwords); *found* = that item matches. "
        "*Unsegmented* = the database's own tokenizer on the raw text (SQLite FTS5 `unicode61`, "
        "PostgreSQL `to_tsvector('simple')`), what BookStack, Outline, Wiki.js and Discourse do.",
        "",
    ]
    for result in results:
        lines += [f"## {result['vendor']} {result['version']}", ""]
        lines += [
            "| items | text MB | indexing items/s | indexing MB/s | index MB | unsegmented index MB |",
            "|---:|---:|---:|---:|---:|---:|",
        ]
        for s in result["steps"]:
            lines.append(
                f"| {s['size']:,} | {s['text_mb']:.0f} (new) | {s['items_per_s']:,.0f} | {s['mb_per_s']:.2f} "
                f"| {s['index_mb']:.0f} | {s['raw_index_mb']:.0f} |"
            )
        lines += [
            "",
            "| items | words | p50 ms | p95 ms | p99 ms | found | median matches "
            "| unsegmented p50 ms | unsegmented p95 ms | unsegmented found |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for s in result["steps"]:
            for n in (1, 2, 4):
                q = s[f"q{n}"]
                lines.append(
                    f"| {s['size']:,} | {n} | {q['p50']:.1f} | {q['p95']:.1f} | {q['p99']:.1f} | {q['found']:.0%} "
                    f"| {q['median_hits']:,.0f} | {q['raw_p50']:.1f} | {q['raw_p95']:.1f} | {q['raw_found']:.0%} |"
                )
        examples = result["steps"][0]["q2"]["examples"]
        lines += ["", f"Example 2-word queries: {', '.join(examples)}", ""]
    return "\n".join(lines) + "\n"
