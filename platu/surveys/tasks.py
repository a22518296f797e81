"""Writing a large survey's responses as XLSX in the background, with its progress recorded."""

from __future__ import annotations

import time

from django.core.files import File
from django.utils import timezone
from django_tasks import task

from platu.exports.models import Export


@task()
def export_responses(export_id: int, survey_id: int) -> str:
    from platu.surveys.export import write
    from platu.surveys.models import Survey

    export = Export.objects.filter(pk=export_id).first()
    survey = Survey.objects.filter(pk=survey_id).select_related("organisation").first()
    if export is None or survey is None:
        return "gone"
    started = time.perf_counter()
    Export.objects.filter(pk=export.pk).update(status=Export.Status.RUNNING, progress=10)
    try:
        with write(survey) as data:
            export.file.save(export.filename, File(data), save=False)
    except Exception as exc:  # the page shows the failure; the worker keeps running
        Export.objects.filter(pk=export.pk).update(
            status=Export.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        raise
    Export.objects.filter(pk=export.pk).update(
        file=export.file.name, status=Export.Status.DONE, progress=100,
        seconds=time.perf_counter() - started, finished_at=timezone.now(),
    )  # fmt: skip
    return export.file.name or ""
