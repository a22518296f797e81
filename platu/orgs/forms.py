from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from platu.orgs.models import KMRole, Organisation, Person, Role, Team, TeamRole

TITLE_SUGGESTIONS = ["นาย", "นาง", "นางสาว", "ดร.", "ว่าที่ร้อยตรี", "ผศ.ดร.", "Mr.", "Ms."]


class BootstrapMixin:
    """Bootstrap classes on every widget, so templates render fields plainly."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


class VersionedForm(BootstrapMixin, forms.Form):
    """Carries the version the user started from, to detect concurrent edits."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RolesForm(VersionedForm):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    km_roles = forms.MultipleChoiceField(
        label=_("KM roles"),
        choices=KMRole.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("roles"):
            data["roles"] = [Role.MEMBER]
        return data


class AddMemberForm(RolesForm):
    person = forms.ModelChoiceField(
        label=_("Person"), queryset=Person.objects.none(), empty_label=_("— choose a person —")
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]


class InviteMemberForm(RolesForm):
    title = forms.CharField(label=_("Title"), max_length=60, required=False)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    position = forms.CharField(label=_("Position"), max_length=255, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs["list"] = "title-suggestions"


class PersonForm(VersionedForm, forms.ModelForm):  # type: ignore[misc,type-arg]
    class Meta:
        model = Person
        fields = ["title", "first_name", "last_name", "position", "phone", "email", "expertise"]
        widgets = {
            "title": forms.TextInput(attrs={"list": "title-suggestions"}),
            "expertise": forms.Textarea(attrs={"rows": 3}),
        }


class OrganisationForm(VersionedForm, forms.ModelForm):  # type: ignore[misc,type-arg]
    class Meta:
        model = Organisation
        fields = ["name_th", "name_en", "kind", "thai_digits", "default_visibility", "review_quorum", "logo"]

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if logo and getattr(logo, "size", 0) > settings.PLATU_LOGO_MAX_BYTES:
            raise forms.ValidationError(
                _("The logo is too large (at most %(size)s MB).")
                % {"size": settings.PLATU_LOGO_MAX_BYTES // (1024 * 1024)}
            )
        return logo


class TeamForm(VersionedForm, forms.ModelForm):  # type: ignore[misc,type-arg]
    class Meta:
        model = Team
        fields = ["kind", "name", "strategic_issue", "goal", "needed_knowledge", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class TeamMemberForm(BootstrapMixin, forms.Form):
    person = forms.ModelChoiceField(
        label=_("Person"), queryset=Person.objects.none(), empty_label=_("— choose a person —")
    )
    role = forms.ChoiceField(label=_("Role in the team"), choices=TeamRole.choices, initial=TeamRole.MEMBER)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]


class TeamRoleForm(BootstrapMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role in the team"), choices=TeamRole.choices)
