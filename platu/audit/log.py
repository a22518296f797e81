"""``record()``: the one way to write an audit row."""

from __future__ import annotations

from typing import Any

from django.db import models

from platu.audit.middleware import current_ip
from platu.audit.models import AuditEntry


def record(
    action: str,
    *,
    actor: Any = None,
    obj: models.Model | None = None,
    organisation: Any = None,
    data: dict[str, Any] | None = None,
    ip: str | None = None,
    actor_repr: str = "",
) -> AuditEntry:
    """Append an audit row. ``actor`` is a user (or None for the system)."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEntry.objects.create(
        actor=actor,
        actor_repr=actor_repr or (actor.get_username() if actor is not None else ""),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        organisation=organisation,
        ip=ip or current_ip.get(),
        data=data or {},
    )
