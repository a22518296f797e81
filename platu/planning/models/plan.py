"""A plan, its revisions and the record of who did what to it."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PlanQuerySet(models.QuerySet["Plan"]):
    def for_user(self, user: Any) -> PlanQuerySet:
        """Plans of the organisations the user sees (their own and those below them)."""
        from platu.orgs.access import visible_q

        return self.filter(visible_q(user, "organisation__path"))


class Plan(models.Model):
    """One revision of an organisation's KM plan for a fiscal year (B.E.). An approved
    revision is frozen; an amendment is the next revision, which goes through the same steps."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted to the CKO")
        REVIEWED = "reviewed", _("Reviewed by the CKO")
        RETURNED = "returned", _("Returned for changes")
        APPROVED = "approved", _("Approved by the CEO")
        SUPERSEDED = "superseded", _("Superseded by an amendment")

    EDITABLE_STATES = frozenset({State.DRAFT, State.RETURNED})

    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="plans"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    amends = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="amendments"
    )
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    preface = models.TextField(_("preface"), blank=True)
    focus_area = models.TextField(
        _("KM focus area"), blank=True, help_text=_("One point per line (ขอบเขต KM / KM focus area).")
    )
    key_success_factors = models.TextField(
        _("key success factors"), blank=True, help_text=_("One factor per line.")
    )
    return_comment = models.TextField(_("comments when returned"), blank=True)
    submitted_by = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # Bumped by every change (optimistic locking, and the key of cached documents).
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("KM plan")
        verbose_name_plural = _("KM plans")
        ordering = ["-fiscal_year", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "fiscal_year", "revision"], name="plan_unique_revision"
            ),
        ]

    def __str__(self) -> str:
        text = _("KM plan %(year)s · %(org)s") % {"year": self.fiscal_year, "org": self.organisation}
        return f"{text} ({_('revision')} {self.revision})" if self.revision > 1 else str(text)

    def get_absolute_url(self) -> str:
        return self.url("plan")

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE_STATES

    def url(self, name: str, **kwargs: Any) -> str:
        return reverse(
            f"planning:{name}", kwargs={"code": self.organisation.code, "year": self.fiscal_year, **kwargs}
        )


class PlanEvent(models.Model):
    """A step in the plan's life: created, submitted, reviewed, returned, approved, amended."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        COPIED = "copied", _("Copied from last year's plan")
        SUBMITTED = "submitted", _("Submitted to the CKO")
        REVIEWED = "reviewed", _("Reviewed by the CKO")
        RETURNED = "returned", _("Returned for changes")
        APPROVED = "approved", _("Approved by the CEO")
        AMENDED = "amended", _("Amendment started")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=Action.choices)
    actor = models.ForeignKey("orgs.Person", null=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("plan step")
        verbose_name_plural = _("plan steps")

    def __str__(self) -> str:
        return f"{self.plan} {self.action}"
