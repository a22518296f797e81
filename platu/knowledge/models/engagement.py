"""Review votes, comments, "useful" votes, applied reports and view counts."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from platu.knowledge.models.items import Item


class ReviewVote(models.Model):
    class Vote(models.TextChoices):
        APPROVE = "approve", _("Approve")
        NEEDS_CHANGES = "needs_changes", _("Needs changes")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="votes")
    round = models.PositiveIntegerField()
    reviewer = models.ForeignKey("orgs.Person", on_delete=models.CASCADE, related_name="review_votes")
    vote = models.CharField(_("vote"), max_length=20, choices=Vote.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("review vote")
        verbose_name_plural = _("review votes")
        ordering = ["round", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "round", "reviewer"], name="vote_once_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id}: {self.vote}"


class Comment(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=300)
    body = models.TextField(_("comment"))
    # A review comment on a passage quotes it.
    quote = models.TextField(_("passage"), blank=True)
    # Review comments are seen by authors and reviewers only.
    is_review = models.BooleanField(default=False)
    review_round = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]


class UsefulVote(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="useful_votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _('"useful" vote')
        verbose_name_plural = _('"useful" votes')
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="useful_once")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.item_id}"


def evidence_path(instance: AppliedReport, filename: str) -> str:
    uid = uuid.uuid4().hex
    return f"evidence/{uid[:2]}/{uid}"


class AppliedReport(models.Model):
    """ "I applied this": evidence that knowledge is used (kept for evaluation)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="applied_reports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    person = models.ForeignKey(
        "orgs.Person", null=True, on_delete=models.SET_NULL, related_name="applied_reports"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reporter_name = models.CharField(max_length=300)
    applied_on = models.DateField(_("when"))
    where = models.CharField(_("where"), max_length=300)
    outcome = models.TextField(_("outcome"))
    evidence = models.FileField(upload_to=evidence_path, max_length=200, blank=True)
    evidence_uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    evidence_name = models.CharField(max_length=200, blank=True)
    evidence_type = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report of applying knowledge")
        verbose_name_plural = _("reports of applying knowledge")
        ordering = ["-applied_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.item_id} @ {self.where}"


class ItemView(models.Model):
    """One row per item, day and viewer (a hashed key); written in batches."""

    class Channel(models.TextChoices):
        WEB = "web", _("Signed-in")
        PUBLIC = "public", _("Public page")
        API = "api", _("API")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="view_rows")
    day = models.DateField()
    viewer = models.CharField(max_length=64)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)

    class Meta:
        verbose_name = _("daily view count")
        verbose_name_plural = _("daily view counts")
        constraints = [
            models.UniqueConstraint(fields=["item", "day", "viewer"], name="view_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.day}"
