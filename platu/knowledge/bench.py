"""`make bench` for search: a synthetic Thai corpus, indexing throughput, index size, query latency
(p50/p95/p99 for 1-, 2- and 4-word queries) and, side by side, what unsegmented full-text search
(one token per run of Thai letters, as other tools do) finds and how fast.

The corpus is generated, not copied: words drawn from pythainlp's Thai National Corpus frequency
list (so common words are common), arranged by a handful of KM sentence templates, written as
Thai is written (no spaces inside a sentence), with some Latin words and numbers.

A query is made of words drawn from one item; "found" means that item is among the matches.
"""

from __future__ import annotations

import random
import re
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from platu.knowledge.models import Item
from platu.knowledge.search import ITEM_INDEX, search_items
from platu.lib.benchmarks import machine, percentile  # noqa: F401 - used by the commands
from platu.orgs.models import Membership, MembershipRole, Organisation, Person
from platu.search.backends import get_backend
from platu.search.indexer import bulk_indexing, index_rows
from platu.search.query import stopwords
from platu.search.segment import THAI_RE, get_segmenter

_CORPUS = Path(__import__("pythainlp.corpus", fromlist=["x"]).__file__).parent

TOPICS = [
    "การอ่าน",
    "การเขียน",
    "คณิตศาสตร์",
    "วิทยาศาสตร์",
    "โครงงาน",
    "ชุมชน",
    "ผู้ปกครอง",
    "นักเรียน",
    "ครู",
    "การนิเทศ",
    "การประเมิน",
    "งบประมาณ",
    "พัสดุ",
    "สารบรรณ",
    "อาหารกลางวัน",
    "สุขภาพ",
    "ความปลอดภัย",
    "เกษตร",
    "สมุนไพร",
    "ภาษาอังกฤษ",
    "ดิจิทัล",
    "ห้องสมุด",
    "กีฬา",
    "ดนตรี",
]
ACTIVITIES = ["ถอดบทเรียน", "เล่าเรื่อง", "ประชุม", "อบรม", "ศึกษาดูงาน", "ทดลองใช้", "สรุปผล", "วางแผน"]
GROUPS = ["ครูประจำชั้น", "คณะกรรมการ", "ผู้บริหาร", "นักเรียนชั้นประถม", "อาสาสมัคร", "เจ้าหน้าที่"]
LATIN = ["PLC", "AAR", "Google", "LINE", "NT", "O-NET", "KM", "Excel", "QR", "Zoom"]
TEMPLATES = [
    "{group}{activity}เรื่อง{topic}{w}{w}",
    "การ{activity}{topic}ทำให้{group}{w}{w}{w}",
    "{topic}ของ{group}ใน{w}{w}{w}",
    "ปี{year}{group}{activity}{topic}ได้{n}ครั้ง",
    "{w}{w}{topic}{w}{w}{latin}{w}",
]


def _vocabulary(size: int = 15_000) -> tuple[list[str], list[float]]:
    segmenter = get_segmenter()
    words, weights = [], []
    rank = 0
    for line in (_CORPUS / "tnc_freq.txt").read_text(encoding="utf-8").splitlines():
        word, _sep, _freq = line.partition("\t")
        if len(word) < 2 or not THAI_RE.match(word) or word not in segmenter.words:
            continue
        rank += 1
        words.append(word)
        weights.append(1.0 / (rank + 20) ** 0.9)
        if len(words) >= size:
            break
    return words, weights


@dataclass
class Doc:
    title: str
    summary: str
    body: str
    words: list[str]


