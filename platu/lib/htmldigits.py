"""Thai digits across a whole HTML page: the digits of its text, never of its markup.

An organisation that writes with Thai digits (๑๒๓) expects every number on a page in them —
counts, years, "ใบงานที่ ๒", row numbers, names such as "เขต ๑" — not some from templates that
remembered and some that did not. Attribute values (URLs, form values, ids), entities, and the
contents of script, style, textarea, pre and code stay as they are, so nothing a form posts or
a script reads changes."""

from __future__ import annotations

import re

from platu.lib.thaidate import thai_digits

_MARKUP = re.compile(r"<!--.*?-->|<[a-zA-Z/!][^>]*>", re.S)
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)")
_RAW = frozenset({"script", "style", "textarea", "pre", "code"})
# Entities stay; so do words that mix Latin letters and digits (codes such as snk-pesa1, file
# names, e-mail addresses) and IP addresses: they are identifiers, not numbers to read.
_TEXT = re.compile(
    r"&#?[0-9a-zA-Z]+;"
    r"|[A-Za-z0-9._@/:-]*[A-Za-z][A-Za-z0-9._@/:-]*[0-9][A-Za-z0-9._@/:-]*"
    r"|[A-Za-z0-9._@/:-]*[0-9][A-Za-z0-9._@/:-]*[A-Za-z][A-Za-z0-9._@/:-]*"
    r"|\b[0-9]{1,3}(?:\.[0-9]{1,3}){3}\b"
    r"|[0-9]+"
)


def text(value: str) -> str:
    """Plain text with Thai digits (codes, file names and addresses kept)."""
    return _digits(value)


def _digits(text: str) -> str:
    return _TEXT.sub(lambda m: thai_digits(m[0]) if m[0].isdigit() else m[0], text)


def convert(html: str) -> str:
    out: list[str] = []
    at = 0
    while True:
        match = _MARKUP.search(html, at)
        if match is None:
            out.append(_digits(html[at:]))
            return "".join(out)
        out.append(_digits(html[at : match.start()]))
        out.append(match[0])
        at = match.end()
        tag = _TAG.match(match[0])
        if tag and not tag[1] and tag[2].lower() in _RAW and not match[0].endswith("/>"):
            # Raw text: copied as it is up to the element's end tag.
            end = re.compile(rf"</\s*{tag[2]}\s*>", re.I).search(html, at)
            stop = end.start() if end else len(html)
            out.append(html[at:stop])
            at = stop
