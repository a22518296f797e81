"""Forms of the monitoring pages. Bad input comes back with a message and what was typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from platu.lib.forms import BEDateField
from platu.tracking import measures
from platu.tracking.models import Binding, Entry, Round


class Bootstrap:
    def style(self) -> None:
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            elif not isinstance(
                widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect
            ):
                widget.attrs.setdefault("class", "form-control")


class OpenRoundForm(Bootstrap, forms.Form):
    months = forms.TypedChoiceField(label=_("Round"), coerce=int, choices=Round.Months.choices)
    due_date = BEDateField(label=_("Entries due"))

    def __init__(self, *args: Any, open_months: set[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["months"].choices = [  # type: ignore[attr-defined]
            c for c in Round.Months.choices if c[0] not in (open_months or set())
        ]
        self.style()


class EntryForm(Bootstrap, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Entry.Status.choices)
    percent = forms.IntegerField(
        label=_("Percent done"), min_value=0, max_value=100,
        error_messages={"invalid": _("Percent done is a whole number from 0 to 100."),
                        "min_value": _("Percent done is a whole number from 0 to 100."),
                        "max_value": _("Percent done is a whole number from 0 to 100.")},
    )  # fmt: skip
    result_number = forms.DecimalField(
        label=_("Result (number)"), required=False, max_digits=14, decimal_places=2,
        error_messages={"invalid": _("Give the result as a number (e.g. 12 or 85.5), or write it in words below.")},
    )  # fmt: skip
    result_unit = forms.CharField(label=_("Unit"), required=False, max_length=60)
    result_text = forms.CharField(
        label=_("Result in words"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    problems = forms.CharField(label=_("Problems"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    solutions = forms.CharField(
        label=_("What was done about them"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_steps = forms.CharField(
        label=_("Next steps"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    override_value = forms.DecimalField(
        label=_("Set the indicator's value by hand"), required=False, max_digits=14, decimal_places=2,
        error_messages={"invalid": _("Give the value as a number.")},
    )  # fmt: skip
    override_reason = forms.CharField(label=_("Why it is set by hand"), required=False, max_length=500)
    reason = forms.CharField(
        label=_("Reason for the correction"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The round is closed: the entry as it was is kept, with your reason."),
    )  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, closed: bool = False, bound_indicator: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not closed:
            del self.fields["reason"]
        if not bound_indicator:
            del self.fields["override_value"], self.fields["override_reason"]
        for name in ("result_text", "problems", "solutions", "next_steps"):
            self.fields[name].max_length = 20_000  # type: ignore[attr-defined]
            from django.core.validators import MaxLengthValidator

            self.fields[name].validators.append(MaxLengthValidator(20_000))
        self.style()


class BindingForm(Bootstrap, forms.Form):
    measure = forms.ChoiceField(label=_("Counted by Platu"), required=False)
    scope = forms.ChoiceField(label=_("Counted over"), choices=Binding.Scope.choices)
    kind = forms.CharField(
        label=_("Only this type (knowledge type or community kind)"), required=False, max_length=40
    )
    tag = forms.CharField(label=_("Only this tag"), required=False, max_length=60)
    community = forms.TypedChoiceField(
        label=_("Only this community"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, communities: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [("", _("Not counted: entered by hand")), *measures.choices()]  # type: ignore[attr-defined]
        self.fields["community"].choices = [("", "—"), *list(communities or [])]  # type: ignore[attr-defined]
        self.style()


class EvidenceFileForm(forms.Form):
    file = forms.FileField(label=_("File"))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
