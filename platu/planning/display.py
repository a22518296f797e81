"""A plan's tables as people read them: labels instead of stored codes, names instead of ids,
Thai B.E. dates and baht, for the read-only pages (a submitted or approved plan, a reader who
is not on the KM team)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from platu.lib import thaidate
from platu.planning.tables import Spec


@dataclass
class Column:
    name: str
    label: str
    width: int


@dataclass
class ReadTable:
    columns: list[Column]
    rows: list[list[str]]


def column_label(spec: Spec, name: str) -> str:
    if name == "step_key":
        return _("step")
    return str(spec.model._meta.get_field(name).verbose_name)  # type: ignore[union-attr]


def value(obj: Any, name: str, *, visible_items: set[int] | None = None) -> str:
    """The text a reader sees for one field of one row ("" when empty)."""
    if name == "step_key":
        return f"{obj.get_process_display()} · {obj.step}. {obj.step_label}"
    field = obj._meta.get_field(name)
    if field.many_to_many:
        related = list(getattr(obj, name).all())
        if field.related_model._meta.label == "knowledge.Item" and visible_items is not None:
            related = [x for x in related if x.pk in visible_items]
        return ", ".join(str(getattr(x, "title", None) or x) for x in related)
    if field.choices:
        return str(getattr(obj, f"get_{name}_display")())
    raw = getattr(obj, name)
    if raw is None or raw == "":
        return ""
    if isinstance(field, models.BooleanField):
        return "✓" if raw else ""
    if isinstance(raw, dt.date):
        return thaidate.format_date(raw, "medium")
    if isinstance(raw, Decimal):
        return f"{raw:,.2f}"
    if isinstance(field, models.ForeignKey):
        return str(raw)
    return str(raw)


def read_table(spec: Spec, plan: Any, *, visible_items: set[int] | None = None) -> ReadTable:
    columns = [Column(n, column_label(spec, n), spec.widths.get(n, 3)) for n in spec.fields]
    rows = [[value(obj, c.name, visible_items=visible_items) for c in columns] for obj in spec.queryset(plan)]
    return ReadTable(columns, rows)
