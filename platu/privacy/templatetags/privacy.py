"""The 72-hour clock of a breach: hours left, overdue in red, or when the PDPC was told."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from platu.privacy.models import Breach

register = template.Library()


@register.simple_tag
def breach_clock(breach: Breach) -> SafeString:
    if breach.pdpc_notified_at is not None:
        label = _("notified late") if breach.late_notice else _("notified in time")
        css = "text-danger" if breach.late_notice else "text-success"
        return format_html('<span class="{} breach-clock">{}</span>', css, label)
    if not breach.needs_pdpc:
        return format_html('<span class="text-body-secondary breach-clock">{}</span>', _("no notice needed"))
    hours = breach.hours_left()
    if hours < 0:
        text = _("overdue by %(h)s hours") % {"h": int(-hours)}
        return format_html('<strong class="text-danger breach-clock">{}</strong>', text)
    text = _("%(h)s hours left") % {"h": int(hours)}
    css = "text-warning-emphasis" if hours < 24 else "text-body"
    return format_html('<span class="{} breach-clock">{}</span>', css, text)
