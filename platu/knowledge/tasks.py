"""Background work of the knowledge repository."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_tasks import task

from platu.knowledge.extract import extract_text
from platu.knowledge.models import Attachment
from platu.search import pending


@task()
def extract_attachment_text(attachment_id: int) -> int:
    """Read the attachment's text, keep it, and re-index its item. Returns characters read."""
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None:
        return 0
    try:
        with attachment.file.open("rb") as stream:
            text = extract_text(stream, attachment.content_type)
    except OSError:
        text = ""
    Attachment.objects.filter(pk=attachment.pk).update(text=text, text_extracted=True)
    pending.note("items", [attachment.item_id])
    return len(text)


def attachment_saved(sender: Any, instance: Attachment, created: bool, raw: bool = False, **kw: Any) -> None:
    """A new attachment's text is read by the background worker once it is committed."""
    if raw or not created:
        return
    pk = instance.pk
    transaction.on_commit(lambda: extract_attachment_text.enqueue(pk))


@task()
def write_views(batch: list[list[Any]]) -> int:
    """Views buffered by a web worker: stored once per viewer per item per day."""
    from platu.knowledge import counter

    return counter.write((int(i), str(d), str(v), str(c)) for i, d, v, c in batch)
