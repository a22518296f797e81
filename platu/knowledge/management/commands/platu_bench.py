from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection

from platu.knowledge import bench


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
    lines += targets(results)
    for result in results:
        lines += [f"## {result['vendor']} {result['version']}", ""]
        lines += [
            "| items | text MB | indexing items/s | indexing MB/s | then compacting s | index MB "
            "| unsegmented index MB |",
            "|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for s in result["steps"]:
            optimize = f"{s['optimize_s']:.1f}" if "optimize_s" in s else ""
            lines.append(
                f"| {s['size']:,} | {s['text_mb']:.0f} (new) | {s['items_per_s']:,.0f} | {s['mb_per_s']:.2f} "
                f"| {optimize} | {s['index_mb']:.0f} | {s['raw_index_mb']:.0f} |"
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
    lines += NOTES
    return "\n".join(lines) + "\n"


# The targets on this 2-core machine: (vendor or "" for both, items, what, limit).
TARGETS = [
    ("sqlite", 100_000, "p95", 20.0),
    ("sqlite", 1_000_000, "p95", 100.0),
    ("", 0, "mb_per_s", 2.0),
]


def targets(results: list[dict[str, Any]]) -> list[str]:
    """The targets, each with the measured figure and whether it is met."""
    lines = ["## Targets", "", "| target | measured | met |", "|---|---|:-:|"]
    for vendor, size, what, limit in TARGETS:
        for result in results:
            if vendor and result["vendor"] != vendor:
                continue
            for s in result["steps"]:
                if size and s["size"] != size:
                    continue
                if what == "p95":
                    worst = max(s[f"q{n}"]["p95"] for n in (1, 2, 4))
                    lines.append(
                        f"| {result['vendor']}, {s['size']:,} items: query p95 ≤ {limit:.0f} ms (1, 2, 4 words) "
                        f"| {worst:.1f} ms (slowest of the three) | {'yes' if worst <= limit else '**no**'} |"
                    )
                else:
                    rate = s["mb_per_s"]
                    lines.append(
                        f"| {result['vendor']}, {s['size']:,} items: indexing ≥ {limit:.0f} MB/s "
                        f"| {rate:.2f} MB/s | {'yes' if rate >= limit else '**no**'} |"
                    )
    return [*lines, ""]


NOTES = [
    "## Reading the numbers",
    "",
    "- *found*: how often the item the words were drawn from is among the matches. Segmented search "
    "finds it almost always; the misses are words the dictionary cuts differently inside running text "
    "than alone (the generator glues random dictionary words, which makes more such ambiguities than "
    "real writing). Unsegmented search finds a Thai word only when spaces happen to surround it: a few "
    "per cent for one word, nothing for two or four. That is the gap users of BookStack, Outline, "
    "Wiki.js and Discourse meet.",
    "- Unsegmented search is fast because it finds almost nothing; compare it with *found*.",
    "- *median matches* 1000 means the query matched more than `PLATU_SEARCH_COUNT_MAX` (1000) items; "
    "the count stops there, the ranking does not: since issue 15 every match is ranked by bm25 (FTS5 "
    "sorts them by rank itself; ts_rank on PostgreSQL), where earlier runs ranked only the 1000 most "
    "recent matches (fast, but an older, better item was never scored). Facet "
    "counts on the search page are computed over the same matches and are not part of these timings.",
    "- The corpus draws words by their frequency in the Thai National Corpus and puts KM topic words "
    "(ครู, ชุมชน, การอ่าน ...) in many items, so one-word queries are often broad. Queries are drawn "
    "from the items themselves, weighted by how many items use a word: the frequent, slow queries are "
    "well represented.",
    "- Index size includes the stored segmented text (FTS5 keeps its content so a row can be replaced; "
    "SQLite 3.40 has no contentless delete) and, from 20,000 items on SQLite, the words' arrays "
    "(~100 MB at 100k, ~940 MB at 1M). The unsegmented index stores the raw text the same way.",
    "- PostgreSQL: broad queries rank every GIN match with ts_rank (no window since issue 15).",
    "- Indexing: worker processes (two here; `PLATU_INDEX_WORKERS`) segment batches of 500 items "
    "while the indexing process reads the next batch as plain values and writes the last one (nlpo3 "
    "holds the GIL, so threads could not share the work). Each step indexes its new items in one "
    "bulk, in one transaction, as `platu_reindex` and an import do. Earlier runs committed every "
    "5,000 items, and at 1M FTS5's merges at each commit cut SQLite's rate to 1.4-1.8 MB/s; in one "
    "transaction it is 4.6-5.9 MB/s. *then compacting* is the `optimize` (SQLite) or `ANALYZE` "
    "(PostgreSQL) that `platu_reindex` also runs; it is not in the indexing rate.",
    "- PostgreSQL indexing: the indexer builds each row's tsvector as a literal while it segments (in "
    "the workers), so the server does not parse the words again, and a bulk of half the index or more "
    "(`PLATU_SEARCH_BULK_MIN`, 5,000 rows at least) is loaded into a new table by COPY, its GIN indexes "
    "built once, and swapped in. Measured at 10k, writes alone: row-by-row INSERT with `to_tsvector` "
    "9.8 s; with the literal 7.7 s; COPY and building the indexes after 4.7 s (COPY 1.6, tsvector GIN "
    "0.65, trigram GIN 2.4). Earlier runs: 1.05-1.78 MB/s.",
    "- PostgreSQL at 1M, before the changes above (row-by-row indexing): 1.20 MB/s; with them "
    "2.66 MB/s in this run. Its broad queries: p95 293 / 276 / 141 ms then, 199 / 150 / 108 ms now "
    "for 1, 2 and 4 words (the tsquery is a literal too).",
    "- Words in more than half of the items (bm25 gives them an idf of 1e-6: no weight) are left out "
    "of a question's any-word form, as stopwords are (`PLATU_SEARCH_COMMON_MIN`, from 10,000 items), "
    "so they do not make nearly every item a match to score.",
    "- SQLite questions at 100k items and more (`PLATU_SEARCH_IMPACT_MIN`, 20,000): FTS5 spends about "
    "3.5 µs a matched row in its bm25 call, and the 95th-percentile question matches 30,000 rows at "
    "100k (its words ไทย, ประเทศ, ชื่อ are each in 5 % of the items). Score bounds (`topk.py`, "
    "MaxScore) could not skip those rows: such a word adds up to 6 to a score when the 30th best is "
    "about 12 (measured over the 742 questions: the best split of each question into listed and "
    "bounded terms would still have left a p95 of ~31 ms of ranking). So each word's rows and "
    "column-weighted counts are kept as arrays beside the FTS5 index (`platu/search/impacts.py`, "
    "built from FTS5's own occurrence list, `fts5vocab` 'instance', when the index is optimised and "
    "in the background after 2,000 changed rows), with the rows' lengths; a question adds its words' "
    "bm25 shares with numpy (~10 ns a word and row), the pairs of words by FTS5 on the few rows "
    "holding one, and the rows changed since the arrays from their stored text. The scores are "
    "FTS5's own (tests compare them with FTS5's ranking of every match); on the 100k database the "
    "top 10 of all 742 questions were the same with the arrays as without. Costs: 28-35 s to build "
    "them at 100k, ~140 MB beside a 1.2 GB database, up to ~100 MB of arrays cached in a process. "
    "Per question at 100k: p95 56.7 → 25.2 ms in the relevance run of their session (CPU time in paired "
    "runs on one database: p50 26.6 → 15.0 ms, p95 58.2 → 24.2 ms), 23.0 ms in the one below; at 1M "
    "p95 137.4 ms (78.5 ms on a second pass). Below 20,000 items, and when "
    "more than 8,000 rows changed since the arrays, questions take the score-bound path and FTS5.",
    "- SQLite all-words queries (the 1, 2 and 4 words above) from 20,000 items: FTS5 ranked them by "
    "calling bm25 on each match, about 1.6 µs a row, and a KM word is in most items (คณะกรรมการ in "
    "81 % of the 100k): p95 203.6 / 115.6 / 46.8 ms at 100k in the run before. They are now ranked "
    "from the same arrays as questions (`impacts.best_all`): the rows holding every word are the "
    "shortest word's list kept where each other list holds the row, scored with FTS5's formula (tests "
    "compare with FTS5's ranking of every match). Over 200 queries of each length on one 100k "
    "database, every top 20 had the same scores in the same order as FTS5's; 33 of the 200 one-word "
    "lists ordered equal scores differently, because FTS5's path ordered ties only among its first "
    "100 candidates and the arrays order all of them by the visibility order. The arrays' cache lets "
    "the least recently used words go when full (at 1M a KM word holds 800,000 rows; starting the "
    "cache again re-read them), and a page of hits reads only the columns a hit shows (3.5 → 2 ms "
    "for 20 items). p95 for 1, 2 and 4 words: 203.6 / 115.6 / 46.8 → 13.9 / 14.1 / 15.6 ms at "
    "100k; 42.6 / 58.5 / 61.0 ms at 1M (the run before issue 15, which ranked only the 1000 most "
    "recent matches, measured 36.1 / 32.7 / 52.2 ms there). Building the arrays is part of the "
    "*then compacting* column: 20.7 s at 100k, 216 s at 1M.",
    "- PostgreSQL questions (`platu/search/pgtopk.py`): a question's score is a sum over its "
    "words of idf × ts_rank of the word alone (its impact), plus, for each pair typed together, "
    "its rarer word's weight × the pair's impact: the smaller of its words' impacts where the two "
    "are adjacent. The index keeps each word's impacts, and each pair of adjacent words' as a term "
    "of its own (`<table>_impacts`: its best 5,000 rows, with a b-tree on (term, impact desc), "
    "and for longer lists a floor in `<table>_floors` that no row left out exceeds), written with "
    "the rows and rebuilt with a bulk rebuild. A question reads short lists whole and long ones to "
    "a depth, bounds the candidates with numpy, scores them from the lists (a row's vector is read "
    "only when one of its impacts is not known) and answers only when the k-th score beats what "
    "any row not read can reach; otherwise (3 of 707 plain-word questions at 100k) ts_rank ranks "
    "every match as before. A common word's document count comes from ANALYZE's "
    "`most_common_elems` (a `count(*)` of ของ, in 93 % of the items, read most of the table: "
    "0.9-1.3 s). A statement that matches is planned without sequential scans, without index "
    "scans of the row ids (counting 1,001 matches walked the primary key testing each vector: "
    "110-180 ms, where the GIN index takes 11-20 ms) and without parallel workers (45 → 14 ms). "
    "At 100k: p95 1,254 → 138 ms (word lists alone) → 88.7 ms (with the pairs' lists and that "
    "planning) in the relevance run, 58-77 ms warm; R@1 0.923 → 0.937. Costs: the lists hold "
    "15.3M rows, 2,042 MB at 100k (the words' alone: 5.1M rows, 576 MB; the index table: 407 MB), "
    "and making them at 100k takes ~4.5 minutes. A bulk rebuild (`platu_reindex`, an import) swaps "
    "in the index without them and makes them after its commit (a background task) or at "
    "`optimize`, without stopping writers (rows written meanwhile are logged, then listed); "
    "questions rank every match with ts_rank until then. Made inside the rebuild, they had cut "
    "indexing at 10k to 0.44 MB/s; now 1.99 MB/s (session 8: 2.47), the lists 18 s at *then "
    "compacting*. Lists made before the pairs were listed are built again when the search tables "
    "are checked after a migrate. A one-word query is ranked from its word's list too (ts_rank "
    "over every match read each matched vector: a KM word 130-200 ms at 10k, 1.2-2.0 s at "
    "100k; now ~30 ms at both; the PostgreSQL 1/2/4-word table at 10k, not written here: p95 110 "
    "/ 90 / 21 ms).",
    "- Each match's visibility columns are read from the covering index `knowledge_item_reach`, not "
    "from the item's row, which holds its text (a page or more; SQLite is told with INDEXED BY). At 1M "
    "that took p95 from 128-166 ms to 39-95 ms in a loop of 200 queries on this VM. The index starts "
    "with (id, published_at): one seek a match (with the state second, SQLite sought once for each "
    "live state; 0.4-0.6 ms of a broad query at 100k). The probe's rows are read from the cursor as "
    "the database returns them: Django's converters parsed each of up to 1000 dates (about 2 ms at "
    "100k), only for ordering ties.",
    "- The same code measures differently from one session to the next on this VM (earlier sessions "
    "saw 20-30 % between runs of unchanged code). Read the figures with that spread in mind.",
    "- Cold pages: this VM runs the kernel's DAMON with the `pageout` action, which evicts file pages "
    "not touched for about 30 seconds, so the 12 GB 1M database is largely read from disk; the 1M "
    "latencies here include that. The unsegmented baseline is read the same way.",
    "",
]
