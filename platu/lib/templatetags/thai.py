"""Template filters for Thai dates and digits.

{% load thai %}
{{ some_date|thai_date }}            1 ตุลาคม 2568
{{ some_date|thai_date:"short" }}    1 ต.ค. 68
{{ value|thai_digits }}              ๒๕๖๘
{% thdate some_date "short" %}       with the current organisation's digits
{% thdatetime moment %}              1 ต.ค. 2568 14:05 น., with the organisation's digits
{% thnum value %}                    digits as the current organisation chose
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone, translation
from django.utils.safestring import SafeData, mark_safe

from platu.lib import thaidate

register = template.Library()


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        moment: dt.datetime = timezone.localtime(value) if timezone.is_aware(value) else value
        return moment.date()
    if isinstance(value, dt.date):
        return value
    return None


def _org_digits(context: template.Context) -> bool:
    """Thai digits when the organisation asked for them and the page is in Thai."""
    org = context.get("current_org")
    return bool(getattr(org, "thai_digits", False)) and translation.get_language() == "th"


@register.filter
def thai_date(value: Any, style: str = "full") -> str:
    day = _as_date(value)
    if day is None:
        return "" if value in (None, "") else str(value)
    return thaidate.format_date(day, style)  # type: ignore[arg-type]


@register.filter
def thai_datetime(value: Any) -> str:
    """ "1 ต.ค. 2568 14:05 น." in local time."""
    if not isinstance(value, dt.datetime):
        return thai_date(value, "medium")
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{thaidate.format_date(local.date(), 'medium')} {local:%H:%M} น."


@register.filter
def thai_digits(value: Any, enabled: bool = True) -> str:
    if value is None:
        return ""
    return thaidate.thai_digits(value) if enabled else str(value)


@register.filter
def fiscal_year(value: Any) -> str:
    day = _as_date(value)
    return str(thaidate.fiscal_year(day)) if day else ""


@register.simple_tag(takes_context=True)
def thdate(context: template.Context, value: Any, style: str = "full") -> str:
    day = _as_date(value)
    if day is None:
        return ""
    return thaidate.format_date(day, style, use_thai_digits=_org_digits(context))  # type: ignore[arg-type]


@register.simple_tag(takes_context=True)
def thdatetime(context: template.Context, value: Any) -> str:
    """ "1 ต.ค. 2568 14:05 น." in local time, with the current organisation's digits."""
    text = thai_datetime(value)
    return thaidate.thai_digits(text) if _org_digits(context) else text


@register.simple_tag(takes_context=True)
def thnum(context: template.Context, value: Any) -> str:
    """The value with the organisation's digits (HTML stays HTML: only digits change)."""
    text = "" if value is None else str(value)
    converted = thaidate.thai_digits(text) if _org_digits(context) else text
    return mark_safe(converted) if isinstance(value, SafeData) else converted
