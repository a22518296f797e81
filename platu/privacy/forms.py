from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from platu.lib.forms import BEDateField
from platu.orgs.forms import BootstrapMixin
from platu.privacy.models import Breach, PrivacySettings


class NoticeForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("Notice title"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 16}), max_length=50000,
        help_text=_("Plain text; a blank line starts a new paragraph."),
    )  # fmt: skip


class ErasureForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Why (optional)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                             required=False)  # fmt: skip
    confirm = forms.BooleanField(
        label=_("I understand that my account will be closed and cannot be restored.")
    )


class DecisionForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                           required=False)  # fmt: skip


class SettingsForm(BootstrapMixin, forms.ModelForm[PrivacySettings]):
    audit_retention_days = forms.IntegerField(
        label=_("keep audit rows for (days)"), min_value=0, max_value=36500,
        help_text=_("Government records are usually kept at least 5 years; 0 keeps them for ever."),
    )  # fmt: skip
    export_retention_days = forms.IntegerField(
        label=_("keep data downloads for (days)"), min_value=1, max_value=365
    )

    class Meta:
        model = PrivacySettings
        fields = ["audit_retention_days", "export_retention_days", "controller", "controller_contact", "dpo",
                  "dpo_contact", "security"]  # fmt: skip
        widgets = {
            "controller_contact": forms.Textarea(attrs={"rows": 3}),
            "security": forms.Textarea(attrs={"rows": 4}),
        }


def _when(date: dt.date | None, time: dt.time | None) -> dt.datetime | None:
    if date is None:
        return None
    return timezone.make_aware(dt.datetime.combine(date, time or dt.time(0, 0)))


class BreachForm(BootstrapMixin, forms.Form):
    """Dates in the Buddhist Era (as every Platu form), each with a time (24-hour clock)."""

    discovered_on = BEDateField(label=_("Discovered on"))
    discovered_time = forms.TimeField(
        label=_("at (time)"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    description = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    data_affected = forms.CharField(label=_("Data affected"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000,
                                    required=False)  # fmt: skip
    people_affected = forms.IntegerField(
        label=_("People affected (estimate)"), min_value=0, max_value=100_000_000, initial=0
    )
    risk = forms.ChoiceField(label=_("Risk"), choices=Breach.Risk.choices, initial=Breach.Risk.MEDIUM)
    pdpc_on = BEDateField(label=_("PDPC notified on"), required=False)
    pdpc_time = forms.TimeField(
        label=_("at (time)"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    people_on = BEDateField(label=_("People notified on"), required=False)
    people_time = forms.TimeField(
        label=_("at (time)"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    actions = forms.CharField(label=_("Actions taken"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                              required=False)  # fmt: skip
    closed = forms.BooleanField(label=_("Closed"), required=False)

    @classmethod
    def initial_of(cls, breach: Breach) -> dict[str, Any]:
        def split(value: dt.datetime | None) -> tuple[dt.date | None, dt.time | None]:
            if value is None:
                return None, None
            local = timezone.localtime(value)
            return local.date(), local.time().replace(second=0, microsecond=0)

        d, t = split(breach.discovered_at)
        p, pt = split(breach.pdpc_notified_at)
        n, nt = split(breach.people_notified_at)
        return {"discovered_on": d, "discovered_time": t, "description": breach.description,
                "data_affected": breach.data_affected, "people_affected": breach.people_affected, "risk": breach.risk,
                "pdpc_on": p, "pdpc_time": pt, "people_on": n, "people_time": nt, "actions": breach.actions,
                "closed": breach.closed}  # fmt: skip

    def values(self) -> dict[str, Any]:
        c = self.cleaned_data
        return {
            "discovered_at": _when(c["discovered_on"], c["discovered_time"]),
            "description": c["description"], "data_affected": c["data_affected"],
            "people_affected": c["people_affected"], "risk": c["risk"],
            "pdpc_notified_at": _when(c["pdpc_on"], c["pdpc_time"]),
            "people_notified_at": _when(c["people_on"], c["people_time"]),
            "actions": c["actions"], "closed": c["closed"],
        }  # fmt: skip
