"""System checks: a badly declared index is reported when Django starts (`manage.py check`)."""

from __future__ import annotations

from typing import Any

from django.core import checks

from platu.search import registry


@checks.register("search")
def check_indexes(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return [
        checks.Error(f"Search index {key!r}: {problem}.", id="platu.search.E001", obj=key)
        for key, problem in registry.problems()
    ]
