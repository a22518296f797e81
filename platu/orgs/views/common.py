"""Helpers shared by the organisation, people and team views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.forms import Form
from django.utils.translation import gettext as _

from platu.lib.errors import EditConflict, InvalidAction


def _conflict_text() -> str:
    return _(
        "Someone else saved changes while you were editing. Their version is shown below; "
        "your changes are still in the form. Check them and save again to keep yours."
    )


def apply_action(form: Form, run: Callable[[], Any]) -> tuple[Any, bool]:
    """Run an action for a valid form; put its refusals on the form. Returns (result, conflict)."""
    try:
        return run(), False
    except InvalidAction as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    except EditConflict as exc:
        form.add_error(None, _conflict_text())
        data = form.data.copy()
        data["version"] = str(exc.current_version)
        form.data = data
        return None, True
    return None, False


def saved_values(form: Form, obj: Any) -> list[tuple[str, str]]:
    """(label, saved value) for each visible field, to show beside a conflicting edit."""
    rows = []
    for field in form.visible_fields():
        name = field.name
        display = getattr(obj, f"get_{name}_display", None)
        value = display() if callable(display) else getattr(obj, name, "")
        if isinstance(value, bool):
            value = _("yes") if value else _("no")
        rows.append((str(field.label), str(value or "")))
    return rows
