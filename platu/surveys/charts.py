"""Bar charts of a question's answers as inline SVG drawn in Python: no JavaScript, nothing for
the Content-Security-Policy to allow, printable. Each is an image with a name (role="img",
aria-label saying what it shows); the page puts the same numbers in a table beside it."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from platu.lib import thaidate

BAR = "#0b5394"
LIKERT_COLOURS = {5: "#1a7f37", 4: "#57a64a", 3: "#b7950b", 2: "#d9822b", 1: "#c0392b"}


def _num(value: float, digits: bool, places: int = 0) -> str:
    text = f"{value:,.{places}f}"
    return thaidate.thai_digits(text) if digits else text


def hbars(
    title: str,
    rows: Sequence[tuple[str, int, float]],
    *,
    colours: Sequence[str] | None = None,
    thai_digits: bool = False,
    width: int = 560,
) -> SafeString:
    """One horizontal bar per row (label, count, percent), the count and percent at its end."""
    label_w, right, row_h, top = 170, 96, 30, 6
    plot_w = width - label_w - right
    height = top * 2 + row_h * max(1, len(rows))
    summary = ", ".join(
        f"{label} {_num(count, thai_digits)} ({_num(pct, thai_digits, 1)}%)" for label, count, pct in rows
    )
    name = f"{title}: {summary}" if summary else title
    parts = [
        f'<svg class="survey-chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(name)}" xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet">',
        f"<title>{escape(name)}</title>",
    ]
    for i, (label, count, pct) in enumerate(rows):
        y = top + row_h * i
        w = plot_w * max(0.0, min(100.0, pct)) / 100
        colour = colours[i] if colours and i < len(colours) else BAR
        short = label if len(label) <= 24 else label[:23] + "…"
        parts.append(f'<text x="{label_w - 8}" y="{y + row_h / 2 + 5:.1f}" text-anchor="end" font-size="14" '
                     f'fill="#222">{escape(short)}</text>')  # fmt: skip
        parts.append(
            f'<rect x="{label_w}" y="{y + 5}" width="{plot_w}" height="{row_h - 10}" fill="#eef1f4"/>'
        )
        parts.append(
            f'<rect x="{label_w}" y="{y + 5}" width="{w:.1f}" height="{row_h - 10}" fill="{colour}"/>'
        )
        parts.append(f'<text x="{label_w + plot_w + 6}" y="{y + row_h / 2 + 5:.1f}" font-size="13" fill="#222">'
                     f"{_num(count, thai_digits)} ({_num(pct, thai_digits, 1)}%)</text>")  # fmt: skip
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped
