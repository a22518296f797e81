"""Forms of the award pages. Bad input comes back with a message and what was typed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from platu.awards.models import Category, Programme
from platu.lib import thaidate
from platu.lib.forms import BEDateField
from platu.lib.ids import IdsChoiceField


class Bootstrap:
    def style(self) -> None:
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.Select | forms.SelectMultiple) and not isinstance(
                widget, forms.CheckboxSelectMultiple
            ):
                widget.attrs.setdefault("class", "form-select")
            elif isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif not isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                widget.attrs.setdefault("class", "form-control")


PLACES_ERRORS = {
    "invalid": _("The number of awards is a whole number from 1 to 10."),
    "min_value": _("The number of awards is a whole number from 1 to 10."),
    "max_value": _("The number of awards is a whole number from 1 to 10."),
}


class ProgrammeForm(Bootstrap, forms.Form):
    title = forms.CharField(label=_("Name of the award"), max_length=200)
    fiscal_year = forms.IntegerField(
        label=_("Fiscal year (B.E.)"), min_value=2500, max_value=2700,
        error_messages={"invalid": _("Give the fiscal year in B.E., e.g. 2569."),
                        "min_value": _("Give the fiscal year in B.E., e.g. 2569."),
                        "max_value": _("Give the fiscal year in B.E., e.g. 2569.")},
    )  # fmt: skip
    level = forms.ChoiceField(label=_("Level"), choices=Programme.Level.choices)
    description = forms.CharField(
        label=_("Purpose and rules"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    nominations_open = BEDateField(label=_("Nominations open"))
    nominations_close = BEDateField(label=_("Nominations close"))
    scoring_deadline = BEDateField(label=_("Scoring deadline"))
    scale = forms.ChoiceField(label=_("Scoring"), choices=Programme.Scale.choices, widget=forms.RadioSelect)
    criteria = forms.CharField(
        label=_("Criteria"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One criterion a line; a weight may follow after a vertical bar, e.g. “Results for the pupils | 3”. Without one the weight is 1."),
    )  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, thai_digits: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in Category.Kind.choices:
            self.fields[f"cat_{kind}"] = forms.BooleanField(label=label, required=False)
            self.fields[f"places_{kind}"] = forms.IntegerField(
                label=_("Awards given: %(category)s") % {"category": label}, min_value=1, max_value=10,
                required=False, error_messages=PLACES_ERRORS,
            )  # fmt: skip
        for name in ("nominations_open", "nominations_close", "scoring_deadline"):
            field = self.fields[name]
            if isinstance(field, BEDateField):
                field.use_thai_digits(thai_digits)
        self.style()

    def category_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"cat_{k}"], self[f"places_{k}"]) for k in Category.Kind.values]

    def categories(self) -> list[tuple[str, int]]:
        data = self.cleaned_data
        return [(k, data.get(f"places_{k}") or 1) for k in Category.Kind.values if data.get(f"cat_{k}")]

    def parsed_criteria(self) -> list[tuple[str, int]]:
        rows = []
        for line in self.cleaned_data.get("criteria", "").splitlines():
            name, _bar, weight = line.partition("|")
            if not name.strip():
                continue
            text = thaidate.arabic_digits(weight).strip()
            if not text:
                rows.append((name.strip(), 1))
            elif text.isdigit():
                rows.append((name.strip(), int(text)))
            else:
                raise forms.ValidationError(_("A weight is a whole number from 1 to 100."))
        return rows

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f"cat_{k}") for k in Category.Kind.values):
            self.add_error(None, _("Choose at least one category."))
        try:
            rows = self.parsed_criteria()
        except forms.ValidationError as exc:
            self.add_error("criteria", exc)
        else:
            if not rows and "criteria" in data:
                self.add_error("criteria", _("Give at least one criterion."))
            elif any(not 1 <= w <= 100 for _n, w in rows):
                self.add_error("criteria", _("A weight is a whole number from 1 to 100."))
        return data

    @staticmethod
    def initial_for(org: Any) -> dict[str, Any]:
        from platu.awards.actions import DEFAULT_CRITERIA, LEVEL_OF_KIND

        today = timezone.localdate()
        year = thaidate.fiscal_year(today)
        return {
            "fiscal_year": year, "level": LEVEL_OF_KIND.get(org.kind, Programme.Level.SCHOOL),
            "nominations_open": today, "nominations_close": today + dt.timedelta(days=30),
            "scoring_deadline": today + dt.timedelta(days=45), "scale": Programme.Scale.FIVE_THREE_ONE,
            "criteria": "\n".join(f"{n} | {w}" for n, w in DEFAULT_CRITERIA),
            **{f"cat_{k}": True for k in Category.Kind.values}, **{f"places_{k}": 1 for k in Category.Kind.values},
        }  # fmt: skip

    @staticmethod
    def initial_of(programme: Programme) -> dict[str, Any]:
        cats = {c.kind: c.places for c in programme.categories.all()}
        return {
            **{k: getattr(programme, k) for k in ("title", "fiscal_year", "level", "description", "nominations_open",
                                                  "nominations_close", "scoring_deadline", "scale", "version")},
            "criteria": "\n".join(f"{c.name} | {c.weight}" for c in programme.criteria.all()),
            **{f"cat_{k}": k in cats for k in Category.Kind.values},
            **{f"places_{k}": cats.get(k, 1) for k in Category.Kind.values},
        }  # fmt: skip


class CommitteeForm(Bootstrap, forms.Form):
    chair: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Chair"), queryset=None)  # type: ignore[arg-type]
    members = IdsChoiceField(
        label=_("Members"), queryset=None, required=False,  # type: ignore[arg-type]
        widget=forms.CheckboxSelectMultiple, help_text=_("The chair scores too."),
    )  # fmt: skip

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = people  # type: ignore[attr-defined]
        self.fields["chair"].empty_label = _("Choose the chair")  # type: ignore[attr-defined]
        self.fields["members"].queryset = people  # type: ignore[attr-defined]
        self.fields["chair"].label_from_instance = lambda p: p.full_name  # type: ignore[attr-defined]
        self.fields["members"].label_from_instance = lambda p: p.full_name  # type: ignore[attr-defined]
        self.style()


class NominationForm(Bootstrap, forms.Form):
    category = forms.TypedChoiceField(label=_("Category"), coerce=int)
    nominee = forms.ChoiceField(label=_("Nominee"), help_text=_("A knowledge item, a community, a session or a person of the organisation that you may see."))  # fmt: skip
    statement = forms.CharField(
        label=_("Why they deserve the award"), widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What was done, for whom, with what results; at least 20 letters."),
    )  # fmt: skip
    file = forms.FileField(label=_("Evidence (a file)"), required=False)

    def __init__(self, *args: Any, categories: list[Category], nominees: list[tuple[str, list[tuple[str, str]]]],
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—")] + [(c.pk, c.name) for c in categories]  # type: ignore[attr-defined]
        self.fields["nominee"].choices = [("", "—"), *nominees]  # type: ignore[attr-defined]
        self.style()


class ReviewForm(Bootstrap, forms.Form):
    note = forms.CharField(label=_("Note to the nominator"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


class EvidenceForm(Bootstrap, forms.Form):
    file = forms.FileField(label=_("Evidence (a file)"))


class RevokeForm(Bootstrap, forms.Form):
    reason = forms.CharField(label=_("Reason for revoking"), max_length=300)
