"""Errors raised by actions; views turn them into messages for the user."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


class ActionRefused(PermissionDenied):
    """The acting user may not do this. The message is shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidAction(ValueError):
    """The request cannot be carried out as asked. The message is shown to the user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class EditConflict(Exception):
    """The object changed since the form was loaded (optimistic locking)."""

    def __init__(self, current_version: int) -> None:
        super().__init__(f"edit conflict: now at version {current_version}")
        self.current_version = current_version
