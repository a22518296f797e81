"""Snippets of the original text with the matched words marked."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_TO_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
SCAN_CHARS = 100_000


def pattern(words: Sequence[str]) -> re.Pattern[str] | None:
    """One regular expression for the words (and their Thai-digit forms), longest first;
    compiled once for a result page's every title and snippet."""
    return _pattern(tuple(words))


@lru_cache(maxsize=256)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    variants: set[str] = set()
    for word in words:
        if word:
            variants.add(word)
            if any(c.isdigit() for c in word):
                variants.add(word.translate(_TO_THAI_DIGITS))
    if not variants:
        return None
    alternatives = sorted(variants, key=lambda w: (-len(w), w))
    return re.compile("|".join(re.escape(w) for w in alternatives), re.IGNORECASE)


def _mark(text: str, regex: re.Pattern[str] | None) -> str:
    if regex is None:
        return escape(text)
    out: list[str] = []
    last = 0
    for m in regex.finditer(text):
        out.append(escape(text[last : m.start()]))
        out.append(f"<mark>{escape(m.group(0))}</mark>")
        last = m.end()
    out.append(escape(text[last:]))
    return "".join(out)


def highlight(text: str, words: Sequence[str]) -> SafeString:
    """The whole (short) text with the words marked."""
    return mark_safe(_mark(text, pattern(words)))


def snippet(text: str, words: Sequence[str], length: int = 240) -> SafeString:
    """The stretch of `text` (about `length` characters) holding the most distinct query
    words, with them marked; the text's start when no word occurs."""
    text = re.sub(r"\s+", " ", text or "").strip()
    regex = pattern(words)
    if not text:
        return mark_safe("")
    matches = list(regex.finditer(text[:SCAN_CHARS])) if regex else []
    if not matches:
        cut = text[:length]
        return mark_safe(escape(cut) + ("…" if len(text) > length else ""))
    starts = [m.start() for m in matches]
    best, best_score = 0, -1
    for i, start in enumerate(starts[:500]):
        j = bisect.bisect_right(starts, start + length - 40)
        score = len({matches[k].group(0).lower() for k in range(i, j)})
        if score > best_score:
            best, best_score = i, score
    start = max(0, starts[best] - length // 4)
    if start:
        space = text.rfind(" ", max(0, start - 20), start + 1)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.find(" ", end, end + 20)
        end = space if space >= 0 else end
    body = _mark(text[start:end], regex)
    return mark_safe(("…" if start else "") + body + ("…" if end < len(text) else ""))
