"""Forms of government sign-in's administrator pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from platu.accounts import policy
from platu.accounts.models import User
from platu.orgs.models import Person


class BootstrapMixin:
    """Bootstrap's classes on the widgets (as platu/orgs/forms.py; that module is not typed strictly)."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


OWN = "own"
INHERIT = "inherit"


class PolicyForm(BootstrapMixin, forms.Form):
    mode = forms.ChoiceField(
        label=_("Rule"),
        choices=[
            (INHERIT, _("Follow the parent office (or allow every way)")),
            (OWN, _("This organisation's own rule")),
        ],
        widget=forms.RadioSelect,
    )
    methods = forms.MultipleChoiceField(
        label=_("Members may sign in with"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["methods"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = list(policy.all_methods().items())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("mode") == OWN and not data.get("methods"):
            self.add_error("methods", _("Allow at least one way of signing in."))
        return data


class MemberChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        person = Person.objects.filter(user=obj).first()
        name = person.full_name if person else obj.get_full_name()
        return f"{name} ({obj.email or obj.get_username()})"


class ConfirmForm(BootstrapMixin, forms.Form):
    user = MemberChoiceField(label=_("The member's account"), queryset=User.objects.none())

    def __init__(self, *args: Any, accounts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = accounts


class ReferenceForm(BootstrapMixin, forms.Form):
    reference = forms.CharField(label=_("Reference code"), max_length=20)

    def clean_reference(self) -> str:
        return "".join(c for c in self.cleaned_data["reference"].upper() if c.isalnum())
