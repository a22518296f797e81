"""A person's download: ``data.json`` (every declared row tied to them) and their files, zipped into
a private directory (never under MEDIA_ROOT), deleted when it expires."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from platu.privacy import engine, labels, registry
from platu.privacy.engine import Subject


def private_dir() -> Path:
    root = getattr(settings, "PLATU_PRIVACY_DIR", None) or Path(settings.DATA_DIR) / "private" / "privacy"
    path = Path(root)
    path.mkdir(parents=True, exist_ok=True)
    return path


def collect(user: Any) -> tuple[dict[str, Any], list[tuple[str, Any]]]:
    """(the data, [(name in the ZIP, field file)])."""
    subject = Subject.of(user)
    data: dict[str, Any] = {"generated_at": timezone.now(), "user_id": user.pk, "tables": {}}
    files: list[tuple[str, Any]] = []
    for item in registry.declarations():
        if not item.export:
            continue
        model = item.get_model()
        found = list(engine.export_rows(item, subject))
        if not found:
            continue
        data["tables"][model._meta.label] = {
            "name": labels.model_label(model),
            "purpose": str(item.purpose),
            "rows": found,
        }
        for name in item.files:
            for obj in engine.rows(item, subject).order_by("pk"):
                field_file = getattr(obj, name)
                if field_file:
                    base = Path(field_file.name).name
                    files.append((f"files/{model._meta.label_lower}/{obj.pk}-{base}", field_file))
    if subject.person is not None:  # audit rows about them, written by others
        from platu.audit.models import AuditEntry

        about = AuditEntry.objects.filter(
            object_type="orgs.person", object_id=str(subject.person.pk)
        ).exclude(actor=user)
        data["audit_about_you"] = list(
            about.order_by("pk").values("at", "action", "actor_repr", "object_repr", "data")
        )
    return data, files


def build(user: Any, export_id: int) -> tuple[Path, int]:
    data, files = collect(user)
    target = private_dir() / f"export-{export_id}-{timezone.now():%Y%m%d%H%M%S}.zip"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1, default=str)
        )
        for name, field_file in files:
            try:
                with field_file.open("rb") as handle:
                    archive.writestr(name, handle.read())
            except OSError:  # a file gone from storage: say so rather than fail the download
                archive.writestr(name + ".missing.txt", "")
    return target, target.stat().st_size


def expiry(days: int) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=max(days, 1))


def remove(path: str) -> None:
    if path:
        (private_dir() / Path(path).name).unlink(missing_ok=True)
