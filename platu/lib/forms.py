"""Form fields for what Thai users type: dates in the Buddhist Era, with either digits.

``BEDateField`` reads "1/10/2568", "1/10/68", "1 ต.ค. 68", "1 ตุลาคม 2568", "๑/๑๐/๒๕๖๘" or
"2025-10-01" and shows a date back as "1/10/2568" (in Thai digits where the organisation
uses them), so a form never shows a Gregorian date nor an empty field for a known date.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from platu.lib.thaidate import MONTHS_ABBR, MONTHS_FULL, arabic_digits, thai_digits, to_be

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


def format_be_date(value: dt.date, *, use_thai_digits: bool = False) -> str:
    """The typed form of a date: "30/11/2569" (or "๓๐/๑๑/๒๕๖๙")."""
    text = f"{value.day}/{value.month}/{to_be(value.year)}"
    return thai_digits(text) if use_thai_digits else text


class BEDateInput(forms.TextInput):
    """A text box showing a date as day/month/B.E. year (never a Gregorian date picker)."""

    def __init__(self, attrs: dict[str, Any] | None = None, *, use_thai_digits: bool = False) -> None:
        super().__init__(attrs)
        self.use_thai_digits = use_thai_digits

    def format_value(self, value: Any) -> str | None:
        if callable(value):
            value = value()
        if isinstance(value, dt.date):
            return format_be_date(value, use_thai_digits=self.use_thai_digits)
        text: str | None = super().format_value(value)
        return text


class BEDateField(forms.DateField):
    """A date typed the Thai way (day/month/B.E. year); shown back the same way."""

    widget = BEDateInput
    default_error_messages = {
        "invalid": _("This date cannot be read. Type day/month/B.E. year, for example 1/10/2568."),
    }

    def __init__(self, *, use_thai_digits: bool = False, **kwargs: Any) -> None:
        example = format_be_date(dt.date(2025, 10, 1), use_thai_digits=use_thai_digits)
        kwargs.setdefault(
            "widget",
            BEDateInput(
                attrs={"placeholder": example, "inputmode": "numeric"}, use_thai_digits=use_thai_digits
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value
        try:
            day = parse_be_date(str(value))
        except (ValueError, TypeError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not 1900 <= day.year <= 2200:  # B.E. 2443-2743: anything else is a typing slip
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return day

    def use_thai_digits(self, enabled: bool) -> None:
        """Show the value and the example in Thai digits (the organisation's choice)."""
        widget = self.widget
        if isinstance(widget, BEDateInput):
            widget.use_thai_digits = enabled
            widget.attrs["placeholder"] = format_be_date(dt.date(2025, 10, 1), use_thai_digits=enabled)
