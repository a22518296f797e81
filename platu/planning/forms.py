"""Form fields that read what Thai offices type: B.E. dates, baht amounts with commas, Thai
digits."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from platu.lib.thaidate import MONTHS_ABBR, MONTHS_FULL, arabic_digits, to_be

_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_WORD_DATE = re.compile(r"^\s*(\d{1,2})\s+(\S+)\s+(?:พ\.?\s*ศ\.?\s*)?(\d{2}|\d{4})\s*$")


def _year_ce(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2500
    return year - 543 if year > 2400 else year


def parse_be_date(text: str) -> dt.date:
    """ "1/10/2568", "1/10/68", "1 ต.ค. 68", "1 ตุลาคม 2568", "2025-10-01" → 1 October 2025.
    A year above 2400 is B.E.; two digits are the short B.E. year."""
    value = arabic_digits(text).strip()
    day = month = year = None
    if m := _NUMERIC_DATE.match(value):
        day, month, year = int(m[1]), int(m[2]), _year_ce(m[3])
    elif m := _ISO_DATE.match(value):
        year, month, day = _year_ce(m[1]), int(m[2]), int(m[3])
    elif m := _WORD_DATE.match(value):
        name = m[2].replace(" ", "")
        names = [n.replace(" ", "") for n in MONTHS_ABBR], list(MONTHS_FULL)
        for options in names:
            if name in options:
                month = options.index(name) + 1
        if month is None and name.rstrip(".") + "." in names[0]:
            month = names[0].index(name.rstrip(".") + ".") + 1
        day, year = int(m[1]), _year_ce(m[3])
    if day is None or month is None or year is None:
        raise ValueError(text)
    return dt.date(year, month, day)


class BEDateInput(forms.TextInput):
    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.date):
            return f"{value.day}/{value.month}/{to_be(value.year)}"
        text: str | None = super().format_value(value)
        return text


class BEDateField(forms.DateField):
    """A date typed the Thai way (day/month/B.E. year); shown back the same way."""

    widget = BEDateInput
    default_error_messages = {
        "invalid": _("วันที่ไม่ถูกต้อง — type day/month/B.E. year, e.g. 1/10/2568 (invalid date)."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", BEDateInput(attrs={"placeholder": "1/10/2568", "inputmode": "numeric"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return parse_be_date(str(value))
        except (ValueError, TypeError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class BahtField(forms.DecimalField):
    """Baht, with or without thousands separators or Thai digits: "12,500", "๑๒๕๐๐.๕๐"."""

    default_error_messages = {
        "invalid": _("จำนวนเงินไม่ถูกต้อง — type a number of baht, e.g. 12,500 (invalid amount)."),
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
