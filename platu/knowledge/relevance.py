"""`make bench-relevance`: is the right answer on top?

The shared iapp-wiki-qa set (`../shared/data/iapp-wiki-qa/valid.jsonl`: Thai questions people wrote
about Thai Wikipedia articles) is imported as knowledge items, one item per article (its title and
text), dated years ago; then synthetic items (the search bench's corpus) dated after them, so that
ranking by date cannot pass for ranking by relevance. Every question is asked through the search
service's `search_items`, the call the API and the search page make, as a member of the
organisation; a question is answered at rank r when its article's item is the r-th hit.

Side by side: the same questions on an unsegmented index (the database's own tokenizer over the raw
text, any word, ranked by bm25 / ts_rank), as other tools search Thai.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from platu.knowledge.bench import Corpus, Unsegmented, _bench_org, _create_items, percentile
from platu.knowledge.models import Item
from platu.knowledge.search import ITEM_INDEX, search_items
from platu.search.backends import forget_counts, get_backend
from platu.search.indexer import bulk_indexing, index_rows
from platu.search.query import parse

DATA = Path(settings.BASE_DIR).parent / "shared" / "data" / "iapp-wiki-qa" / "valid.jsonl"
DEPTH = 10  # R@10 and MRR@10


@dataclass
class Question:
    text: str
    article: str


@dataclass
class Dataset:
    articles: dict[str, tuple[str, str]] = field(default_factory=dict)  # id: (title, text)
    questions: list[Question] = field(default_factory=list)


def load(path: Path = DATA) -> Dataset:
    data = Dataset()
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            if not line.strip():
                continue
            row = json.loads(line)
            article = row["article_id"]
            data.articles.setdefault(article, (" ".join(row["title"].split()), row["context"]))
            data.questions.append(Question(" ".join(row["question"].split()), article))
    return data


def import_articles(data: Dataset, org: Any, owner: Any) -> dict[str, int]:
    """One published item per article, dated 5-6 years ago (older than every distractor). Two
    articles of the set are the same page under two ids (same title, same text): they are one
    item, and a question about either is answered by it."""
    now = timezone.now()
    items = []
    first_of: dict[str, str] = {}  # text: the first article with it
    same: dict[str, str] = {}
    for n, (article, (title, text)) in enumerate(sorted(data.articles.items())):
        if text in first_of:
            same[article] = first_of[text]
            continue
        first_of[text] = article
        items.append(
            Item(
                organisation=org,
                network_path=org.path,
                kind=Item.Kind.ARTICLE,
                visibility=Item.Visibility.ORGANISATION,
                state=Item.State.PUBLISHED,
                title=title[:300],
                body=f"<p>{text}</p>",
                body_text=text,
                owner=owner,
                external_id=f"iapp:{article}",
                published_at=now - timedelta(days=2200 - n),
            )
        )
    with transaction.atomic():
        created = Item.objects.bulk_create(items)
    item_of = {item.external_id.removeprefix("iapp:"): item.pk for item in created}
    return item_of | {article: item_of[first] for article, first in same.items()}


@dataclass
class Scores:
    ranks: list[int | None] = field(default_factory=list)  # 1-based rank, None: not in the top DEPTH
    latencies: list[float] = field(default_factory=list)

    def add(self, rank: int | None, ms: float) -> None:
        self.ranks.append(rank)
        self.latencies.append(ms)

    def summary(self) -> dict[str, float]:
        n = len(self.ranks) or 1
        return {
            "questions": len(self.ranks),
            "r1": sum(1 for r in self.ranks if r == 1) / n,
            "r10": sum(1 for r in self.ranks if r is not None and r <= DEPTH) / n,
            "mrr10": sum(1 / r for r in self.ranks if r is not None and r <= DEPTH) / n,
            "p50": percentile(self.latencies, 50) if self.latencies else 0.0,
            "p95": percentile(self.latencies, 95) if self.latencies else 0.0,
        }


def _rank(ids: list[int], wanted: int) -> int | None:
    return ids.index(wanted) + 1 if wanted in ids else None


def ask(user: Any, data: Dataset, item_of: dict[str, int], baseline: Unsegmented | None) -> dict[str, Any]:
    ours, raw = Scores(), Scores()
    for q in data.questions[:20]:  # warm the caches
        search_items(user, q.text, limit=DEPTH, facets=False)
    for q in data.questions:
        started = time.perf_counter()
        results = search_items(user, q.text, limit=DEPTH, facets=False)
        ours.add(
            _rank([h.obj.pk for h in results.hits], item_of[q.article]),
            (time.perf_counter() - started) * 1000,
        )
        if baseline is not None:
            started = time.perf_counter()
            top = baseline.ranked(q.text, DEPTH)
            raw.add(_rank(top, item_of[q.article]), (time.perf_counter() - started) * 1000)
    out: dict[str, Any] = {"platu": ours.summary()}
    if baseline is not None:
        out["unsegmented"] = raw.summary()
    out["words"] = statistics.mean(len(parse(q.text).units) for q in data.questions)
    return out


def run(
    sizes: list[int],
    *,
    distractors: int = 5000,
    log: Callable[[str], None] = print,
    path: Path = DATA,
    baseline_max: int = 100_000,
) -> list[dict[str, Any]]:
    """First the articles and `distractors` newer synthetic items, then more synthetic items up
    to each of `sizes` (latency at scale); the questions asked at each step. The unsegmented
    baseline is kept up to `baseline_max` items (at a million its questions alone take half an
    hour)."""
    data = load(path)
    corpus = Corpus()
    org, person = _bench_org()
    user = person.user
    baseline = Unsegmented()
    item_of = import_articles(data, org, person)
    with bulk_indexing(), transaction.atomic():
        index_rows(ITEM_INDEX, set(item_of.values()))
    baseline.add(sorted(set(item_of.values())))
    docs: dict[int, list[str]] = {}
    done = len(set(item_of.values()))
    out = []
    first = done + distractors  # the relevance figure: the articles and 5,000 newer items
    for size in [first, *(s for s in sizes if s > first)]:
        log(f"[{connection.vendor}] relevance: {size:,} items")
        new_ids, _bytes = _create_items(corpus, org, person, size - done, docs)
        docs.clear()
        with bulk_indexing(), transaction.atomic():
            index_rows(ITEM_INDEX, new_ids)
        compared = size <= baseline_max
        if compared:
            for start in range(0, len(new_ids), 5000):
                with transaction.atomic():
                    baseline.add(new_ids[start : start + 5000])
            baseline.optimize()
        get_backend().optimize()
        forget_counts()  # as platu_reindex does: the word counts cached at the last step are stale
        done = size
        asked = ask(user, data, item_of, baseline if compared else None)
        step = {"size": size, "articles": len(set(item_of.values())), **asked}
        log(f"[{connection.vendor}] relevance {size:,}: {step}")
        out.append(step)
    return out
