"""Rendering a plan document in the background (the booklet), with its progress recorded."""

from __future__ import annotations

import time

from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks import task

from platu.exports.models import Export


@task()
def render_plan_document(export_id: int, plan_id: int, document: str, fmt: str) -> str:
    from platu.exports import docx, pdf, xlsx
    from platu.planning import documents
    from platu.planning.models import Plan

    export = Export.objects.filter(pk=export_id).first()
    plan = Plan.objects.filter(pk=plan_id).select_related("organisation").first()
    if export is None or plan is None:
        return "gone"
    started = time.perf_counter()
    Export.objects.filter(pk=export.pk).update(status=Export.Status.RUNNING, progress=10)
    try:
        doc = documents.build(plan, document)
        Export.objects.filter(pk=export.pk).update(progress=40)
        data = {"pdf": pdf.render, "docx": docx.render, "xlsx": xlsx.render}[fmt](doc)
        Export.objects.filter(pk=export.pk).update(progress=90)
        export.file.save(export.filename, ContentFile(data), save=False)
    except Exception as exc:  # the page shows the failure; the worker keeps running
        Export.objects.filter(pk=export.pk).update(
            status=Export.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        raise
    Export.objects.filter(pk=export.pk).update(
        file=export.file.name,
        status=Export.Status.DONE,
        progress=100,
        seconds=time.perf_counter() - started,
        finished_at=timezone.now(),
    )
    return export.file.name
