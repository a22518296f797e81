"""Building a person's data download in the background."""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from platu.privacy import export
from platu.privacy.models import DataExport, PrivacySettings

logger = logging.getLogger(__name__)


@task()
def build_export(export_id: int) -> str:
    row = DataExport.objects.filter(pk=export_id).select_related("user").first()
    if row is None or row.state != DataExport.State.PENDING:
        return "gone"
    try:
        path, size = export.build(row.user, row.pk)
    except Exception:  # the page says it failed; the person may ask again
        logger.exception("Privacy export %s failed", export_id)
        DataExport.objects.filter(pk=row.pk).update(state=DataExport.State.FAILED)
        return "failed"
    now = timezone.now()
    DataExport.objects.filter(pk=row.pk).update(
        state=DataExport.State.READY,
        path=path.name,
        size=size,
        ready_at=now,
        expires_at=export.expiry(PrivacySettings.get().export_retention_days),
    )
    return f"{size} bytes"
