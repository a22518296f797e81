"""Forms of the survey pages: making and setting a survey (B.E. dates), its sections and
questions, the organisation's smallest group shown. Bad input comes back with a message and
what was typed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from platu.lib import thaidate
from platu.lib.forms import BEDateField
from platu.orgs.models import Organisation
from platu.surveys import templates_data
from platu.surveys.models import Question, Section, Survey, SurveySettings


class Bootstrap:
    def style(self) -> None:
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.Select) and not isinstance(widget, forms.RadioSelect):
                widget.attrs.setdefault("class", "form-select")
            elif isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif not isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                widget.attrs.setdefault("class", "form-control")


def _thai_digits(org: Organisation | None, form: forms.Form) -> None:
    for field in form.fields.values():
        if isinstance(field, BEDateField):
            field.use_thai_digits(bool(org and org.thai_digits))


class SurveyForm(Bootstrap, forms.Form):
    template = forms.ChoiceField(label=_("Start from"), required=False, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Survey title"), max_length=200, required=False,
                            help_text=_("Leave empty to use the template's title."))  # fmt: skip
    description = forms.CharField(
        label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    audience = forms.ChoiceField(
        label=_("Who answers"), choices=Survey.Audience.choices, widget=forms.RadioSelect
    )
    audience_org = forms.TypedChoiceField(
        label=_("Organisation"), coerce=int, required=False, empty_value=None
    )
    community = forms.TypedChoiceField(label=_("Community"), coerce=int, required=False, empty_value=None)
    session = forms.TypedChoiceField(label=_("Session"), coerce=int, required=False, empty_value=None)
    opens_on = BEDateField(label=_("Opens on"))
    closes_on = BEDateField(label=_("Closes on"))
    anonymous = forms.BooleanField(
        label=_("Anonymous: no answer is linked to its respondent"), required=False
    )
    one_page = forms.BooleanField(
        label=_("All sections on one page (otherwise one page per section)"), required=False
    )

    def __init__(self, *args: Any, org: Organisation, survey: Survey | None = None, **kwargs: Any) -> None:
        from platu.communities.models import Community, Session

        today = timezone.localdate()
        if survey is None:
            kwargs.setdefault("initial", {"audience": Survey.Audience.ORGANISATION, "anonymous": True, "one_page": True,
                                          "opens_on": today, "closes_on": today + dt.timedelta(days=14),
                                          "template": "", "audience_org": org.pk})  # fmt: skip
        else:
            kwargs.setdefault("initial", {
                "title": survey.title, "description": survey.description, "audience": survey.audience,
                "audience_org": survey.audience_org_id, "community": survey.community_id,
                "session": survey.session_id, "opens_on": survey.opens_on, "closes_on": survey.closes_on,
                "anonymous": survey.anonymous, "one_page": survey.one_page,
            })  # fmt: skip
        super().__init__(*args, **kwargs)
        self.org = org
        self.orgs = {o.pk: o for o in Organisation.objects.filter(path__startswith=org.path).order_by("path")}
        self.fields["audience_org"].choices = [  # type: ignore[attr-defined]
            (o.pk, ("— " * (o.path.count("/") - org.path.count("/"))) + o.name_th) for o in self.orgs.values()
        ]
        self.communities = {c.pk: c for c in Community.objects.filter(organisation__path__startswith=org.path)
                            .select_related("organisation").order_by("name")}  # fmt: skip
        self.fields["community"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (c.pk, c.name) for c in self.communities.values()
        ]
        recent = Session.objects.filter(
            community__organisation__path__startswith=org.path,
            starts_at__date__gte=today - dt.timedelta(days=120), starts_at__date__lte=today + dt.timedelta(days=30),
        ).exclude(state=Session.State.CANCELLED).select_related("community__organisation").order_by("-starts_at")[:200]  # fmt: skip
        self.sessions = {s.pk: s for s in recent}
        if survey is not None and survey.session_id and survey.session is not None:
            self.sessions.setdefault(survey.session.pk, survey.session)
        self.fields["session"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (s.pk, f"{thaidate.format_date(timezone.localtime(s.starts_at).date(), 'short')} {s.title} "
                   f"({s.community.name})") for s in self.sessions.values()
        ]  # fmt: skip
        if survey is None:
            self.fields["template"].choices = [("", _("Blank survey")), *templates_data.choices()]  # type: ignore[attr-defined]
        else:
            del self.fields["template"]
            if survey.state != Survey.State.DRAFT:  # an open survey: title, introduction, closing day
                for name in (
                    "audience",
                    "audience_org",
                    "community",
                    "session",
                    "opens_on",
                    "anonymous",
                    "one_page",
                ):
                    del self.fields[name]
        _thai_digits(org, self)
        self.style()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "audience" in self.fields:
            data["audience_org"] = self.orgs.get(data.get("audience_org") or 0)
            data["community"] = self.communities.get(data.get("community") or 0)
            data["session"] = self.sessions.get(data.get("session") or 0)
            kind = data.get("audience")
            if kind == Survey.Audience.COMMUNITY and data["community"] is None:
                self.add_error("community", _("Choose a community."))
            if kind == Survey.Audience.SESSION and data["session"] is None:
                self.add_error("session", _("Choose a session."))
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("The survey must close on or after the day it opens."))
        return data


class SectionForm(Bootstrap, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Section
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()


class QuestionForm(Bootstrap, forms.Form):
    section = forms.TypedChoiceField(label=_("Section"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=Question.Kind.choices)
    text = forms.CharField(label=_("Question"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    help_text = forms.CharField(label=_("Explanation (optional)"), max_length=500, required=False)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    options = forms.CharField(label=_("Choices, one a line (for one or several choices)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip
    number_min = forms.DecimalField(
        label=_("Smallest number (optional)"), required=False, max_digits=12, decimal_places=2
    )
    number_max = forms.DecimalField(
        label=_("Largest number (optional)"), required=False, max_digits=12, decimal_places=2
    )

    def __init__(self, *args: Any, survey: Survey, question: Question | None = None, **kwargs: Any) -> None:
        if question is not None:
            kwargs.setdefault("initial", {
                "section": question.section_id, "kind": question.kind, "text": question.text,
                "help_text": question.help_text, "required": question.required,
                "options": "\n".join(question.options or []), "number_min": question.number_min,
                "number_max": question.number_max,
            })  # fmt: skip
        else:
            kwargs.setdefault("initial", {"required": True, "kind": Question.Kind.LIKERT})
        super().__init__(*args, **kwargs)
        self.sections = {s.pk: s for s in survey.sections.order_by("order", "pk")}
        self.fields["section"].choices = [  # type: ignore[attr-defined]
            (s.pk, s.title or _("Section %(n)s") % {"n": s.order}) for s in self.sections.values()
        ]
        self.style()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["section"] = self.sections.get(data.get("section") or 0)
        data["options"] = [line.strip() for line in (data.get("options") or "").splitlines() if line.strip()]
        return data


class SettingsForm(Bootstrap, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = SurveySettings
        fields = ["min_group"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()


class ReopenForm(Bootstrap, forms.Form):
    closes_on = BEDateField(label=_("Closes on"))

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"closes_on": timezone.localdate() + dt.timedelta(days=7)})
        super().__init__(*args, **kwargs)
        _thai_digits(org, self)
        self.style()