class Corpus:
    def __init__(self, seed: int = 2569) -> None:
        self.random = random.Random(seed)
        self.vocab, weights = _vocabulary()
        total = sum(weights)
        acc, self.cumulative = 0.0, []
        for w in weights:
            acc += w / total
            self.cumulative.append(acc)

    def word(self) -> str:
        import bisect

        return self.vocab[min(bisect.bisect_left(self.cumulative, self.random.random()), len(self.vocab) - 1)]

    def sentence(self, used: list[str]) -> str:
        template = self.random.choice(TEMPLATES)
        out = []
        for piece in template.replace("}", "{").split("{"):
            value = {
                "w": self.word,
                "topic": lambda: self.random.choice(TOPICS),
                "activity": lambda: self.random.choice(ACTIVITIES),
                "group": lambda: self.random.choice(GROUPS),
                "latin": lambda: f" {self.random.choice(LATIN)} ",
                "year": lambda: str(self.random.randint(2560, 2569)),
                "n": lambda: str(self.random.randint(2, 40)),
            }.get(piece)
            if value is None:
                out.append(piece)
            else:
                text = value()
                out.append(text)
                if piece in ("w", "topic", "activity", "group"):
                    used.append(text)
        return "".join(out)

    def doc(self) -> Doc:
        used: list[str] = []
        title = self.sentence(used)
        summary = self.sentence(used)
        sentences = [self.sentence(used) for _ in range(self.random.randint(6, 14))]
        return Doc(title[:290], summary, " ".join(sentences), used)


# -- measuring -----------------------------------------------------------------------------------


@dataclass
class Step:
    size: int
    rows: dict[str, Any] = field(default_factory=dict)


def _bench_org() -> tuple[Organisation, Person]:
    org = Organisation.objects.filter(code="bench").first()
    if org is None:
        org = Organisation.objects.create(code="bench", kind="school", name_th="โรงเรียนทดสอบสมรรถนะ")
    person = Person.objects.filter(first_name="ผู้ทดสอบ").first()
    if person is None:
        from platu.accounts.models import User

        user = User.objects.create_user("bench.reader", "bench@example.go.th", None)
        person = Person.objects.create(user=user, first_name="ผู้ทดสอบ", last_name="สมรรถนะ")
        membership = Membership.objects.create(person=person, organisation=org)
        MembershipRole.objects.create(membership=membership, role="member")
    return org, person


def _create_items(
    corpus: Corpus, org: Organisation, owner: Person, n: int, docs: dict[int, list[str]]
) -> tuple[list[int], int]:
    """Insert n published items (no signals: indexing is timed separately). Returns ids and bytes."""
    now = timezone.now()
    ids: list[int] = []
    text_bytes = 0
    batch = 2000
    kinds = Item.Kind.values
    for start in range(0, n, batch):
        chunk = []
        words_of = []
        for _ in range(min(batch, n - start)):
            d = corpus.doc()
            text_bytes += len((d.title + d.summary + d.body).encode())
            words_of.append(d.words)
            chunk.append(
                Item(
                    organisation=org,
                    network_path=org.path,
                    kind=corpus.random.choice(kinds),
                    visibility=corpus.random.choice(["organisation", "network", "public"]),
                    state="published",
                    title=d.title,
                    summary=d.summary,
                    body=f"<p>{d.body}</p>",
                    body_text=d.body,
                    owner=owner,
                    published_at=now - timedelta(days=corpus.random.randint(0, 1000)),
                )
            )
        with transaction.atomic():
            created = Item.objects.bulk_create(chunk)
        for item, words in zip(created, words_of, strict=True):
            ids.append(item.pk)
            docs[item.pk] = words
    return ids, text_bytes


def _queries(corpus: Corpus, docs: dict[int, list[str]], n_words: int, count: int) -> list[tuple[str, int]]:
    stop = stopwords()
    ids = list(docs)
    out = []
    while len(out) < count:
        pk = corpus.random.choice(ids)
        candidates = sorted({w for w in docs[pk] if w not in stop and len(w) >= 2})
        if len(candidates) < n_words:
            continue
        out.append((" ".join(corpus.random.sample(candidates, n_words)), pk))
    return out


# -- the unsegmented baseline ---------------------------------------------------------------------


