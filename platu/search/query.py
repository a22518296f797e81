"""What the user typed, as a query each backend can run.

- Words are segmented like the indexed text and ANDed; when that finds nothing the caller asks
  for the OR form (ranked), which leaves out stopwords.
- "Quoted text" is a phrase: its words must follow one another.
- A word or "phrase" after a minus (-word) must not occur.
- An organisation's own term (ขุมความรู้) also matches its parts written one after another, so text
  indexed before the term was applied, or written with a space, is still found.

Nothing the user types reaches the database as syntax: every word is quoted by us, and only
letters, digits and marks survive segmentation, so `"`, `*`, `:`, `(`, `NEAR` are plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from django.utils.translation import gettext as _
from pythainlp.corpus import thai_stopwords

from platu.search.segment import Segmenter, get_segmenter, normalise

MAX_QUERY_CHARS = 500
MAX_WORDS = 32
MAX_PAIRS = 12

_PHRASE = re.compile(r'(-?)"([^"]*)"')
_EXCLUDE = re.compile(r"(?:^|\s)-(\S+)")


# Asking words that pythainlp's list leaves out: a question's "how many", "which", its particles.
QUESTION_WORDS = frozenset({"กี่", "ใด", "หรอ", "เหรอ", "ไหม", "มั๊ย", "ทราบ", "ป่าว", "ปะ"})


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Words left out of the any-word form (they would match nearly everything): pythainlp's
    shipped Thai list, the asking words above and a few English ones."""
    return (
        frozenset(normalise(w) for w in thai_stopwords())
        | QUESTION_WORDS
        | frozenset({"a", "an", "and", "the", "of", "or", "in", "on", "to", "for", "is"})
    )


@dataclass
class Unit:
    """One required unit: a word (with its compound's split as an alternative) or a phrase."""

    words: tuple[str, ...]
    alternative: tuple[str, ...] = ()

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass
class Parsed:
    text: str
    units: list[Unit] = field(default_factory=list)
    excluded: list[Unit] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    error: str = ""
    # Words typed one after the other (within a run of text between spaces): in the any-word form
    # each pair is also an optional phrase, so an item holding the words in the order asked ranks
    # above one holding them scattered (a question's name, cut into syllables, most of all).
    pairs: list[tuple[str, str]] = field(default_factory=list)
    # Words in most of the collection (set by the search, ranking.common_words): bm25 gives them
    # no weight (idf <= 0), so the any-word form leaves them out, like stopwords.
    common: frozenset[str] = frozenset()

    @property
    def words(self) -> list[str]:
        """Every word to mark in results (what was typed, and its words but the stopwords, which
        would be marked inside other words: การ in โครงการ), longest first."""
        stop = stopwords()
        words = {w for u in self.units for w in u.words}
        kept = {w for w in words if w not in stop} or words
        seen = kept | set(self.raw_words)
        return sorted(seen, key=lambda w: (-len(w), w))

    @property
    def raw_words(self) -> list[str]:
        """What was typed, as substrings for the fallback search."""
        cleaned = _PHRASE.sub(lambda m: "" if m.group(1) else f" {m.group(2)} ", self.text)
        cleaned = _EXCLUDE.sub(" ", cleaned)
        out = []
        for chunk in normalise(cleaned).split():
            chunk = "".join(re.findall(r"[^\W_]|[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]", chunk))
            if len(chunk) >= 2:
                out.append(chunk)
        return out[:MAX_WORDS]

    def can_relax(self) -> bool:
        """Whether an OR form differs from the AND form."""
        return len([u for u in self.units if not u.is_phrase]) > 1

    # -- compiled forms ----------------------------------------------------------------------
    def _or_units(self) -> tuple[list[Unit], list[Unit]]:
        phrases = [u for u in self.units if u.is_phrase]
        words = [u for u in self.units if not u.is_phrase]
        kept = (
            [u for u in words if u.words[0] not in stopwords() and u.words[0] not in self.common]
            or [u for u in words if u.words[0] not in self.common]
            or words
        )
        return phrases, kept

    def _pairs(self) -> list[tuple[str, str]]:
        """The pairs that score the any-word form (not those with a common word). They change
        the scores, never the matches: the search matches the form without them (pairs=False),
        so "ทำ อย่างไร" alone finds nothing."""
        return [p for p in self.pairs if not (set(p) & self.common)]

    def fts5(self, *, any_word: bool = False, pairs: bool = True) -> str:
        def unit(u: Unit) -> str:
            phrase = '"' + " ".join(u.words) + '"'
            if u.alternative:
                return f'({phrase} OR "{" ".join(u.alternative)}")'
            return phrase

        if any_word:
            phrases, words = self._or_units()
            parts = [unit(u) for u in phrases]
            if words:
                optional = [unit(u) for u in words] + [
                    '"' + " ".join(p) + '"' for p in self._pairs() if pairs
                ]
                parts.append("(" + " OR ".join(optional) + ")")
            expression = " AND ".join(parts)
        else:
            expression = " AND ".join(unit(u) for u in self.units)
        for u in self.excluded:
            expression = f"({expression}) NOT {unit(u)}"
        return expression

    def tsquery(self, *, any_word: bool = False, pairs: bool = True) -> str:
        def seq(words: tuple[str, ...]) -> str:
            return " <-> ".join(f"'{w}'" for w in words)

        def unit(u: Unit) -> str:
            text = f"({seq(u.words)})" if u.is_phrase else seq(u.words)
            if u.alternative:
                return f"({text} | ({seq(u.alternative)}))"
            return text

        if any_word:
            phrases, words = self._or_units()
            parts = [unit(u) for u in phrases]
            if words:
                optional = [unit(u) for u in words] + [f"({seq(p)})" for p in self._pairs() if pairs]
                parts.append("(" + " | ".join(optional) + ")")
            expression = " & ".join(parts)
        else:
            expression = " & ".join(unit(u) for u in self.units)
        for u in self.excluded:
            expression = f"({expression}) & !({unit(u)})"
        return expression

    def prefix_fts5(self, column: str) -> str:
        """For suggestions: all words, the last one as a prefix, in one column."""
        words = [w for u in self.units for w in u.words]
        quoted = [f'"{w}"' for w in words[:-1]] + [f'"{words[-1]}" *']
        return f"{column} : (" + " AND ".join(quoted) + ")"

    def prefix_tsquery(self, weights: str = "") -> str:
        """The same for PostgreSQL; `weights` ("A") limits it to the title (weight A)."""
        words = [w for u in self.units for w in u.words]
        return " & ".join(
            [f"'{w}':{weights}" if weights else f"'{w}'" for w in words[:-1]] + [f"'{words[-1]}':*{weights}"]
        )


