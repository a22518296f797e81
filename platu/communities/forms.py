"""Forms of the communities module: dates typed the Thai way (day/month/B.E. year)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from platu.communities.models import Community, Member, Series
from platu.lib.forms import BEDateField, parse_be_date
from platu.lib.thaidate import arabic_digits


class Bootstrap:
    def style(self) -> None:
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                continue
            widget.attrs.setdefault("class", css)


class CommunityForm(Bootstrap, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Community
        fields = [
            "name",
            "kind",
            "purpose",
            "charter",
            "visibility",
            "status",
            "strategic_issue",
            "kpi",
            "needed_knowledge",
        ]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3}), "charter": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, org: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()
        # The plan links offer the home organisation's current plans only.
        from platu.planning.models import Kpi, NeededKnowledge, Plan, StrategicIssue

        plans = (
            Plan.objects.filter(organisation=org).exclude(state=Plan.State.SUPERSEDED)
            if org
            else Plan.objects.none()
        )
        for name, model in (
            ("strategic_issue", StrategicIssue),
            ("kpi", Kpi),
            ("needed_knowledge", NeededKnowledge),
        ):
            self.fields[name].queryset = (  # type: ignore[attr-defined]
                model.objects.filter(plan__in=plans)
                .select_related("plan")
                .order_by("-plan__fiscal_year", "order")
            )  # type: ignore[attr-defined]


class TimeField(forms.TimeField):
    default_error_messages = {"invalid": _("Invalid time: type hours and minutes, e.g. 15.30 or 15:30.")}

    def to_python(self, value: Any) -> dt.time | None:
        if isinstance(value, str):
            # "15.30 น.", "๑๕.๓๐", "15:30", "9": the Thai ways of writing a time.
            value = (
                arabic_digits(value).strip().removesuffix("น.").removesuffix("น").strip().replace(".", ":")
            )
            if value.isdigit():
                value = f"{value}:00"
        result: dt.time | None = super().to_python(value)
        return result


class SessionForm(Bootstrap, forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    day = BEDateField(label=_("date"))
    start = TimeField(
        label=_("starts at"), widget=forms.TextInput(attrs={"placeholder": "15:30", "inputmode": "numeric"})
    )
    end = TimeField(
        label=_("ends at"), widget=forms.TextInput(attrs={"placeholder": "16:30", "inputmode": "numeric"})
    )
    place = forms.CharField(label=_("place"), max_length=255, required=False)
    online_url = forms.URLField(label=_("online link"), required=False, assume_scheme="https", max_length=200)
    agenda = forms.CharField(label=_("agenda"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("The session ends before it starts."))
        return data


class SessionEditForm(SessionForm):
    scope = forms.ChoiceField(
        label=_("change"), widget=forms.RadioSelect, initial="this",
        choices=[("this", _("this session only")), ("following", _("this and all following sessions of the series"))],
    )  # fmt: skip


class ScheduleForm(SessionForm):
    rule = forms.ChoiceField(
        label=_("repeats"), required=False, choices=[("", _("Once")), *Series.Rule.choices]
    )
    until = BEDateField(label=_("until"), required=False)
    dates = forms.CharField(
        label=_("chosen dates"), required=False, max_length=2000,
        help_text=_("For 'on chosen dates': day/month/B.E. year, separated by commas."),
    )  # fmt: skip

    def clean_dates(self) -> list[dt.date]:
        days, bad = [], []
        for part in (self.cleaned_data.get("dates") or "").replace("\n", ",").split(","):
            if part.strip():
                try:
                    days.append(parse_be_date(part))
                except ValueError:
                    bad.append(part.strip()[:20])
        if bad:
            raise forms.ValidationError(_("These are not dates: %(bad)s") % {"bad": ", ".join(bad)})
        return days

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        rule = data.get("rule")
        if rule and rule != Series.Rule.DATES and not data.get("until") and "until" not in self.errors:
            self.add_error("until", _("A repeating series needs an end date."))
        if rule == Series.Rule.DATES and not data.get("dates") and "dates" not in self.errors:
            self.add_error("dates", _("Type the dates of the series."))
        return data


class MemberForm(Bootstrap, forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("role"), choices=Member.Role.choices)


class RecordForm(Bootstrap, forms.ModelForm):  # type: ignore[type-arg]
    """The PLC activity record (บันทึกกิจกรรม PLC) with its AAR."""

    class Meta:
        from platu.communities.models import SessionRecord

        model = SessionRecord
        fields = [*SessionRecord.TEXT_FIELDS, "minutes"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3}) for name in [*SessionRecord.TEXT_FIELDS, "minutes"]
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from django.core.validators import MaxLengthValidator

        super().__init__(*args, **kwargs)
        self.style()
        self.fields["minutes"].widget.attrs.update({"rows": 8, "data-rich-editor": "1"})
        for name, field in self.fields.items():  # a message, never a silent cut
            limit = 200_000 if name == "minutes" else 20_000
            field.max_length = limit  # type: ignore[attr-defined]
            field.validators.append(MaxLengthValidator(limit))
