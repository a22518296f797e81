"""What the home page says needs me: each module contributes panels from its own `home.py`
(as search indexes come from `search.py`), so the shell imports no domain app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass
class Entry:
    text: str
    url: str
    note: str = ""  # a state, a date, an organisation: shown beside the text
    when: Any = None  # a date or datetime, shown as a Thai B.E. date


@dataclass
class Panel:
    key: str
    title: str
    entries: list[Entry] = field(default_factory=list)
    order: int = 50
    more_url: str = ""
    more_label: str = ""
    urgent: bool = False  # something waits for the user's own step


Provider = Callable[[HttpRequest], list[Panel]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def panels(request: HttpRequest) -> list[Panel]:
    """Every module's non-empty panels for the user: what waits for their step first."""
    found = [p for provider in _providers for p in provider(request) if p.entries]
    return sorted(found, key=lambda p: (not p.urgent, p.order))
