"""Every model that refers to a person must say, in its app's `privacy.py`, what it keeps and what
erasure does with it, so a new module cannot forget."""

from __future__ import annotations

from typing import Any

from django.core import checks


@checks.register()
def personal_data_declared(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from platu.privacy import registry

    return [
        checks.Error(
            f"{problem} refers to a person but is not declared in its app's privacy.py",
            hint="Declare it with platu.privacy.registry.register(PersonalData(...)).",
            id="privacy.E001",
        )
        for problem in registry.undeclared()
    ]
