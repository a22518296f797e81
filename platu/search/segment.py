"""Thai word segmentation for indexing and querying.

Thai is written without spaces between words. Text is cut into words with nlpo3 (newmm,
dictionary-based maximal matching) over pythainlp's bundled word list plus the extra terms the
organisations' KM teams add (`SearchTerm`). Latin words and numbers stay whole; everything is
lower-cased and Thai digits become Arabic ones, so "๒๕๖๘" and "2568" are the same word.

A dictionary word can be a compound (มีความรู้, การจัดการความรู้, or an organisation's own
ขุมความรู้). So that a search for a part still finds it, each compound is also split into the
fewest shorter dictionary words, recursively, and those parts are indexed in their own field.

Index and query use the same functions, so a query is segmented exactly as the text was.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
import time
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import nlpo3
import pythainlp.corpus.common as _thai_corpus

_BASE_WORDS = Path(_thai_corpus.__file__).parent / "words_th.txt"

# A token: letters, digits and combining marks (Thai vowel and tone marks are marks, not letters).
TOKEN_RE = re.compile(r"(?:[^\W_]|[\u0300-\u036f\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])+")
THAI_RE = re.compile(r"[\u0e01-\u0e4e]")
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_NORMALISE = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789", _INVISIBLE)
# str.translate walks the text in Python-object steps; most text needs none of it.
_NEEDS_TRANSLATE = re.compile(f"[๐-๙{_INVISIBLE}]")
# Parts are looked for in compounds of at least this many characters.
MIN_COMPOUND = 4
MIN_PART = 3
MAX_WORD = 24
# Text longer than this is cut before segmentation (a very long ambiguous run is slow and a
# search index needs no more of one field).
MAX_CHARS = 400_000
RELOAD_SECONDS = 30.0


def normalise(text: str) -> str:
    """NFC, no invisible characters, Thai digits as Arabic, lower case."""
    text = unicodedata.normalize("NFC", text)
    if _NEEDS_TRANSLATE.search(text):
        text = text.translate(_NORMALISE)
    return text.lower()


class Segmenter:
    """One loaded dictionary: the base word list plus a set of extra terms."""

    def __init__(self, extra_terms: Iterable[str] = ()) -> None:
        self.extra = sorted({normalise(t).strip() for t in extra_terms if t and t.strip()})
        self.extra_set = frozenset(self.extra)
        base = _BASE_WORDS.read_text(encoding="utf-8").split()
        self.words = frozenset(base) | frozenset(self.extra)
        digest = hashlib.sha1("\n".join(self.extra).encode()).hexdigest()[:12]
        self.name = f"platu-{digest}"
        self._load()
        self.split = lru_cache(maxsize=200_000)(self._split)
        self.parts = lru_cache(maxsize=200_000)(self._parts)

    def _load(self) -> None:
        with _LOAD_LOCK:
            if self.name in _LOADED:
                return
            if not self.extra:
                path = _BASE_WORDS
            else:
                folder = Path(tempfile.gettempdir()) / "platu-dict"
                folder.mkdir(exist_ok=True)
                path = folder / f"{self.name}-{os.getpid()}.txt"
                path.write_text("\n".join(sorted(self.words)), encoding="utf-8")
            message, ok = nlpo3.load_dict(str(path), self.name)
            if not ok:  # pragma: no cover - the bundled list always loads
                raise RuntimeError(message)
            _LOADED.add(self.name)

    def tokens(self, text: str) -> list[str]:
        """The words of `text`, normalised, in order."""
        if not text:
            return []
        text = normalise(text[:MAX_CHARS])
        if THAI_RE.search(text):
            # safe=False: nlpo3 1.4's "safe" mode scrambles text longer than ~140 characters
            # (tests/search/test_segment.py checks that the words always rebuild the text).
            text = " ".join(nlpo3.segment(text, self.name, False, False))
        return TOKEN_RE.findall(text)

    def _split(self, word: str) -> tuple[str, ...]:
        """The fewest shorter dictionary words that make up `word` (() when none do)."""
        n = len(word)
        if n < MIN_COMPOUND or not THAI_RE.match(word):
            return ()
        words = self.words
        # best[i]: (pieces, start of the last piece) covering word[:i] with shorter words.
        best: list[tuple[int, int] | None] = [None] * (n + 1)
        best[0] = (0, 0)
        for i in range(n):
            here = best[i]
            if here is None:
                continue
            for j in range(i + 2, min(n, i + MAX_WORD) + 1):
                if j - i < n and word[i:j] in words:
                    current = best[j]
                    if current is None or here[0] + 1 < current[0]:
                        best[j] = (here[0] + 1, i)
        if best[n] is None:
            return ()
        cuts: list[str] = []
        j = n
        while j > 0:
            i = best[j][1]  # type: ignore[index]
            cuts.append(word[i:j])
            j = i
        return tuple(reversed(cuts))

    def _parts(self, word: str) -> tuple[str, ...]:
        """The words inside a compound at every level, leaving out two-letter bits
        (หนอง is not indexed under หน and อง)."""
        result: list[str] = []
        for piece in self.split(word):
            if len(piece) >= MIN_PART:
                result.append(piece)
            result.extend(self.parts(piece))
        return tuple(dict.fromkeys(result))

    def index_text(self, text: str) -> tuple[str, list[str]]:
        """(the words joined by spaces, the parts of its compounds)."""
        words = self.tokens(text)
        parts: dict[str, None] = {}
        for word in dict.fromkeys(words):  # in order: the same text gives the same row anywhere
            for part in self.parts(word):
                parts[part] = None
        return " ".join(words), list(parts)


_LOAD_LOCK = threading.Lock()
_LOADED: set[str] = set()
_current: Segmenter | None = None
_checked_at = 0.0
_signature: tuple[int, str] | None = None


def _terms_signature() -> tuple[tuple[int, str], list[str]]:
    from platu.search.models import SearchTerm

    terms = sorted(SearchTerm.objects.values_list("term", flat=True))
    return (len(terms), hashlib.sha1("\n".join(terms).encode()).hexdigest()), terms


def get_segmenter(*, refresh: bool = False) -> Segmenter:
    """The process's segmenter, with the organisations' terms; re-read every 30 seconds."""
    global _current, _checked_at, _signature
    now = time.monotonic()
    if _current is not None and not refresh and now - _checked_at < RELOAD_SECONDS:
        return _current
    _checked_at = now
    try:
        signature, terms = _terms_signature()
    except Exception:  # the table may not exist yet (during migrations)
        signature, terms = (0, ""), []
    if _current is None or signature != _signature:
        _current = Segmenter(terms)
        _signature = signature
    return _current


def tokens(text: str) -> list[str]:
    return get_segmenter().tokens(text)


# -- what the index stores for one document ------------------------------------------------------

# (row id, the text of each column, the plain text for substring search or None)
Fields = tuple[int, list[str], str | None]
# (row id, the segmented text of each column and then the compounds' parts, the plain text or "",
#  the columns as a PostgreSQL tsvector literal or "")
Row = tuple[int, list[str], str, str]
RAW_CHARS = 20_000  # substring (trigram) search covers the start of each document
# PostgreSQL keeps positions up to this one (larger ones count as it) and 256 of them a word.
_MAX_POSITION = 16383
_MAX_POSITIONS = 256


def tsvector(texts: list[str], letters: str) -> str:
    """The segmented columns as a tsvector literal, column i weighted letters[i]: what
    `setweight(to_tsvector('simple', c1), 'A') || ...` gives for words that are already cut
    (positions run on from column to column), without the server parsing the text again."""
    positions: dict[str, list[str]] = {}
    n = 0
    for text, letter in zip(texts, letters, strict=True):
        for word in text.split():
            n += 1
            found = positions.setdefault(word, [])
            if len(found) < _MAX_POSITIONS:
                found.append(f"{min(n, _MAX_POSITION)}{letter}")
    # Words are TOKEN_RE tokens (letters, digits, marks): nothing in them needs escaping.
    return " ".join(f"'{word}':{','.join(found)}" for word, found in positions.items())


def segment_row(segmenter: Segmenter, fields: Fields, letters: str = "") -> Row:
    """letters: the columns' tsvector weights, when the literal is wanted (PostgreSQL)."""
    rowid, columns, raw = fields
    texts: list[str] = []
    parts: dict[str, None] = {}
    for text in columns:
        words, column_parts = segmenter.index_text(text)
        texts.append(words)
        parts.update(dict.fromkeys(column_parts))
    texts.append(" ".join(parts))
    vector = tsvector(texts, letters) if letters else ""
    return rowid, texts, normalise(raw[:RAW_CHARS]) if raw else "", vector


# -- segmenting in worker processes (bulk indexing) ---------------------------------------------
# nlpo3 holds the GIL while it segments, so in one process segmentation and everything else
# (reading the rows, the database driver) take turns on one core. A rebuild or an import hands
# the segmentation to worker processes (this module needs no Django), each with the same
# dictionary, and the indexing process reads and writes meanwhile.

_worker: Segmenter | None = None


def start_worker(extra_terms: list[str]) -> None:
    global _worker
    _worker = Segmenter(extra_terms)


def segment_batch(batch: list[Fields], letters: str = "") -> list[Row]:
    assert _worker is not None, "start_worker must run first"
    return [segment_row(_worker, fields, letters) for fields in batch]
