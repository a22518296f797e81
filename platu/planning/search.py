"""KM plans in search: a plan is found by its strategic issues and goals, its KPIs, the knowledge
it needs and its activities (registered with the search service, `platu/search/registry.py`).
Superseded revisions are left out: the current revision of a year answers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from platu.planning.models import Activity, DesiredState, Kpi, NeededKnowledge, Plan, StrategicIssue
from platu.search import registry
from platu.search.registry import Hit, Related, SearchField
from platu.search.snippets import highlight, snippet


def _plan_of(row: Any) -> list[int]:
    return [row.plan_id]


def plan_title(organisation_name: str, fiscal_year: int) -> str:
    return _("KM plan of %(org)s, fiscal year %(year)s") % {"org": organisation_name, "year": fiscal_year}


def _lines(rows: dict[int, list[str]], pk: int) -> str:
    return "\n".join(x for x in rows.get(pk, ()) if x)


class PlanIndex(registry.Index):
    model = Plan
    key = "plans"
    label = gettext_lazy("KM plans")
    position = 40
    table_name = "search_plan"
    fields = (
        SearchField("title", 10.0, "A"),  # the organisation and the fiscal year
        SearchField("issues", 5.0, "B"),  # strategic issues, goals, focus area, success factors
        SearchField("kpis", 3.0, "B"),  # KPIs, needed knowledge, desired states
        SearchField("activities", 2.0, "C"),  # Form 2: activities, methods, indicators
    )
    text_fields = frozenset({"preface", "focus_area", "key_success_factors", "fiscal_year"})
    related = (
        Related("planning.StrategicIssue", _plan_of, frozenset({"name", "goal"})),
        Related("planning.Kpi", _plan_of, frozenset({"name", "target"})),
        Related("planning.NeededKnowledge", _plan_of, frozenset({"name"})),
        Related("planning.DesiredState", _plan_of, frozenset({"text", "unit"})),
        Related(
            "planning.Activity",
            _plan_of,
            frozenset({"name", "method", "indicator", "target", "target_group", "responsible"}),
        ),
        Related(
            "orgs.Organisation",
            lambda org: Plan.objects.filter(organisation=org).values_list("pk", flat=True),
            frozenset({"name_th"}),
        ),
    )
    template = "planning/search_hit.html"
    order = ("-fiscal_year", "-revision", "pk")

    def documents(self, pks: Sequence[int], *, raw: bool) -> list[tuple[int, list[str], str | None]]:
        # The title is written in the installation's language, whoever saved the plan.
        with translation.override(settings.LANGUAGE_CODE):
            return self._documents(pks, raw=raw)

    def _documents(self, pks: Sequence[int], *, raw: bool) -> list[tuple[int, list[str], str | None]]:
        issues: dict[int, list[str]] = {}
        for plan_id, name, goal in (
            StrategicIssue.objects.filter(plan_id__in=pks)
            .order_by("order", "pk")
            .values_list("plan_id", "name", "goal")
        ):
            issues.setdefault(plan_id, []).extend((name, goal))
        kpis: dict[int, list[str]] = {}
        for plan_id, name, target in (
            Kpi.objects.filter(plan_id__in=pks)
            .order_by("order", "pk")
            .values_list("plan_id", "name", "target")
        ):
            kpis.setdefault(plan_id, []).extend((name, target))
        for plan_id, name in (
            NeededKnowledge.objects.filter(plan_id__in=pks)
            .order_by("order", "pk")
            .values_list("plan_id", "name")
        ):
            kpis.setdefault(plan_id, []).append(name)
        for plan_id, text, unit in (
            DesiredState.objects.filter(plan_id__in=pks)
            .order_by("order", "pk")
            .values_list("plan_id", "text", "unit")
        ):
            kpis.setdefault(plan_id, []).extend((text, unit))
        activities: dict[int, list[str]] = {}
        for plan_id, *texts in (
            Activity.objects.filter(plan_id__in=pks)
            .order_by("process", "step", "order", "pk")
            .values_list("plan_id", "name", "method", "indicator", "target", "target_group", "responsible")
        ):
            activities.setdefault(plan_id, []).extend(texts)
        out: list[tuple[int, list[str], str | None]] = []
        for pk, org, year, preface, focus, factors in (
            Plan.objects.filter(pk__in=pks)
            .order_by("pk")
            .values_list(
                "pk", "organisation__name_th", "fiscal_year", "preface", "focus_area", "key_success_factors"
            )
        ):
            title = plan_title(org, year)
            about = "\n".join(x for x in (_lines(issues, pk), focus, factors, preface) if x)
            columns = [title, about, _lines(kpis, pk), _lines(activities, pk)]
            out.append((pk, columns, "\n".join(columns) if raw else None))
        return out

    def visible(self, user: Any, filters: dict[str, str]) -> QuerySet[Plan]:
        return Plan.objects.for_user(user).exclude(state=Plan.State.SUPERSEDED)

    def page(self, pks: Sequence[int]) -> dict[int, Any]:
        plans = Plan.objects.select_related("organisation").in_bulk(list(pks))
        for pk, columns, _raw in self.documents(list(plans), raw=False):  # one read for the page
            plans[pk].search_text = "\n".join(columns[1:])  # type: ignore[attr-defined]
        return plans

    def hit(self, obj: Plan, score: float, words: Sequence[str]) -> Hit:
        title = plan_title(obj.organisation.name, int(obj.fiscal_year))
        text = str(getattr(obj, "search_text", ""))
        return Hit(obj, score, highlight(title, words), snippet(text, words), obj.get_absolute_url())


registry.register(PlanIndex())
