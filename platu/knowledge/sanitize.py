"""Rich text in, safe HTML out: an allow-list sanitiser (nh3, i.e. Ammonia).

No script, style, event-handler attributes, javascript: or data: URLs survive; only
the tags the editor produces (and Word's pasted structure maps to) are kept.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import nh3

TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "ul", "ol", "li", "blockquote", "pre", "code", "a", "hr",
    "table", "thead", "tbody", "tr", "th", "td", "span",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "p": {"class"},
    "li": {"class"},
    "h2": {"class"},
    "h3": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto"}
_CLASS_OK = re.compile(r"^ql-(align-(center|right|justify)|indent-[1-8])$")
# A template's hint paragraph (templates_body): guidance, never content.
_HINT = re.compile(r"<p\b[^>]*\bdata-hint\b[^>]*>.*?</p\s*>", re.IGNORECASE | re.DOTALL)


def strip_hints(value: str) -> str:
    """Drop the hint paragraphs a writing template left untouched."""
    return _HINT.sub("", value)


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    if attr == "class":
        kept = [c for c in value.split() if _CLASS_OK.match(c)]
        return " ".join(kept) or None
    if attr in {"colspan", "rowspan", "start"}:
        return value if value.isdigit() and len(value) <= 3 else None
    return value


def clean_html(value: str) -> str:
    """Sanitise editor output (what the editor, a paste from Word or an import gives)."""
    if not value:
        return ""
    value = strip_hints(value.replace("\x00", ""))
    cleaned = nh3.clean(
        value,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_attribute_filter,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "noscript", "template"},
    )
    return cleaned.strip()


_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "blockquote", "pre", "tr", "br", "hr", "table"}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")
        elif tag in {"td", "th"}:
            self.parts.append("\t")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(value: str) -> str:
    """Plain text of sanitised HTML: one line per block, for diffs, search and e-mail."""
    parser = _TextExtractor()
    parser.feed(value or "")
    parser.close()
    text = "".join(parser.parts).replace("\xa0", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def text_to_html(value: str) -> str:
    """Plain text (an import, a template) as paragraphs."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", value or "") if p.strip()]
    return "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
