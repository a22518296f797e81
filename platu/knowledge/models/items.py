"""Knowledge items, their revisions, files and taxonomy."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    """The organisation's taxonomy: a small tree the KM team edits."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="categories")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "name", "pk"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "parent", "name"], name="category_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


REACH_INDEX = "knowledge_item_reach"


class ItemQuerySet(models.QuerySet["Item"]):
    def visible_to(self, user: Any) -> ItemQuerySet:
        from platu.knowledge.access import visible_items_q

        return self.filter(visible_items_q(user))

    def live(self) -> ItemQuerySet:
        return self.filter(state__in=Item.LIVE_STATES)


class Item(models.Model):
    class Kind(models.TextChoices):
        STORY = "story", _("Story")
        AAR = "aar", _("After action review (AAR)")
        LESSON = "lesson", _("Lesson learned")
        BEST_PRACTICE = "best_practice", _("Best practice")
        MANUAL = "manual", _("Work manual")
        ARTICLE = "article", _("Article")

    class Source(models.TextChoices):
        TACIT = "tacit", _("Tacit (from experience)")
        EXPLICIT = "explicit", _("Explicit (documented)")

    class Level(models.TextChoices):
        POCKET = "pocket", _("Knowledge pocket")
        CORE = "core", _("Core knowledge")

    class Visibility(models.TextChoices):
        PRIVATE = "private", _("Private: authors only")
        ORGANISATION = "organisation", _("Organisation: members and supervising offices")
        NETWORK = "network", _("Network: parent and sibling organisations")
        PUBLIC = "public", _("Public: anyone, without logging in")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        IN_REVIEW = "in_review", _("In review")
        NEEDS_CHANGES = "needs_changes", _("Needs changes")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")
        STALE = "stale", _("Review due")
        ARCHIVED = "archived", _("Archived")

    LIVE_STATES = ("published", "stale")
    # The covering index a search reads instead of its matches' rows (search.backends.narrow).
    SEARCH_INDEX = REACH_INDEX
    REVIEW_STATES = ("submitted", "in_review", "needs_changes", "approved", "stale")
    EDITABLE_STATES = ("draft", "needs_changes", "approved", "published", "stale")

    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="knowledge_items",
    )
    # The organisation's parent's path (its own when it has no parent): network reach.
    network_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.STORY)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.TACIT)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.POCKET)
    visibility = models.CharField(
        _("who may read it"), max_length=20, choices=Visibility.choices, default=Visibility.ORGANISATION
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("content"), blank=True)  # sanitised HTML
    body_text = models.TextField(blank=True, editable=False)  # plain text of body
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="items")
    owner = models.ForeignKey(
        "orgs.Person", verbose_name=_("owner"), on_delete=models.PROTECT, related_name="owned_items"
    )
    coauthors = models.ManyToManyField(
        "orgs.Person", verbose_name=_("co-authors"), blank=True, related_name="coauthored_items"
    )
    # Core knowledge links to the pockets it was distilled from.
    sources = models.ManyToManyField(
        "self",
        verbose_name=_("distilled from"),
        symmetrical=False,
        blank=True,
        related_name="distilled_into",
    )
    review_interval_months = models.PositiveSmallIntegerField(_("review every (months)"), default=12)
    review_round = models.PositiveIntegerField(default=0, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    review_due = models.DateField(null=True, blank=True, editable=False, db_index=True)
    # Number of the latest revision: the optimistic lock of the editor.
    revision_no = models.PositiveIntegerField(default=0, editable=False)
    useful_count = models.PositiveIntegerField(default=0, editable=False)
    applied_count = models.PositiveIntegerField(default=0, editable=False)
    view_count = models.PositiveIntegerField(default=0, editable=False)
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    external_id = models.CharField(max_length=200, blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("knowledge item")
        verbose_name_plural = _("knowledge items")
        indexes = [
            models.Index(fields=["organisation", "state"]),
            models.Index(fields=["state", "visibility"]),
            # What a search reads of each of its matches (visibility, filters, date), narrow enough
            # to stay in memory: the table's own rows are about one page each, as they hold the
            # text. SQLite is pointed at it by the search backend (`narrow`). The date comes second
            # so that a match is one seek on its id (with the state second, SQLite seeks once for
            # each live state).
            models.Index(
                fields=[
                    "id",
                    "published_at",
                    "state",
                    "visibility",
                    "organisation",
                    "owner",
                    "network_path",
                    "kind",
                    "category",
                ],
                name=REACH_INDEX,
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:item", args=[self.pk])

    @property
    def is_live(self) -> bool:
        return self.state in self.LIVE_STATES


class ItemLink(models.Model):
    """What an item serves: a community, a session, a KPI, a needed knowledge. Those
    modules arrive later; the link holds their id and a label until then."""

    class Kind(models.TextChoices):
        COMMUNITY = "community", _("Community of practice")
        SESSION = "session", _("Community session")
        KPI = "kpi", _("KPI")
        NEEDED_KNOWLEDGE = "needed_knowledge", _("Needed knowledge")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    label = models.CharField(_("label"), max_length=300)

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["kind", "label", "pk"]
        indexes = [models.Index(fields=["kind", "target_id"])]

    def __str__(self) -> str:
        return self.label


class ImmutableError(Exception):
    pass


class Revision(models.Model):
    """An immutable snapshot of an item made by every save."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    meta = models.JSONField(default=dict, blank=True)  # type, tags, category… at that time
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=300, blank=True)
    message = models.CharField(_("what changed"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="revision_unique_number")]

    def __str__(self) -> str:
        return f"{self.item_id} r{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableError("revisions are immutable")
        super().save(*args, **kwargs)


class Autosave(models.Model):
    """What a user typed and has not saved yet: one per user and item (item empty
    for a new item). Never a revision."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    base_revision = models.PositiveIntegerField(default=0)
    data = models.JSONField(default=dict)
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("autosaved draft")
        verbose_name_plural = _("autosaved drafts")
        indexes = [models.Index(fields=["user", "item"])]

    def __str__(self) -> str:
        return f"autosave {self.user_id}/{self.item_id}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # Random names only: nothing of the uploaded name reaches the file system.
    return f"knowledge/{instance.uid.hex[:2]}/{instance.uid.hex}"


class Attachment(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="attachments")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Filled by the search module's background task, for the index (capped).
    text = models.TextField(blank=True, editable=False)
    text_extracted = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("knowledge:download", args=[self.uid])

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class VideoLink(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="videos")
    url = models.URLField(_("video address"), max_length=500)
    title = models.CharField(_("title"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("video link")
        verbose_name_plural = _("video links")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title or self.url

    @property
    def embed_url(self) -> str:
        from platu.knowledge.files import video_embed_url

        return video_embed_url(self.url)
