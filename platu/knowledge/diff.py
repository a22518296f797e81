"""A readable comparison of two revisions: line by line, with the changed characters
marked inside changed lines (Thai has no spaces, so words cannot be the unit)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass
class Row:
    op: str  # "same", "add", "remove", "change"
    old: SafeString
    new: SafeString


def _marked(a: str, b: str) -> tuple[SafeString, SafeString]:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.ratio() < 0.5:  # too different: mark whole lines, not noise
        return mark_safe(f"<del>{escape(a)}</del>"), mark_safe(f"<ins>{escape(b)}</ins>")
    old: list[str] = []
    new: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            old.append(escape(a[i1:i2]))
            new.append(escape(b[j1:j2]))
            continue
        if i2 > i1:
            old.append(f"<del>{escape(a[i1:i2])}</del>")
        if j2 > j1:
            new.append(f"<ins>{escape(b[j1:j2])}</ins>")
    return mark_safe("".join(old)), mark_safe("".join(new))


def compare(old_text: str, new_text: str) -> list[Row]:
    a, b = old_text.splitlines(), new_text.splitlines()
    rows: list[Row] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend(Row("same", escape(line), escape(line)) for line in a[i1:i2])
        elif tag == "delete":
            rows.extend(
                Row("remove", mark_safe(f"<del>{escape(line)}</del>"), mark_safe("")) for line in a[i1:i2]
            )
        elif tag == "insert":
            rows.extend(
                Row("add", mark_safe(""), mark_safe(f"<ins>{escape(line)}</ins>")) for line in b[j1:j2]
            )
        else:
            olds, news = a[i1:i2], b[j1:j2]
            for k in range(max(len(olds), len(news))):
                if k < len(olds) and k < len(news):
                    old, new = _marked(olds[k], news[k])
                    rows.append(Row("change", old, new))
                elif k < len(olds):
                    rows.append(Row("remove", mark_safe(f"<del>{escape(olds[k])}</del>"), mark_safe("")))
                else:
                    rows.append(Row("add", mark_safe(""), mark_safe(f"<ins>{escape(news[k])}</ins>")))
    return rows


def revision_text(title: str, summary: str, body_text: str) -> str:
    return "\n".join(part for part in (title, summary, body_text) if part)