class Unsegmented:
    """What BookStack, Outline, Wiki.js or Discourse do: the database's own tokenizer over
    the raw text, so a run of Thai letters between spaces is one token."""

    def __init__(self) -> None:
        self.pg = connection.vendor == "postgresql"
        with connection.cursor() as cursor:
            if self.pg:
                cursor.execute(
                    "CREATE TABLE IF NOT EXISTS bench_raw (rowid bigint PRIMARY KEY, vector tsvector)"
                )
                cursor.execute("CREATE INDEX IF NOT EXISTS bench_raw_vector ON bench_raw USING gin (vector)")
            else:
                cursor.execute("CREATE VIRTUAL TABLE IF NOT EXISTS bench_raw USING fts5(title, body)")

    def add(self, ids: list[int]) -> None:
        rows = Item.objects.filter(pk__in=ids).values_list("pk", "title", "summary", "body_text")
        with connection.cursor() as cursor:
            if self.pg:
                cursor.executemany(
                    "INSERT INTO bench_raw VALUES (%s, to_tsvector('simple', %s))",
                    [(pk, f"{t} {s} {b}") for pk, t, s, b in rows],
                )
            else:
                cursor.executemany(
                    "INSERT INTO bench_raw (rowid, title, body) VALUES (%s, %s, %s)",
                    [(pk, t, f"{s} {b}") for pk, t, s, b in rows],
                )

    def search(self, query: str, source: int) -> tuple[int, bool]:
        words = [w for w in query.split() if w]
        with connection.cursor() as cursor:
            if self.pg:
                tsq = " & ".join(f"'{w}'" for w in words)
                cursor.execute(
                    "SELECT rowid FROM bench_raw WHERE vector @@ to_tsquery('simple', %s) "
                    "ORDER BY ts_rank(vector, to_tsquery('simple', %s)) DESC LIMIT 20",
                    [tsq, tsq],
                )
                top = [r[0] for r in cursor.fetchall()]
                cursor.execute(
                    "SELECT count(*) FROM bench_raw WHERE rowid = %s AND vector @@ to_tsquery('simple', %s)",
                    [source, tsq],
                )
            else:
                expr = " AND ".join('"' + w.replace('"', "") + '"' for w in words)
                cursor.execute(
                    "SELECT rowid FROM bench_raw WHERE bench_raw MATCH %s ORDER BY rank LIMIT 20", [expr]
                )
                top = [r[0] for r in cursor.fetchall()]
                cursor.execute(
                    "SELECT count(*) FROM bench_raw WHERE bench_raw MATCH %s AND rowid = %s", [expr, source]
                )
            return len(top), bool(cursor.fetchone()[0])

    def ranked(self, question: str, limit: int) -> list[int]:
        """The top `limit` row ids for any of the question's space-separated tokens, by bm25
        (SQLite) or ts_rank (PostgreSQL): how a tool with the database's own tokenizer answers a
        question typed in natural Thai."""
        tokens = sorted({w for w in (re.sub(r"[^\w]+", " ", question).split()) if w})
        if not tokens:
            return []
        with connection.cursor() as cursor:
            if self.pg:
                tsq = " | ".join("'" + w.replace("'", "") + "'" for w in tokens)
                cursor.execute(
                    "SELECT rowid FROM bench_raw WHERE vector @@ to_tsquery('simple', %s) "
                    "ORDER BY ts_rank(vector, to_tsquery('simple', %s)) DESC, rowid DESC LIMIT %s",
                    [tsq, tsq, limit],
                )
            else:
                expr = " OR ".join('"' + w.replace('"', "") + '"' for w in tokens)
                cursor.execute(
                    "SELECT rowid FROM bench_raw WHERE bench_raw MATCH %s ORDER BY rank LIMIT %s",
                    [expr, limit],
                )
            return [r[0] for r in cursor.fetchall()]

    def optimize(self) -> None:
        with connection.cursor() as cursor:
            if self.pg:
                cursor.execute("ANALYZE bench_raw")
            else:
                cursor.execute("INSERT INTO bench_raw(bench_raw) VALUES ('optimize')")

    def size(self) -> int:
        with connection.cursor() as cursor:
            if self.pg:
                cursor.execute("SELECT pg_total_relation_size('bench_raw')")
            else:
                try:
                    cursor.execute("SELECT COALESCE(SUM(pgsize), 0) FROM dbstat WHERE name LIKE 'bench_raw%'")
                except Exception:
                    return 0
            return int(cursor.fetchone()[0])


