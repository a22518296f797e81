"""The Form 2 knowledge-item picker: the linked items as ticked boxes, and a search box that
offers more of what the user may see (never a capped list that saving would reject)."""

from __future__ import annotations

from typing import Any

from django import forms

from platu.lib.ids import MAX_ID, parse_int


class ItemPicker(forms.CheckboxSelectMultiple):
    template_name = "planning/widgets/item_picker.html"

    def __init__(self, *args: Any, pick_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pick_url = pick_url

    def optgroups(self, name: str, value: Any, attrs: dict[str, Any] | None = None) -> list[Any]:
        """Only the chosen items are rendered: the full choice list is whatever the user may see."""
        ids = [n for n in (parse_int(v, maximum=MAX_ID) for v in value or ()) if n is not None]
        queryset = self.choices.queryset.filter(pk__in=ids).order_by("title")  # type: ignore[attr-defined]
        options = [
            self.create_option(name, str(item.pk), item.title, True, index, attrs=attrs)
            for index, item in enumerate(queryset)
        ]
        return [(None, options, 0)]

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> Any:
        # The project's template engine (the form renderer's own sees only app templates).
        from django.template.loader import render_to_string
        from django.utils.safestring import mark_safe

        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["pick_url"] = self.pick_url
        return context
