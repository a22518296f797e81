"""Charts as SVG drawn on the server: no JavaScript, nothing for the Content-Security-Policy to
allow, readable on an old office PC and printable. Each chart is an image with a name
(role="img", aria-label); the page puts its numbers in a table right after it."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from platu.lib import thaidate

COLOURS = ("#0b5394", "#e69138", "#38761d", "#a64d79", "#674ea7")
Number = int | float | Decimal


def nice_max(value: float) -> float:
    """The axis top: 1, 2, 2.5 or 5 times a power of ten, at least the value."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return float(step * power)
    return float(10 * power)


def _num(value: float, digits: bool) -> str:
    text = f"{value:,.0f}" if float(value).is_integer() or value >= 100 else f"{value:,.1f}"
    return thaidate.thai_digits(text) if digits else text


def bars(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[Number]]],
    *,
    thai_digits: bool = False,
    width: int = 720,
    height: int = 260,
) -> SafeString:
    """Grouped vertical bars: one group per label (a month), one bar per series."""
    left, right, top, bottom = 56, 12, 30, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [float(v) for _name, vs in series for v in vs]
    step = nice_max(max(values, default=0) / 4)  # four gridlines at round numbers
    if all(v.is_integer() for v in values):
        step = max(1.0, math.ceil(step))  # counts: whole-number ticks
    top_value = step * 4
    parts = [
        f'<svg class="dash-chart w-100 h-auto" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">',
        f"<title>{escape(title)}</title>",
    ]
    for n in range(5):  # grid and axis labels
        value = top_value * n / 4
        y = top + plot_h - plot_h * n / 4
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d0d7de" />')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" fill="#333">'
                     f"{_num(value, thai_digits)}</text>")  # fmt: skip
    group_w = plot_w / max(1, len(labels))
    bar_w = max(2.0, (group_w * 0.8) / max(1, len(series)))
    for i, label in enumerate(labels):
        x0 = left + group_w * i + group_w * 0.1
        for s, (name, vs) in enumerate(series):
            value = float(vs[i]) if i < len(vs) else 0.0
            h = plot_h * value / top_value
            x = x0 + bar_w * s
            parts.append(
                f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w - 1:.1f}" height="{h:.1f}" '
                f'fill="{COLOURS[s % len(COLOURS)]}"><title>{escape(label)} · {escape(name)}: '
                f"{_num(value, thai_digits)}</title></rect>"
            )
        parts.append(f'<text x="{left + group_w * (i + 0.5):.1f}" y="{height - bottom + 18}" text-anchor="middle" '
                     f'font-size="12" fill="#333">{escape(label)}</text>')  # fmt: skip
    x = left
    for s, (name, _vs) in enumerate(series):  # legend
        parts.append(f'<rect x="{x}" y="8" width="12" height="12" fill="{COLOURS[s % len(COLOURS)]}" />')
        parts.append(f'<text x="{x + 16}" y="18" font-size="12" fill="#333">{escape(name)}</text>')
        x += 28 + 9 * len(name)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped


def meters(
    title: str, rows: Sequence[tuple[str, Number]], *, maximum: float = 100, suffix: str = "%",
    thai_digits: bool = False, width: int = 720,
) -> SafeString:  # fmt: skip
    """Horizontal bars, one per row (e.g. percent done, or percent of a target)."""
    left, right, row_h = 220, 70, 26
    height = 10 + row_h * max(1, len(rows))
    plot_w = width - left - right
    parts = [
        f'<svg class="dash-chart w-100 h-auto" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(rows):
        y = 5 + row_h * i
        shown = max(0.0, min(float(value), maximum))
        w = plot_w * shown / maximum if maximum else 0
        short = label if len(label) <= 34 else label[:33] + "…"
        parts += [
            f'<text x="{left - 8}" y="{y + 17}" text-anchor="end" font-size="13" fill="#333">{escape(short)}</text>',
            f'<rect x="{left}" y="{y + 4}" width="{plot_w}" height="{row_h - 8}" fill="#eef1f4" />',
            f'<rect x="{left}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{COLOURS[0]}">'
            f"<title>{escape(label)}: {_num(float(value), thai_digits)}{escape(suffix)}</title></rect>",
            f'<text x="{left + plot_w + 6}" y="{y + 17}" font-size="13" fill="#333">'
            f"{_num(float(value), thai_digits)}{escape(suffix)}</text>",
        ]
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped
