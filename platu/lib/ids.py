"""Numbers a client sends for ids and revisions: read strictly, so that "abc", "²" or a
25-digit number is a message for the user instead of a ValueError, an OverflowError or a
database error (HTTP 500)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

MAX_ID = 2**63 - 1  # a BigAutoField's largest value
MAX_NUMBER = 2**31 - 1  # an IntegerField's, the smallest of the supported databases


def parse_int(value: object, *, maximum: int = MAX_NUMBER) -> int | None:
    """A whole number from 0 to `maximum` written in ASCII digits, or None."""
    text = str(value if value is not None else "").strip()
    if not text or not (text.isascii() and text.isdigit()) or len(text) > len(str(maximum)):
        return None
    number = int(text)
    return number if number <= maximum else None


class IdsChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Refuses ids that are not numbers a database can compare before they reach the query
    (Django builds ``pk__in`` from them, which SQLite and PostgreSQL reject beyond 64 bits)."""

    def clean(self, value: Any) -> Any:
        if isinstance(value, list | tuple) and (self.to_field_name or "pk") == "pk":
            for pk in value:
                if parse_int(pk, maximum=MAX_ID) is None:
                    shown = str(pk)
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": shown if len(shown) <= 30 else shown[:30] + "…"},
                    )
        return super().clean(value)
