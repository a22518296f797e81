"""The index follows the data: every save or delete of an indexed model updates it in the
same transaction, so a published item is found, and a deleted one is gone, at once."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from platu.knowledge.models import Attachment, Item
from platu.orgs.models import Membership, Organisation, Person

# Saving only these fields of an item (counters, dates, state) leaves its text unchanged.
ITEM_TEXT_FIELDS = frozenset({"title", "summary", "body", "body_text", "category", "category_id"})


def _item_saved(sender: Any, instance: Item, raw: bool = False, update_fields: Any = None, **kw: Any) -> None:
    if raw or (update_fields is not None and not ITEM_TEXT_FIELDS & set(update_fields)):
        return
    from platu.search.indexer import index_items

    index_items([instance.pk])


def _item_deleted(sender: Any, instance: Item, **kw: Any) -> None:
    from platu.search.indexer import unindex_items

    unindex_items([instance.pk])


def _tags_changed(sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kw: Any) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    from platu.search.indexer import index_items

    if not reverse:
        index_items([instance.pk])
    elif pk_set:
        index_items(pk_set)


def _attachment_saved(sender: Any, instance: Attachment, created: bool, raw: bool = False, **kw: Any) -> None:
    if raw or not created:
        return
    from platu.search.tasks import extract_attachment_text

    pk = instance.pk
    transaction.on_commit(lambda: extract_attachment_text.enqueue(pk))


def _attachment_deleted(sender: Any, instance: Attachment, **kw: Any) -> None:
    from platu.search.indexer import index_items

    if Item.objects.filter(pk=instance.item_id).exists():
        index_items([instance.item_id])


def _person_saved(sender: Any, instance: Person, raw: bool = False, **kw: Any) -> None:
    if raw:
        return
    from platu.search.indexer import index_people

    index_people([instance.pk])


def _person_deleted(sender: Any, instance: Person, **kw: Any) -> None:
    from platu.search.indexer import unindex_people

    unindex_people([instance.pk])


def _membership_changed(sender: Any, instance: Membership, raw: bool = False, **kw: Any) -> None:
    if raw:
        return
    from platu.search.indexer import index_people

    if Person.objects.filter(pk=instance.person_id).exists():
        index_people([instance.person_id])


def _organisation_saved(
    sender: Any, instance: Organisation, created: bool, raw: bool = False, **kw: Any
) -> None:
    if raw or created:
        return
    from platu.search.indexer import index_people

    index_people(Membership.objects.filter(organisation=instance).values_list("person_id", flat=True))


def connect() -> None:
    post_save.connect(_item_saved, sender=Item, dispatch_uid="search_item_saved")
    post_delete.connect(_item_deleted, sender=Item, dispatch_uid="search_item_deleted")
    m2m_changed.connect(_tags_changed, sender=Item.tags.through, dispatch_uid="search_item_tags")
    post_save.connect(_attachment_saved, sender=Attachment, dispatch_uid="search_attachment_saved")
    post_delete.connect(_attachment_deleted, sender=Attachment, dispatch_uid="search_attachment_deleted")
    post_save.connect(_person_saved, sender=Person, dispatch_uid="search_person_saved")
    post_delete.connect(_person_deleted, sender=Person, dispatch_uid="search_person_deleted")
    post_save.connect(_membership_changed, sender=Membership, dispatch_uid="search_membership_saved")
    post_delete.connect(_membership_changed, sender=Membership, dispatch_uid="search_membership_deleted")
    post_save.connect(_organisation_saved, sender=Organisation, dispatch_uid="search_org_saved")
