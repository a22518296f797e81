"""The organisations' own dictionary terms. The index itself lives in tables the backends
create (an FTS5 table on SQLite, a tsvector table on PostgreSQL): see `backends.py`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchTerm(models.Model):
    """A word the segmenter must keep whole (คุณอำนวย, ขุมความรู้, a programme's name)."""

    organisation = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.CASCADE,
        related_name="search_terms",
        verbose_name=_("organisation"),
    )
    term = models.CharField(_("term"), max_length=100)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dictionary term")
        verbose_name_plural = _("dictionary terms")
        ordering = ["term"]
        constraints = [models.UniqueConstraint(fields=["organisation", "term"], name="search_term_unique")]

    def __str__(self) -> str:
        return self.term


class IndexRun(models.Model):
    """One rebuild of the index: when, by whom, how much; the latest tells the KM team
    whether its new terms are applied yet."""

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    items = models.PositiveIntegerField(default=0)
    people = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    terms = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("index rebuild")
        verbose_name_plural = _("index rebuilds")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} ({self.items})"
