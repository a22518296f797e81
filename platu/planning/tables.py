"""The plan's editable tables: rows added, edited, moved and deleted in place, all in one POST
so that nothing typed is lost, under optimistic locking per table.

Each table is a `Spec`: its model, the fields a row shows, and how its choices are limited to
the plan. A save posts every row; an operation button (add, up, down, delete) is applied after
the rows are read. The form carries the table's fingerprint as loaded; when the table changed
since (someone else saved it), nothing is written and the user's rows come back with a message.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db import models, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from platu.audit.log import record
from platu.knowledge.models import Item
from platu.lib.forms import BEDateField
from platu.lib.ids import IdsChoiceField, parse_int
from platu.orgs.models import Organisation, Team
from platu.planning.actions import require_edit, touch
from platu.planning.forms import BahtField
from platu.planning.models import (
    CHANGE_STEPS,
    KM_STEPS,
    Activity,
    Criterion,
    DesiredState,
    Kpi,
    Milestone,
    NeededKnowledge,
    Plan,
    StrategicIssue,
    WorkProcess,
)
from platu.planning.widgets import ItemPicker

OP_ADD, OP_UP, OP_DOWN, OP_DELETE = "add", "up", "down", "delete"
MAX_ROWS = 500


def network_orgs(org: Organisation) -> QuerySet[Organisation]:
    """Organisations a plan may name as responsible: the organisation's network (its parent's
    subtree, or its own when it has none)."""
    return Organisation.objects.filter(path__startswith=org.network_path).order_by("name_sort")


class RowForm(forms.ModelForm):  # type: ignore[type-arg]
    def __init__(self, *args: Any, plan: Plan, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.user = user
        for name, f in self.fields.items():
            widget = f.widget
            css = (
                "form-select form-select-sm"
                if isinstance(widget, forms.Select)
                else "form-control form-control-sm"
            )
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            widget.attrs.setdefault("class", css)
            if isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("rows", 2)
            if isinstance(widget, forms.SelectMultiple):
                widget.attrs.setdefault("size", 3)
            widget.attrs.setdefault("aria-label", str(f.label or name))
        limit = {
            "issue": StrategicIssue.objects.filter(plan=plan),
            "kpi": Kpi.objects.filter(plan=plan),
            "process": WorkProcess.objects.filter(plan=plan).select_related("kpi"),
            "knowledge": NeededKnowledge.objects.filter(plan=plan),
            "desired_state": DesiredState.objects.filter(plan=plan),
            "team": Team.objects.filter(organisation=plan.organisation),
        }
        if self._meta.model is WorkProcess and Kpi.objects.filter(plan=plan, chosen=True).exists():
            # Worksheet 3 works on the KPIs chosen on worksheet 2 (and keeps a row's own KPI).
            own = [self.instance.kpi_id] if self.instance.pk else []
            limit["kpi"] = Kpi.objects.filter(plan=plan).filter(models.Q(chosen=True) | models.Q(pk__in=own))
        for name, qs in limit.items():
            if name in self.fields:
                self.fields[name].queryset = qs  # type: ignore[attr-defined]
        for name in ("agencies", "responsible_units"):
            if name in self.fields:
                self.fields[name].queryset = network_orgs(plan.organisation)  # type: ignore[attr-defined]
        if "items" in self.fields:
            # Evidence: any item the user may read (validated against all of them, never a
            # capped list), picked by searching; links the user may not see are kept on save.
            field = self.fields["items"]
            field.queryset = Item.objects.visible_to(user)  # type: ignore[attr-defined]
            field.widget = ItemPicker(
                pick_url=reverse("planning:pick_items", args=[plan.organisation.code, plan.fiscal_year])
            )
            field.widget.choices = field.choices  # type: ignore[attr-defined]
            field.help_text = ""

    def hidden_items(self) -> list[int]:
        """Linked items the editing user may not see: kept as they are."""
        if "items" not in self.fields or not self.instance.pk:
            return []
        linked = set(self.instance.items.values_list("pk", flat=True))
        visible = set(Item.objects.visible_to(self.user).filter(pk__in=linked).values_list("pk", flat=True))
        return sorted(linked - visible)

    def _save_m2m(self) -> None:
        hidden = self.hidden_items()
        super()._save_m2m()  # type: ignore[misc]
        if hidden:
            self.instance.items.add(*hidden)

    def save(self, commit: bool = True) -> Any:
        obj = super().save(commit=False)
        obj.plan = self.plan
        if commit:
            obj.save()
            self.save_m2m()
        return obj


class ActivityForm(RowForm):
    step_key = forms.ChoiceField(label=_("step"), choices=())
    start = BEDateField(label=_("from"), required=False)
    end = BEDateField(label=_("to"), required=False)
    budget = BahtField(label=_("budget (baht)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["step_key"].choices = [  # type: ignore[attr-defined]
            (str(_("KM process")), [(f"km:{n}", f"{n}. {label}") for n, label in KM_STEPS]),
            (
                str(_("Change management process")),
                [(f"change:{n}", f"{n}. {label}") for n, label in CHANGE_STEPS],
            ),
        ]
        self.fields["step_key"].widget.attrs.update(
            {"class": "form-select form-select-sm", "aria-label": str(_("step"))}
        )
        if self.instance.pk:
            self.initial["step_key"] = f"{self.instance.process}:{self.instance.step}"
        for name in ("start", "end", "budget"):
            self.fields[name].widget.attrs.update(
                {"class": "form-control form-control-sm", "aria-label": str(self.fields[name].label)}
            )
        self.order_fields(["step_key"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end is before the start."))
        return data

    def save(self, commit: bool = True) -> Any:
        process, _sep, step = str(self.cleaned_data.get("step_key") or "km:1").partition(":")
        self.instance.process, self.instance.step = process, int(step or 1)
        return super().save(commit)


def _formfield(db_field: models.Field, **kwargs: Any) -> forms.Field | None:  # type: ignore[type-arg]
    """Many-to-many choices refuse ids no database can compare (25 digits, "²") with a message."""
    if isinstance(db_field, models.ManyToManyField):
        return db_field.formfield(form_class=IdsChoiceField, **kwargs)
    return db_field.formfield(**kwargs)


@dataclass
class Spec:
    key: str
    title: Promise | str
    model: type[models.Model]
    fields: list[str]
    form: type[RowForm] = RowForm
    widths: dict[str, int] = field(default_factory=dict)  # Bootstrap columns (of 12) per field
    widgets: dict[str, Any] = field(default_factory=dict)
    filter: dict[str, Any] = field(default_factory=dict)
    editable_rows: bool = True  # add, move and delete rows (False: edit the existing ones only)
    related: tuple[str, ...] = ()
    m2m: tuple[str, ...] = ()
    defaults: Callable[[Plan], dict[str, Any]] | None = None

    def queryset(self, plan: Plan) -> QuerySet[Any]:
        qs = self.model._default_manager.filter(plan=plan, **self.filter)  # type: ignore[attr-defined]
        if self.related:
            qs = qs.select_related(*self.related)
        if self.m2m:
            qs = qs.prefetch_related(*self.m2m)
        return qs.order_by("order", "pk")

    def formset_class(self, extra: int = 0) -> type[forms.BaseModelFormSet]:  # type: ignore[type-arg]
        return forms.modelformset_factory(
            self.model,
            form=self.form,
            formfield_callback=_formfield,
            fields=[f for f in self.fields if f != "step_key"],
            widgets=self.widgets,
            extra=extra,
            can_delete=self.editable_rows,
            max_num=MAX_ROWS,
            absolute_max=MAX_ROWS,
            validate_max=True,
        )

    def formset(
        self, plan: Plan, data: Any = None, *, extra: int = 0, user: Any = None
    ) -> forms.BaseModelFormSet:  # type: ignore[type-arg]
        cls = self.formset_class(extra)
        initial = [self.defaults(plan)] * extra if self.defaults and extra else None
        return cls(
            data, queryset=self.queryset(plan), prefix=self.key, form_kwargs={"plan": plan, "user": user},
            initial=initial,
        )  # fmt: skip

    def fingerprint(self, plan: Plan) -> str:
        rows = []
        for obj in self.queryset(plan):
            row: list[Any] = [obj.pk, obj.order]
            for name in self.fields:
                if name == "step_key":
                    row.append(f"{obj.process}:{obj.step}")
                elif name in self.m2m:
                    row.append(sorted(x.pk for x in getattr(obj, name).all()))
                else:
                    row.append(str(getattr(obj, self.model._meta.get_field(name).attname)))  # type: ignore[union-attr]
            rows.append(row)
        return hashlib.sha1(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()[:16]


def _fy_defaults(plan: Plan) -> dict[str, Any]:
    from platu.lib.thaidate import fiscal_year_bounds

    start, end = fiscal_year_bounds(plan.fiscal_year)
    return {"start": start, "end": end, "step_key": "km:1"}


CRITERIA_TITLES = {
    2: _("Criteria of worksheet 2"),
    4: _("Criteria of worksheet 4"),
}  # lazy: each request's language


def _criteria(sheet: int) -> Spec:
    return Spec(
        f"criteria{sheet}",
        CRITERIA_TITLES[sheet],
        Criterion,
        ["text"],
        filter={"sheet": sheet},
        widths={"text": 12},
    )


SPECS: dict[str, Spec] = {
    s.key: s
    for s in (
        Spec(
            "issues",
            _("Strategic issues and goals"),
            StrategicIssue,
            ["name", "goal", "team"],
            widths={"name": 5, "goal": 4, "team": 3},
            widgets={"goal": forms.Textarea},
            related=("team",),
        ),
        Spec(
            "kpis",
            _("KPIs of the performance agreement"),
            Kpi,
            ["issue", "number", "name", "target", "agencies", "agencies_text", "note"],
            widths={"issue": 3, "number": 1, "name": 4, "target": 2, "agencies": 3, "agencies_text": 3, "note": 3},
            related=("issue",),
            m2m=("agencies",),
        ),
        _criteria(2),
        _criteria(4),
        Spec(
            "processes",
            _("Work processes of the chosen KPIs"),
            WorkProcess,
            ["kpi", "name"],
            widths={"kpi": 5, "name": 7},
            related=("kpi",),
        ),
        Spec(
            "knowledge",
            _("Knowledge each process needs"),
            NeededKnowledge,
            ["process", "name", "agencies", "agencies_text"],
            widths={"process": 4, "name": 8, "agencies": 6, "agencies_text": 6},
            related=("process",),
            m2m=("agencies",),
        ),
        Spec(
            "sufficiency",
            _("Sufficiency-economy form"),
            StrategicIssue,
            ["moderation", "reasonableness", "immunity", "knowledge_condition", "morality_condition", "km_scope"],
            widths=dict.fromkeys(("moderation", "reasonableness", "immunity"), 4)
            | {"knowledge_condition": 6, "morality_condition": 6, "km_scope": 12},
            widgets=dict.fromkeys(("moderation", "reasonableness", "immunity", "knowledge_condition", "morality_condition", "km_scope"), forms.Textarea),
            editable_rows=False,
        ),
        Spec(
            "desired",
            _("Desired states"),
            DesiredState,
            ["text", "unit", "knowledge"],
            widths={"text": 6, "unit": 3, "knowledge": 3},
            widgets={"text": forms.Textarea},
            related=("knowledge",),
        ),
        Spec(
            "activities",
            _("Activities"),
            Activity,
            ["step_key", "desired_state", "knowledge", "name", "method", "start", "end", "indicator", "target",
             "target_group", "responsible", "responsible_units", "budget", "status", "note", "items"],
            form=ActivityForm,
            widths={"step_key": 3, "desired_state": 3, "knowledge": 3, "name": 4, "method": 4, "start": 2, "end": 2,
                    "indicator": 3, "target": 2, "target_group": 2, "responsible": 3, "responsible_units": 3,
                    "budget": 2, "status": 3, "note": 2, "items": 4},
            widgets={"method": forms.Textarea},
            related=("desired_state", "knowledge"),
            m2m=("responsible_units", "items"),
            defaults=_fy_defaults,
        ),
        Spec(
            "roadmap",
            _("Multi-year roadmap"),
            Milestone,
            ["year", "level", "description", "status"],
            widths={"year": 2, "level": 3, "description": 5, "status": 2},
        ),
    )
}  # fmt: skip


@dataclass
class Outcome:
    saved: bool
    formset: Any
    conflict: bool = False
    added: bool = False
    current: str = ""


def apply(plan: Plan, spec: Spec, data: Any, *, acting_user: Any) -> Outcome:
    """Save a posted table and apply its operation ("op": add, or up/down/delete:INDEX)."""
    require_edit(plan, acting_user)
    op, _sep, arg = str(data.get("op", "")).partition(":")
    data = data.copy()
    target = parse_int(arg)
    if op == OP_DELETE and spec.editable_rows and target is not None:
        data[f"{spec.key}-{target}-DELETE"] = "on"
    formset = spec.formset(plan, data, user=acting_user)
    if not formset.is_valid():
        return Outcome(False, formset)
    with transaction.atomic():
        # One writer of a plan's tables at a time (a row lock on PostgreSQL; SQLite's immediate
        # transactions already serialise writers), so the check below cannot race.
        Plan.objects.select_for_update().filter(pk=plan.pk).first()
        current = spec.fingerprint(plan)
        # "overwrite" is the fingerprint of the other person's rows the user was shown after a
        # conflict: saving over them is the user's choice, and only over what they saw.
        if current not in (data.get("base"), data.get("overwrite")):
            return Outcome(False, formset, conflict=True, current=current)
        rows = []
        for index, form in enumerate(formset.forms):
            if spec.editable_rows and formset._should_delete_form(form):  # type: ignore[attr-defined]
                if form.instance.pk:
                    form.instance.delete()
                continue
            if form.instance.pk is None and not form.has_changed():
                continue
            rows.append((index, form))
        if spec.editable_rows and op in (OP_UP, OP_DOWN) and target is not None:
            at = next((i for i, (row, _f) in enumerate(rows) if row == target), None)
            if at is not None:
                to = at - 1 if op == OP_UP else at + 1
                if 0 <= to < len(rows):
                    rows[at], rows[to] = rows[to], rows[at]
        for order, (_index, form) in enumerate(rows):
            obj = form.save(commit=False)
            obj.order = order
            if spec.filter:
                for name, value in spec.filter.items():
                    setattr(obj, name, value)
            obj.save()
            form.save_m2m()
        touch(plan)
        record("plan.edit", actor=acting_user, obj=plan, organisation=plan.organisation,
               data={"table": spec.key, "op": op})  # fmt: skip
    return Outcome(True, formset, added=op == OP_ADD and spec.editable_rows)


def save_row(
    plan: Plan, spec: Spec, instance: Any, data: dict[str, Any], *, acting_user: Any, base_version: int
) -> tuple[Any, Any]:
    """One row of a table, edited or added alone (the API): the table's row form, the plan's
    version as read (EditConflict when someone changed the plan since) and the table's audit row.
    Answers (the saved row, None), or (None, the form with its errors)."""
    require_edit(plan, acting_user)
    cls: Any = forms.modelform_factory(spec.model, form=spec.form, formfield_callback=_formfield,
                                  fields=[f for f in spec.fields if f != "step_key"], widgets=spec.widgets)  # fmt: skip
    form: Any = cls(data, instance=instance, plan=plan, user=acting_user)
    if not form.is_valid():
        return None, form
    with transaction.atomic():
        Plan.objects.select_for_update().filter(pk=plan.pk).first()
        touch(plan, base_version=base_version)
        added = instance is None or instance.pk is None
        obj = form.save(commit=False)
        if added:
            last = spec.queryset(plan).aggregate(n=models.Max("order"))["n"]
            obj.order = 0 if last is None else last + 1
        for name, value in spec.filter.items():
            setattr(obj, name, value)
        obj.save()
        form.save_m2m()
        record("plan.edit", actor=acting_user, obj=plan, organisation=plan.organisation,
               data={"table": spec.key, "op": OP_ADD if added else ""})  # fmt: skip
    return obj, None
