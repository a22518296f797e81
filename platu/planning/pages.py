"""The pages of a plan and the documents it prints, in the order the team works through them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

# page key: (title, the editable tables on it, the document it prints)
PAGES: dict[str, tuple[Any, tuple[str, ...], str]] = {
    "ws1": (_("Worksheet 1: KPIs by strategic issue"), ("issues", "kpis"), "worksheet1"),
    "ws2": (_("Worksheet 2: choosing KPIs"), ("criteria2",), "worksheet2"),
    "ws3": (_("Worksheet 3: needed knowledge"), ("processes", "knowledge"), "worksheet3"),
    "ws4": (_("Worksheet 4: screening knowledge"), ("criteria4",), "worksheet4"),
    "sufficiency": (_("Sufficiency-economy form"), ("sufficiency",), "sufficiency"),
    "focus": (_("KM focus area and desired states"), ("desired",), ""),
    "action-plan": (_("KM action plan (Form 2)"), ("activities",), "action-plan"),
    "roadmap": (_("Multi-year roadmap"), ("roadmap",), ""),
}
SHORT = {
    "ws1": _("Worksheet 1"),
    "ws2": _("Worksheet 2"),
    "ws3": _("Worksheet 3"),
    "ws4": _("Worksheet 4"),
    "sufficiency": _("Sufficiency"),
    "focus": _("Focus area"),
    "action-plan": _("Action plan"),
    "roadmap": _("Roadmap"),
}
DOCUMENT_LABELS = {
    "worksheet1": _("Worksheet 1 (ใบงานที่ 1)"),
    "worksheet2": _("Worksheet 2 (ใบงานที่ 2)"),
    "worksheet3": _("Worksheet 3 (ใบงานที่ 3)"),
    "worksheet4": _("Worksheet 4 (ใบงานที่ 4)"),
    "worksheet5": _("Worksheet 5: KM teams by strategic issue (ใบงานที่ 5)"),
    "worksheet6": _("Worksheet 6: the organisation's KM team (ใบงานที่ 6)"),
    "sufficiency": _("Sufficiency-economy form"),
    "action-plan": _("KM action plan (แบบฟอร์ม 2)"),
    "booklet": _("The whole plan booklet"),
}
TABLE_PAGE = {key: page for page, (_title, keys, _doc) in PAGES.items() for key in keys}
