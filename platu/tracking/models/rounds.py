"""Rounds of monitoring (6, 9 and 12 months of a fiscal year), one progress entry per Form 2
activity with its evidence, corrections after a round is closed, and indicators bound to what
Platu counts itself."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Round(models.Model):
    class Months(models.IntegerChoices):
        SIX = 6, _("6 months (1 October – 31 March)")
        NINE = 9, _("9 months (1 October – 30 June)")
        TWELVE = 12, _("12 months (1 October – 30 September)")

    class State(models.TextChoices):
        OPEN = "open", _("Open for entries")
        CLOSED = "closed", _("Closed by the CKO")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged by the CEO")

    plan = models.ForeignKey("planning.Plan", on_delete=models.CASCADE, related_name="rounds")
    months = models.PositiveSmallIntegerField(_("round"), choices=Months.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    due_date = models.DateField(_("entries due"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.OPEN)
    opened_by = models.ForeignKey("orgs.Person", null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    ceo_comment = models.TextField(_("the CEO's comment"), blank=True)
    reminded_on = models.DateField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["plan", "months"]
        verbose_name = _("monitoring round")
        verbose_name_plural = _("monitoring rounds")
        constraints = [models.UniqueConstraint(fields=["plan", "months"], name="unique_round_per_plan")]
        indexes = [models.Index(fields=["state", "due_date"])]

    def __str__(self) -> str:
        return f"{self.plan} · {self.months}"

    def get_absolute_url(self) -> str:
        return reverse(
            "tracking:round", args=[self.plan.organisation.code, self.plan.fiscal_year, self.months]
        )

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class ActivityOwner(models.Model):
    """Who reports on a Form 2 activity (its responsible people)."""

    activity = models.ForeignKey("planning.Activity", on_delete=models.CASCADE, related_name="owners")
    person = models.ForeignKey("orgs.Person", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("responsible person")
        verbose_name_plural = _("responsible people")
        constraints = [models.UniqueConstraint(fields=["activity", "person"], name="unique_activity_owner")]

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.person_id}"


class Binding(models.Model):
    """An activity's indicator bound to a measure Platu counts (see tracking/measures.py)."""

    class Scope(models.TextChoices):
        ORGANISATION = "organisation", _("The organisation")
        SUBTREE = "subtree", _("The organisation and the organisations under it")

    activity = models.OneToOneField("planning.Activity", on_delete=models.CASCADE, related_name="binding")
    measure = models.CharField(_("measure"), max_length=60)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    scope = models.CharField(
        _("counted over"), max_length=20, choices=Scope.choices, default=Scope.ORGANISATION
    )

    class Meta:
        verbose_name = _("computed indicator")
        verbose_name_plural = _("computed indicators")

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.measure}"


class Entry(models.Model):
    """One activity's progress in one round."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        LATE = "late", _("Behind schedule")
        CANCELLED = "cancelled", _("Cancelled")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="entries")
    activity = models.ForeignKey("planning.Activity", on_delete=models.CASCADE, related_name="progress")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    percent = models.PositiveSmallIntegerField(
        _("percent done"), default=0, validators=[MaxValueValidator(100)]
    )
    result_number = models.DecimalField(_("result"), max_digits=14, decimal_places=2, null=True, blank=True)
    result_unit = models.CharField(_("unit"), max_length=60, blank=True)
    result_text = models.TextField(_("result (in words)"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    solutions = models.TextField(_("what was done about them"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    # A computed indicator: what Platu counted at the round's close, how, and any override.
    computed_value = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, editable=False
    )
    computed_detail = models.JSONField(default=dict, blank=True, editable=False)
    computed_at = models.DateTimeField(null=True, blank=True, editable=False)
    override_value = models.DecimalField(
        _("value set by hand"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    override_reason = models.CharField(_("reason for setting it by hand"), max_length=500, blank=True)
    entered_by = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    checked_by = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    check_comment = models.TextField(_("the KM lead's comment"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    TEXT_FIELDS = ("status", "percent", "result_number", "result_unit", "result_text", "problems",
                   "solutions", "next_steps", "override_value", "override_reason")  # fmt: skip

    class Meta:
        ordering = ["round", "activity__process", "activity__step", "activity__order", "activity__pk"]
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")
        constraints = [models.UniqueConstraint(fields=["round", "activity"], name="unique_entry_per_round")]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.activity_id}"

    @property
    def value(self) -> object:
        """The indicator's value: set by hand, or counted by Platu."""
        return self.override_value if self.override_value is not None else self.computed_value


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"tracking/{instance.uid.hex[:2]}/{instance.uid.hex}"


class Evidence(models.Model):
    class Kind(models.TextChoices):
        FILE = "file", _("File")
        ITEM = "item", _("Knowledge item")
        SESSION = "session", _("Community session")
        LINK = "link", _("Link")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(upload_to=evidence_path, max_length=200, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    item = models.ForeignKey(
        "knowledge.Item", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    session = models.ForeignKey(
        "communities.Session", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    url = models.URLField(_("address"), max_length=500, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.name or self.url or str(self.item_id or self.session_id)


class Correction(models.Model):
    """A change to an entry after its round was closed: the entry as it was, and why."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="corrections")
    number = models.PositiveIntegerField()
    before = models.JSONField()
    reason = models.TextField(_("reason for the correction"))
    by = models.ForeignKey("orgs.Person", null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entry", "number"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        constraints = [models.UniqueConstraint(fields=["entry", "number"], name="unique_correction_number")]

    def __str__(self) -> str:
        return f"{self.entry_id} #{self.number}"


class OrgIndicator(models.Model):
    """An organisation-level KM indicator (e.g. the share of staff who contributed knowledge)
    bound to a measure, with its target, for a fiscal year."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="km_indicators"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    name = models.CharField(_("indicator"), max_length=300)
    measure = models.CharField(_("measure"), max_length=60)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    scope = models.CharField(
        _("counted over"), max_length=20, choices=Binding.Scope.choices, default=Binding.Scope.ORGANISATION
    )
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2, null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["organisation", "fiscal_year", "order", "pk"]
        verbose_name = _("KM indicator of the organisation")
        verbose_name_plural = _("KM indicators of the organisation")

    def __str__(self) -> str:
        return self.name
