"""What Platu counts itself, for indicators: modules register measures in their own
``measures.py`` (knowledge: items published, applied, viewed, contributors; communities:
sessions, attendance, PLC hours, participants). Tracking imports none of them.

A measure counts over an organisation (or its subtree) and a date range, with optional filters,
and says how it counted: the value, the rows counted (ids, capped) and a link to them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise

from platu.orgs.models import Organisation

DETAIL_IDS = 200  # ids kept to show what was counted


@dataclass
class Counted:
    value: Decimal
    count: int = 0
    ids: list[int] = field(default_factory=list)
    url: str = ""  # a page listing what was counted, where there is one

    def detail(self) -> dict[str, Any]:
        return {"count": self.count, "ids": self.ids[:DETAIL_IDS], "url": self.url}


@dataclass
class Scope:
    organisation: Organisation
    subtree: bool
    start: dt.date
    end: dt.date
    filters: dict[str, Any]

    def org_q(self, field_name: str = "organisation") -> dict[str, Any]:
        if self.subtree:
            return {f"{field_name}__path__startswith": self.organisation.path}
        return {field_name: self.organisation}


@dataclass
class Measure:
    code: str
    label: str | Promise
    unit: str | Promise
    compute: Callable[[Scope], Counted]
    filters: tuple[str, ...] = ()  # the filter names it takes (kind, category, tag, community)
    counts: str = ""  # what its ids are: "knowledge.item", "communities.session" or "orgs.person"


_registry: dict[str, Measure] = {}


def register(measure: Measure) -> Measure:
    _registry[measure.code] = measure
    return measure


def get(code: str) -> Measure | None:
    return _registry.get(code)


def all_measures() -> list[Measure]:
    return sorted(_registry.values(), key=lambda m: m.code)


def choices() -> list[tuple[str, str]]:
    return [(m.code, str(m.label)) for m in all_measures()]


def compute(code: str, scope: Scope) -> Counted | None:
    measure = _registry.get(code)
    if measure is None:
        return None
    filters = {k: v for k, v in (scope.filters or {}).items() if k in measure.filters and v not in ("", None)}
    return measure.compute(Scope(scope.organisation, scope.subtree, scope.start, scope.end, filters))


def autodiscover() -> None:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("measures")


def day_bounds(scope: Scope) -> tuple[dt.datetime, dt.datetime]:
    """The scope's dates as aware datetimes in Thai time: [start 00:00, the day after end 00:00)."""
    from django.utils import timezone

    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(scope.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(scope.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def counted_rows(
    measure: Measure | None, ids: list[int], user: Any, organisation: Organisation
) -> list[tuple[str, str]]:
    """What was counted, as (label, address) pairs the viewer may see: knowledge items and
    sessions through their own visibility, people by name within the organisation's tree."""
    if measure is None or not ids:
        return []
    from django.apps import apps

    if measure.counts == "knowledge.item":
        model = apps.get_model("knowledge", "Item")
        items = model.objects.visible_to(user).filter(pk__in=ids).only("pk", "title")
        return [(r.title, r.get_absolute_url()) for r in items]
    if measure.counts == "communities.session":
        community = apps.get_model("communities", "Community")
        session = apps.get_model("communities", "Session")
        rows = session.objects.filter(pk__in=ids, community__in=community.objects.visible_to(user)).order_by(
            "starts_at"
        )
        return [(r.title, r.get_absolute_url()) for r in rows]
    if measure.counts == "orgs.person":
        from platu.orgs.models import Person

        people = Person.objects.filter(
            pk__in=ids, memberships__organisation__path__startswith=organisation.path
        )
        return [(p.full_name, "") for p in people.distinct().order_by("sort_key")]
    return []
