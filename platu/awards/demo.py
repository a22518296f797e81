"""Demo data of the awards module (``platu_demo``)."""

from __future__ import annotations

from typing import Any


def build(people: dict[str, Any]) -> None:
    """Filled in by the awards module."""