def _found(user: Any, query: str, source: int) -> bool:
    """Whether the item the words came from matches (all words, as the search's first step)."""
    from platu.search.query import parse

    parsed = parse(query)
    backend = get_backend()
    return backend.match(
        Item.objects.filter(pk=source), ITEM_INDEX.table, backend.compile(parsed), score=False
    ).exists()


def run(sizes: list[int], *, queries: int = 200, log: Callable[[str], None] = print) -> Iterator[Step]:
    corpus = Corpus()
    org, person = _bench_org()
    user = person.user
    backend = get_backend()
    baseline = Unsegmented()
    docs: dict[int, list[str]] = {}
    done = 0
    for size in sizes:
        step = Step(size)
        log(f"[{connection.vendor}] {size:,} items: creating rows")
        started = time.perf_counter()
        new_ids, text_bytes = _create_items(corpus, org, person, size - done, docs)
        step.rows["create_s"] = time.perf_counter() - started
        log(f"[{connection.vendor}] {size:,} items: indexing {len(new_ids):,}")
        started = time.perf_counter()
        # One bulk indexing, as an import or `platu_reindex` does it.
        with bulk_indexing(), transaction.atomic():
            index_rows(ITEM_INDEX, new_ids)
        seconds = time.perf_counter() - started
        step.rows["index_s"] = seconds
        step.rows["items_per_s"] = len(new_ids) / seconds
        step.rows["mb_per_s"] = text_bytes / seconds / 1e6
        step.rows["text_mb"] = text_bytes / 1e6
        started = time.perf_counter()
        for start in range(0, len(new_ids), 5000):
            with transaction.atomic():
                baseline.add(new_ids[start : start + 5000])
        step.rows["raw_index_s"] = time.perf_counter() - started
        # What `platu_reindex` does after a rebuild, for both indexes.
        started = time.perf_counter()
        backend.optimize()
        step.rows["optimize_s"] = time.perf_counter() - started
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("INSERT INTO bench_raw(bench_raw) VALUES ('optimize')")
                cursor.execute("ANALYZE")
            else:  # autovacuum does the same soon after a bulk insert
                cursor.execute("VACUUM ANALYZE search_item")
                cursor.execute("VACUUM ANALYZE bench_raw")
                cursor.execute("ANALYZE knowledge_item")
        done = size
        step.rows["index_mb"] = backend.size_bytes(ITEM_INDEX.table) / 1e6
        step.rows["raw_index_mb"] = baseline.size() / 1e6
        for n_words in (1, 2, 4):
            sample = _queries(corpus, docs, n_words, queries)
            for q, _src in sample[:10]:  # warm the caches
                search_items(user, q, limit=20, facets=False)
            latencies, raw_latencies, found, raw_found, hits, raw_hits = [], [], 0, 0, [], []
            for q, source in sample:
                t0 = time.perf_counter()
                results = search_items(user, q, limit=20, facets=False)
                latencies.append((time.perf_counter() - t0) * 1000)
                hits.append(results.total)
                found += _found(user, q, source)
                t0 = time.perf_counter()
                n_top, ok = baseline.search(q, source)
                raw_latencies.append((time.perf_counter() - t0) * 1000)
                raw_hits.append(n_top)
                raw_found += ok
            step.rows[f"q{n_words}"] = {
                "p50": percentile(latencies, 50),
                "p95": percentile(latencies, 95),
                "p99": percentile(latencies, 99),
                "found": found / len(sample),
                "median_hits": statistics.median(hits),
                "raw_p50": percentile(raw_latencies, 50),
                "raw_p95": percentile(raw_latencies, 95),
                "raw_found": raw_found / len(sample),
                "examples": [q for q, _ in sample[:3]],
            }
            log(f"[{connection.vendor}] {size:,} items, {n_words}-word: {step.rows[f'q{n_words}']}")
        yield step
