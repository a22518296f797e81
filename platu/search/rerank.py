"""Re-ranking the best matches of a question by how much of it they answer.

A question of several words rarely has an item holding all of them, so it is matched by any word
and ranked by bm25 (ts_rank on PostgreSQL). bm25 sums each word's share; a short item that
holds one rare word in its title can then outrank the item that holds most of the question.
Search engines correct for this with a coordination factor; here the best RERANK_DEPTH matches
are re-ordered by their score times the square of the share of the question's weight (each word
weighted by its idf, so a rare name counts more than a common verb) they hold. Matches below the
depth keep their order: nothing is dropped, only the top is re-ordered.

Measured on the iapp-wiki-qa questions, 5,190 items, SQLite (docs/benchmarks.md): R@1 0.950 by
bm25 alone; with this, power 1 and depth 50: 0.9596; power 2, depth 30: 0.961 (one question more;
chosen on that set, so read it as tuned); a plain count of the words held (no idf): 0.955.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from platu.search.backends import get_backend
from platu.search.query import Parsed, stopwords
from platu.search.registry import Table

RERANK_DEPTH = 30  # the best matches re-ordered
EXPONENT = 2.0  # the share's power


def words_of(parsed: Parsed) -> list[str]:
    """The question's words that weigh (not stopwords, not excluded; each once)."""
    stop = stopwords()
    words = [u.words[0] for u in parsed.units if not u.is_phrase and u.words[0] not in stop]
    return list(dict.fromkeys(words))


def rerank(table: Table, parsed: Parsed, rows: Sequence[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """rows: (pk, score, ...) best first; the first RERANK_DEPTH re-ordered by score x coverage
    (ties keep their order), the rest as they are."""
    words = words_of(parsed)
    head, tail = list(rows[:RERANK_DEPTH]), list(rows[RERANK_DEPTH:])
    if len(words) < 2 or len(head) < 2:
        return list(rows)
    backend = get_backend()
    counts = {word: backend.documents(table, (word,)) for word in words}
    total = max(1, backend.count_rows(table), *counts.values())
    weight = {word: math.log((total - n + 0.5) / (n + 0.5) + 1) for word, n in counts.items()}
    whole = sum(weight.values()) or 1.0
    held = backend.holding(table, [row[0] for row in head], words)
    scored = []
    for position, row in enumerate(head):
        share = (sum(weight[w] for w in held.get(row[0], ())) / whole) ** EXPONENT
        scored.append((-(float(row[1] or 0) * share), position, row))
    scored.sort(key=lambda s: (s[0], s[1]))
    return [row for _key, _pos, row in scored] + tail
