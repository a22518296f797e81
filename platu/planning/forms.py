"""Form fields that read what Thai offices type: B.E. dates, baht amounts with commas, Thai
digits."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

# Moved to platu.lib.forms (knowledge uses them too); re-exported for planning's imports.
from platu.lib.forms import BEDateField, BEDateInput, parse_be_date  # noqa: F401
from platu.lib.thaidate import arabic_digits


class BahtField(forms.DecimalField):
    """Baht, with or without thousands separators or Thai digits: "12,500", "๑๒๕๐๐.๕๐"."""

    default_error_messages = {
        "invalid": _("Invalid amount: type a number of baht, e.g. 12,500."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = arabic_digits(value).replace(",", "").replace("บาท", "").strip()
            if value:
                try:
                    Decimal(value)
                except InvalidOperation:
                    raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        result: Decimal | None = super().to_python(value)
        return result

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return f"{value:,.2f}".removesuffix(".00")
        return value
