from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from platu.line.kinds import choices
from platu.line.models import BOT_PROMPTS
from platu.orgs.forms import BootstrapMixin

WAYS = ("in_app", "email", "line")


class ChannelForm(BootstrapMixin, forms.Form):
    # Never filled in again: what was saved is not shown (render_value=False).
    secret = forms.CharField(label=_("Channel secret"), max_length=200,
                             widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}))  # fmt: skip
    token = forms.CharField(label=_("Channel access token (long-lived)"), max_length=1000,
                            widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}))  # fmt: skip


class PreferencesForm(forms.Form):
    daily = forms.BooleanField(label=_("Send my LINE messages once a day, together"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in choices():
            for way in WAYS:
                self.fields[f"{kind}-{way}"] = forms.BooleanField(label=f"{label}: {way}", required=False)

    def rows(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(label, [self[f"{kind}-{way}"] for way in WAYS]) for kind, label in choices()]

    def ways(self) -> dict[str, dict[str, bool]]:
        return {
            kind: {way: bool(self.cleaned_data[f"{kind}-{way}"]) for way in WAYS} for kind, _l in choices()
        }


class LoginChannelForm(BootstrapMixin, forms.Form):
    channel_id = forms.CharField(label=_("LINE Login channel ID"), max_length=20,
                                 widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))  # fmt: skip
    # Never filled in again, as the Messaging API's secret.
    secret = forms.CharField(label=_("LINE Login channel secret"), max_length=200,
                             widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}))  # fmt: skip
    bot_prompt = forms.ChoiceField(label=_("offer to add the LINE account as a friend"), choices=BOT_PROMPTS)
