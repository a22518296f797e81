"""Writing knowledge: items, revisions, autosaves, attachments, categories.

Each action checks permission, runs in one transaction and writes an audit row.
Vetting transitions are in ``workflow``; comments, votes and reports in ``engage``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from platu.audit.log import record
from platu.knowledge import access
from platu.knowledge.files import store_upload, video_embed_url
from platu.knowledge.models import Attachment, Autosave, Category, Item, ItemLink, Revision, Tag, VideoLink
from platu.knowledge.sanitize import clean_html, html_to_text
from platu.lib.errors import ActionRefused, EditConflict, InvalidAction
from platu.orgs import access as org_access
from platu.orgs.models import Organisation, Person

MAX_TAGS = 20


def _person(user: Any) -> Person:
    person = org_access.person_of(user)
    if person is None:
        raise ActionRefused(_("Your account is not linked to a person in any organisation."))
    return person


def parse_tags(value: str | Iterable[str]) -> list[str]:
    """Comma-separated (or a list) → clean, distinct tags in the order given."""
    raw = re.split(r"[,\n]", value) if isinstance(value, str) else list(value)
    tags: list[str] = []
    for tag in raw:
        tag = unicodedata.normalize("NFC", re.sub(r"\s+", " ", str(tag))).strip().lstrip("#").strip()
        if not tag:
            continue
        if len(tag) > 60:
            raise InvalidAction(
                _("A tag may have at most 60 characters: “%(tag)s”.") % {"tag": tag[:60]}, field="tags"
            )
        if tag.casefold() not in {t.casefold() for t in tags}:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise InvalidAction(_("At most %(n)s tags.") % {"n": MAX_TAGS}, field="tags")
    return tags


def _set_tags(item: Item, names: list[str]) -> None:
    tags = []
    for name in names:
        tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
        tags.append(tag)
    item.tags.set(tags)


def _snapshot_meta(item: Item, tags: list[str]) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "source": item.source,
        "level": item.level,
        "visibility": item.visibility,
        "category": item.category.name if item.category_id and item.category else "",
        "tags": tags,
    }


def _make_revision(item: Item, user: Any, message: str, tags: list[str]) -> Revision:
    item.revision_no += 1
    person = org_access.person_of(user)
    return Revision.objects.create(
        item=item,
        number=item.revision_no,
        title=item.title,
        summary=item.summary,
        body=item.body,
        meta=_snapshot_meta(item, tags),
        author=user if getattr(user, "is_authenticated", False) else None,
        author_name=person.full_name if person else getattr(user, "username", ""),
        message=message[:300],
    )


def _check_fields(org: Organisation, user: Any, fields: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "title" in fields:
        title = re.sub(r"\s+", " ", fields["title"] or "").strip()
        if not title:
            raise InvalidAction(_("Please give the item a title."), field="title")
        clean["title"] = title[:300]
    if "summary" in fields:
        clean["summary"] = (fields["summary"] or "").strip()
    if "body" in fields:
        clean["body"] = clean_html(fields["body"] or "")
    for name, choices in (
        ("kind", Item.Kind.values),
        ("source", Item.Source.values),
        ("level", Item.Level.values),
        ("visibility", Item.Visibility.values),
    ):
        if name in fields:
            if fields[name] not in choices:
                raise InvalidAction(_("Please choose a valid value."), field=name)
            clean[name] = fields[name]
    if "category" in fields:
        category = fields["category"]
        if category is not None and category.organisation_id != org.pk:
            raise InvalidAction(_("Choose a category of this organisation."), field="category")
        clean["category"] = category
    if "review_interval_months" in fields:
        months = int(fields["review_interval_months"] or 12)
        if not 1 <= months <= 60:
            raise InvalidAction(_("Review every 1 to 60 months."), field="review_interval_months")
        clean["review_interval_months"] = months
    return clean


def _set_relations(
    item: Item, user: Any, coauthors: Iterable[Person] | None, sources: Iterable[Item] | None
) -> None:
    if coauthors is not None:
        people = [p for p in coauthors if p.pk != item.owner_id]
        item.coauthors.set(people)
    if sources is not None:
        allowed = set(Item.objects.visible_to(user).values_list("pk", flat=True))
        chosen = [s for s in sources if s.pk != item.pk]
        if any(s.pk not in allowed for s in chosen):
            raise InvalidAction(_("You can only link items you can read."), field="sources")
        item.sources.set(chosen if item.level == Item.Level.CORE else [])


@transaction.atomic
def create_item(
    org: Organisation,
    *,
    acting_user: Any,
    title: str,
    kind: str = "story",
    body: str = "",
    summary: str = "",
    source: str = "tacit",
    level: str = "pocket",
    visibility: str | None = None,
    category: Category | None = None,
    tags: str | Iterable[str] = (),
    coauthors: Iterable[Person] | None = None,
    sources: Iterable[Item] | None = None,
    review_interval_months: int = 12,
    message: str = "",
) -> Item:
    person = _person(acting_user)
    if not (acting_user.is_staff or access.is_member(acting_user, org.pk)):
        raise ActionRefused(_("Only members of the organisation may write its knowledge."))
    fields = _check_fields(
        org,
        acting_user,
        {
            "title": title,
            "kind": kind,
            "body": body,
            "summary": summary,
            "source": source,
            "level": level,
            "visibility": visibility or org.default_visibility,
            "category": category,
            "review_interval_months": review_interval_months,
        },
    )
    tag_names = parse_tags(tags)
    network = org.network_path
    item = Item(organisation=org, owner=person, network_path=network, **fields)
    item.body_text = html_to_text(item.body)
    item.save()
    _set_tags(item, tag_names)
    _set_relations(item, acting_user, coauthors, sources)
    _make_revision(item, acting_user, message or _("First version"), tag_names)
    Item.objects.filter(pk=item.pk).update(revision_no=item.revision_no)
    Autosave.objects.filter(user=acting_user, item=None, organisation=org).delete()
    record("knowledge.create", actor=acting_user, obj=item, organisation=org, data={"kind": item.kind})
    return item


def _lock(item: Item, base_revision: int | None) -> Item:
    """Re-read the item under a row lock; refuse a save based on an old revision."""
    locked = (
        Item.objects.select_for_update(of=("self",))
        .filter(pk=item.pk)
        .select_related("organisation", "category")
        .first()
    )
    if locked is None:
        raise InvalidAction(_("This item no longer exists."))
    if base_revision is not None and locked.revision_no != base_revision:
        raise EditConflict(locked.revision_no)
    return locked


def require_editable(user: Any, item: Item) -> None:
    if not (access.is_author(user, item) or getattr(user, "is_staff", False)):
        raise ActionRefused(_("Only the item's authors may edit it."))
    if item.state not in Item.EDITABLE_STATES:
        if item.state in ("submitted", "in_review"):
            raise InvalidAction(
                _("The item is being reviewed and cannot be edited now. Withdraw it from review first.")
            )
        raise InvalidAction(_("An archived item cannot be edited. Take it out of the archive first."))


@transaction.atomic
def update_item(
    item: Item,
    *,
    acting_user: Any,
    base_revision: int | None,
    message: str = "",
    tags: str | Iterable[str] | None = None,
    coauthors: Iterable[Person] | None = None,
    sources: Iterable[Item] | None = None,
    audit_action: str = "knowledge.update",
    **fields: Any,
) -> Item:
    """Save an edit as a new revision. A save based on an old revision raises
    EditConflict; editing a published item sends it back to draft for vetting."""
    locked = _lock(item, base_revision)
    require_editable(acting_user, locked)
    clean = _check_fields(locked.organisation, acting_user, fields)
    for name, value in clean.items():
        setattr(locked, name, value)
    locked.body_text = html_to_text(locked.body)
    reopened = locked.state in ("approved", "published", "stale")
    if reopened:
        locked.state = Item.State.DRAFT
    tag_names = parse_tags(tags) if tags is not None else list(locked.tags.values_list("name", flat=True))
    if tags is not None:
        _set_tags(locked, tag_names)
    _set_relations(locked, acting_user, coauthors, sources)
    _make_revision(locked, acting_user, message, tag_names)
    locked.save()
    Autosave.objects.filter(user=acting_user, item=locked).delete()
    record(audit_action, actor=acting_user, obj=locked, organisation=locked.organisation,
           data={"revision": locked.revision_no})  # fmt: skip
    if reopened:
        record("knowledge.reopen", actor=acting_user, obj=locked, organisation=locked.organisation)
    item.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return item


def restore_revision(item: Item, number: int, *, acting_user: Any, base_revision: int | None) -> Item:
    revision = Revision.objects.filter(item=item, number=number).first()
    if revision is None:
        raise InvalidAction(_("That revision does not exist."))
    return update_item(
        item,
        acting_user=acting_user,
        base_revision=base_revision,
        title=revision.title,
        summary=revision.summary,
        body=revision.body,
        tags=revision.meta.get("tags"),
        message=_("Restored revision %(n)s") % {"n": number},
        audit_action="knowledge.restore",
    )


# Autosave ---------------------------------------------------------------------

AUTOSAVE_FIELDS = ("title", "summary", "body", "tags", "kind")


def autosave(
    org: Organisation, *, acting_user: Any, item: Item | None, base_revision: int, data: dict[str, Any]
) -> Autosave:
    if item is not None:
        require_editable(acting_user, item)
    elif not (acting_user.is_staff or access.is_member(acting_user, org.pk)):
        raise ActionRefused(_("Only members of the organisation may write its knowledge."))
    kept = {k: str(data.get(k, ""))[:200_000] for k in AUTOSAVE_FIELDS}
    kept["body"] = clean_html(kept["body"])
    row = Autosave.objects.filter(user=acting_user, item=item, organisation=org).first()
    if row is None:
        row = Autosave(user=acting_user, item=item, organisation=org)
    row.base_revision = base_revision
    row.data = kept
    row.save()
    return row


def pending_autosave(user: Any, org: Organisation, item: Item | None) -> Autosave | None:
    row = Autosave.objects.filter(user=user, item=item, organisation=org).first()
    if row is None or (item is not None and row.saved_at <= item.updated_at):
        return None
    return row


# Attachments and video ---------------------------------------------------------


def _require_attach(user: Any, item: Item) -> None:
    if not (access.is_author(user, item) or getattr(user, "is_staff", False)):
        raise ActionRefused(_("Only the item's authors may add or remove files."))
    if item.state in ("submitted", "in_review", "archived"):
        raise InvalidAction(
            _("Files cannot be changed while the item is in review or archived."), field="file"
        )


@transaction.atomic
def add_attachment(item: Item, upload: Any, *, acting_user: Any) -> Attachment:
    _require_attach(acting_user, item)
    attachment = store_upload(Attachment(item=item, uploaded_by=acting_user), upload)
    record("knowledge.attach", actor=acting_user, obj=item, organisation=item.organisation,
           data={"file": attachment.name, "type": attachment.content_type, "size": attachment.size})  # fmt: skip
    return attachment


@transaction.atomic
def delete_attachment(attachment: Attachment, *, acting_user: Any) -> None:
    item = attachment.item
    _require_attach(acting_user, item)
    storage, path = attachment.file.storage, attachment.file.name or ""
    attachment.delete()
    if path:
        transaction.on_commit(lambda: storage.delete(path))
    record("knowledge.detach", actor=acting_user, obj=item, organisation=item.organisation,
           data={"file": attachment.name})  # fmt: skip


@transaction.atomic
def add_video(item: Item, url: str, title: str = "", *, acting_user: Any) -> VideoLink:
    _require_attach(acting_user, item)
    url = (url or "").strip()
    if not url.startswith(("https://", "http://")) or len(url) > 500:
        raise InvalidAction(_("Give the full address of the video, starting with https://."), field="url")
    video = VideoLink.objects.create(item=item, url=url, title=title.strip()[:200])
    record("knowledge.video", actor=acting_user, obj=item, organisation=item.organisation,
           data={"url": url, "embedded": bool(video_embed_url(url))})  # fmt: skip
    return video


def link_item(item: Item, kind: str, label: str, target_id: int | None = None) -> ItemLink:
    """Used by the planning and community modules to say what an item serves."""
    if kind not in ItemLink.Kind.values:
        raise InvalidAction(_("Unknown link."))
    link, _created = ItemLink.objects.get_or_create(
        item=item, kind=kind, target_id=target_id, defaults={"label": label}
    )
    return link


# Categories --------------------------------------------------------------------


@transaction.atomic
def save_category(
    org: Organisation,
    *,
    acting_user: Any,
    name: str,
    parent: Category | None = None,
    category: Category | None = None,
) -> Category:
    org_access.require_admin(acting_user, org)
    name = re.sub(r"\s+", " ", name or "").strip()
    if not name:
        raise InvalidAction(_("Please give the category a name."), field="name")
    if len(name) > 120:
        raise InvalidAction(_("A category name may have at most 120 characters."), field="name")
    if parent is not None and parent.organisation_id != org.pk:
        raise InvalidAction(_("Choose a category of this organisation."), field="parent")
    if category is not None and parent is not None:
        node: Category | None = parent
        while node is not None:
            if node.pk == category.pk:
                raise InvalidAction(_("A category cannot be placed inside itself."), field="parent")
            node = node.parent
    duplicate = Category.objects.filter(organisation=org, parent=parent, name__iexact=name)
    if category is not None:
        duplicate = duplicate.exclude(pk=category.pk)
    if duplicate.exists():
        raise InvalidAction(_("There is already a category with this name here."), field="name")
    if category is None:
        category = Category(organisation=org)
    category.name = name[:120]
    category.parent = parent
    category.save()
    record(
        "knowledge.categories",
        actor=acting_user,
        obj=category,
        organisation=org,
        data={"name": category.name},
    )
    return category


@transaction.atomic
def delete_category(category: Category, *, acting_user: Any) -> None:
    org_access.require_admin(acting_user, category.organisation)
    record("knowledge.categories", actor=acting_user, obj=category, organisation=category.organisation,
           data={"deleted": category.name})  # fmt: skip
    category.delete()


def category_tree(org: Organisation) -> list[tuple[Category, int]]:
    """(category, depth) in display order."""
    rows = list(Category.objects.filter(organisation=org))
    children: dict[int | None, list[Category]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    out: list[tuple[Category, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for node in children.get(parent, []):
            out.append((node, depth))
            walk(node.pk, depth + 1)

    walk(None, 0)
    return out


def category_and_descendants(category: Category) -> list[int]:
    tree = category_tree(category.organisation)
    ids, depth_of = [], None
    for node, depth in tree:
        if node.pk == category.pk:
            ids.append(node.pk)
            depth_of = depth
        elif depth_of is not None:
            if depth <= depth_of:
                break
            ids.append(node.pk)
    return ids
