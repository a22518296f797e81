"""Forms of the competency pages. Bad input comes back with a message and what was typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from platu.competency.models import Competency, Cycle, Framework, Level, Way
from platu.lib.forms import BEDateField
from platu.lib.ids import IdsChoiceField
from platu.orgs.models import Person

YEAR_ERRORS = {
    "invalid": _("Write the year in the Buddhist Era, e.g. 2569."),
    "min_value": _("Write the year in the Buddhist Era, e.g. 2569."),
    "max_value": _("Write the year in the Buddhist Era, e.g. 2569."),
}


class Bootstrap:
    def style(self) -> None:
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput | forms.RadioSelect):
                continue
            if isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
            if isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("rows", 3)


class FrameworkStartForm(Bootstrap, forms.Form):
    name = forms.CharField(label=_("Name of the framework"), max_length=255, required=False)
    copy = forms.BooleanField(
        label=_("Start from a copy of the framework we use now"), required=False, initial=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()


class TextsForm(Bootstrap, forms.Form):
    name = forms.CharField(label=_("Name of the framework"), max_length=255)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()


class LevelForm(Bootstrap, forms.Form):
    value = forms.IntegerField(label=_("Level"), min_value=0, max_value=10)
    name = forms.CharField(label=_("Level name"), max_length=120)
    description = forms.CharField(label=_("What it looks like"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()


class CompetencyForm(Bootstrap, forms.Form):
    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Kind"), choices=Competency.Kind.choices)
    parent = forms.TypedChoiceField(label=_("Under"), required=False, coerce=int, empty_value=None)
    code = forms.CharField(label=_("Number"), max_length=20, required=False)
    name = forms.CharField(label=_("Competency"), max_length=300)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, framework: Framework, prefix_id: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[Any, Any]] = [("", _("(top level)"))]
        choices += [(c.pk, str(c)) for c in Competency.objects.filter(framework=framework)]
        self.fields["parent"].choices = choices  # type: ignore[attr-defined]
        self.style()


class ExpectationForm(Bootstrap, forms.Form):
    position = forms.CharField(
        label=_("Position"), max_length=255, required=False,
        help_text=_("Leave empty for everyone; e.g. ครู, ครูชำนาญการ, ผู้อำนวยการ. A position fits people whose position starts with it."),
    )  # fmt: skip
    competency = forms.TypedChoiceField(label=_("Competency"), coerce=int)
    level = forms.TypedChoiceField(label=_("Expected level"), coerce=int)

    def __init__(self, *args: Any, framework: Framework, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competency"].choices = [  # type: ignore[attr-defined]
            (c.pk, str(c)) for c in Competency.objects.filter(framework=framework)
        ]  # type: ignore[attr-defined]
        self.fields["level"].choices = [  # type: ignore[attr-defined]
            (lv.value, str(lv)) for lv in Level.objects.filter(framework=framework)
        ]  # type: ignore[attr-defined]
        self.style()


class CycleForm(Bootstrap, forms.Form):
    year = forms.IntegerField(
        label=_("Year (B.E.)"), min_value=2400, max_value=2700, error_messages=YEAR_ERRORS
    )
    opens_on = BEDateField(label=_("Opens on"))
    closes_on = BEDateField(label=_("Closes on"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()


class CycleDatesForm(Bootstrap, forms.Form):
    opens_on = BEDateField(label=_("Opens on"))
    closes_on = BEDateField(label=_("Closes on"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()


class SupervisorForm(Bootstrap, forms.Form):
    person = forms.TypedChoiceField(label=_("Person"), coerce=int)
    supervisor = forms.TypedChoiceField(label=_("Supervisor"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, people: list[Person], supervisors: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [  # type: ignore[attr-defined]
            (p.pk, f"{p.full_name} ({p.position})" if p.position else p.full_name) for p in people
        ]  # type: ignore[attr-defined]
        self.fields["supervisor"].choices = [("", _("(the organisation's administrators)"))] + [  # type: ignore[attr-defined]
            (p.pk, p.full_name) for p in supervisors
        ]
        self.style()


class AssessmentForm(Bootstrap, forms.Form):
    """One level (and a note) per competency expected of the person."""

    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea)

    def __init__(
        self, *args: Any, competencies: list[Competency], levels: list[Level], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[Any, Any]] = [("", _("(not rated)"))] + [(lv.value, str(lv)) for lv in levels]
        self.competencies = competencies
        for c in competencies:
            self.fields[f"c{c.pk}"] = forms.TypedChoiceField(
                label=str(c), choices=choices, coerce=int, required=False, empty_value=None
            )
            self.fields[f"n{c.pk}"] = forms.CharField(label=_("Note on %(name)s") % {"name": c.name},
                                                      max_length=500, required=False)  # fmt: skip
        self.fields["comment"] = self.fields.pop("comment")
        self.style()

    def rows(self) -> list[tuple[Competency, Any, Any]]:
        return [(c, self[f"c{c.pk}"], self[f"n{c.pk}"]) for c in self.competencies]


class NeedForm(Bootstrap, forms.Form):
    topics = forms.CharField(label=_("What I want to develop"), widget=forms.Textarea)
    competencies = IdsChoiceField(
        label=_("Competencies I want to develop"), queryset=Competency.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    ways = forms.MultipleChoiceField(
        label=_("Ways I prefer"), choices=Way.choices, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("Anything else"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, cycle: Cycle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competencies"].queryset = Competency.objects.filter(framework=cycle.framework)  # type: ignore[attr-defined]
        self.style()


class PlanStartForm(Bootstrap, forms.Form):
    first_year = forms.IntegerField(
        label=_("First fiscal year (B.E.)"), min_value=2400, max_value=2700, error_messages=YEAR_ERRORS
    )
    title = forms.CharField(label=_("Title"), max_length=255)
    cycle = forms.TypedChoiceField(
        label=_("Build from the gaps of the cycle"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, cycles: list[Cycle], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cycle"].choices = [("", _("(none: an empty plan)"))] + [  # type: ignore[attr-defined]
            (c.pk, str(c.year)) for c in cycles
        ]  # type: ignore[attr-defined]
        self.style()


class ItemForm(Bootstrap, forms.Form):
    title = forms.CharField(label=_("Development item"), max_length=300)
    way = forms.ChoiceField(label=_("Way"), choices=Way.choices)
    competencies = IdsChoiceField(
        label=_("Competencies developed"), queryset=Competency.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    people = IdsChoiceField(
        label=_("Target people"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    positions = forms.CharField(
        label=_("Target groups by position"), max_length=500, required=False,
        help_text=_("Positions separated by commas, e.g. ครู, ครูผู้ช่วย."),
    )  # fmt: skip
    years = forms.TypedMultipleChoiceField(label=_("Years"), coerce=int, widget=forms.CheckboxSelectMultiple)
    hours = forms.CharField(label=_("Hours per person"), max_length=12)
    budget = forms.CharField(label=_("Budget per year (baht)"), max_length=20, required=False)
    note = forms.CharField(label=_("How"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, years: list[int], competencies: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["years"].choices = [(y, str(y)) for y in years]  # type: ignore[attr-defined]
        self.fields["competencies"].queryset = competencies  # type: ignore[attr-defined]
        self.fields["people"].queryset = people  # type: ignore[attr-defined]
        self.style()


class ReviewForm(Bootstrap, forms.Form):
    year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)
    note = forms.CharField(label=_("What the review found and what changes"), widget=forms.Textarea)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]  # type: ignore[attr-defined]
        self.style()
