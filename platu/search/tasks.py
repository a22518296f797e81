"""Background work of the search module."""

from __future__ import annotations

from django_tasks import task

from platu.knowledge.models import Attachment
from platu.search.extract import extract_text
from platu.search.indexer import index_items, reindex_all


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
    index_items([attachment.item_id])
    return len(text)


@task()
def rebuild_index() -> dict[str, object]:
    return reindex_all()
