"""@mentions in plain text: one rule for knowledge comments and community posts.

A mention is ``@username`` not preceded by a word character, a dot or another ``@`` (so an
e-mail address is not one); a dot that ends the sentence is not part of the name.
"""

from __future__ import annotations

import re

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

MENTION = re.compile(r"(?<![\w.@])@([A-Za-z0-9_.+-]{2,150})")
MAX_MENTIONS = 20  # nobody is told more than this per message; the rest stay text


def usernames_in(text: str) -> set[str]:
    """The usernames mentioned in ``text`` (at most ``MAX_MENTIONS``)."""
    names: set[str] = set()
    for match in MENTION.finditer(text or ""):
        name = match.group(1).rstrip(".")
        if len(name) >= 2:
            names.add(name)
        if len(names) >= MAX_MENTIONS:
            break
    return names


def highlight(html: str, css_class: str = "mention") -> SafeString:
    """Wrap each mention of already-escaped HTML in ``<span class="mention">``. The text is
    escaped here too if it is not yet safe, so raw text never reaches the page."""
    css = conditional_escape(css_class)
    escaped = str(conditional_escape(html))

    def wrap(match: re.Match[str]) -> str:
        name = match.group(1).rstrip(".")
        rest = match.group(1)[len(name) :]
        return f'<span class="{css}">@{name}</span>{rest}'

    return mark_safe(MENTION.sub(wrap, escaped))