def _unit(segmenter: Segmenter, words: list[str]) -> Unit:
    # An organisation's own term also matches its parts in a row: text indexed before the term
    # was applied, or written with spaces. (Only for those terms: phrase matching costs.)
    if len(words) == 1 and words[0] in segmenter.extra_set:
        return Unit((words[0],), segmenter.split(words[0]))
    return Unit(tuple(words))


def parse(text: str | None, segmenter: Segmenter | None = None) -> Parsed:
    """Parse a query; `error` says (in the user's language) why nothing can be searched."""
    segmenter = segmenter or get_segmenter()
    text = (text or "").strip()
    parsed = Parsed(text=text)
    if not text:
        parsed.error = _("Type a word to search for.")
        return parsed
    if len(text) > MAX_QUERY_CHARS:
        text = parsed.text = text[:MAX_QUERY_CHARS]
        parsed.notices.append(_("Only the first %(n)s characters were used.") % {"n": MAX_QUERY_CHARS})

    def phrase(match: re.Match[str]) -> str:
        words = segmenter.tokens(match.group(2))
        if words:
            target = parsed.excluded if match.group(1) else parsed.units
            target.append(_unit(segmenter, words))
        return " "

    rest = _PHRASE.sub(phrase, text)

    def exclude(match: re.Match[str]) -> str:
        words = segmenter.tokens(match.group(1))
        if words:
            parsed.excluded.append(_unit(segmenter, words))
        return " "

    rest = _EXCLUDE.sub(exclude, rest)
    seen = {u.words for u in parsed.units}
    for chunk in rest.replace('"', " ").split():
        words = segmenter.tokens(chunk)
        for word in words:
            if (word,) not in seen:
                seen.add((word,))
                parsed.units.append(_unit(segmenter, [word]))
        for pair in pairwise(words):
            if pair not in parsed.pairs and len(parsed.pairs) < MAX_PAIRS:
                parsed.pairs.append(pair)
    if len(parsed.units) > MAX_WORDS:
        parsed.units = parsed.units[:MAX_WORDS]
        parsed.notices.append(_("Only the first %(n)s words were used.") % {"n": MAX_WORDS})
    parsed.excluded = parsed.excluded[:MAX_WORDS]
    if not parsed.units:
        parsed.error = (
            _("Add a word to look for besides the excluded ones.")
            if parsed.excluded
            else _("The search has no letters or numbers to look for.")
        )
    return parsed
