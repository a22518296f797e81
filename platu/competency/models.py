"""Competency frameworks (versioned, inherited down the organisation tree), the yearly
assessment cycle with self and supervisor assessments and the development-needs survey, and
the organisation's 3-year people-development plan whose items become Form 2 activities."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Framework(models.Model):
    """One version of an organisation's competency framework. A version that any assessment
    was made against is never changed: editing it makes the next version (a copy)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="competency_frameworks"
    )
    number = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "-number"]
        verbose_name = _("competency framework")
        verbose_name_plural = _("competency frameworks")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="competency_framework_number")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.number})"

    def get_absolute_url(self) -> str:
        return reverse("competency:framework_version", args=[self.organisation.code, self.number])


class Level(models.Model):
    """A step of the framework's proficiency scale, e.g. 3 = ปฏิบัติได้ดี."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    value = models.PositiveSmallIntegerField(_("level"))
    name = models.CharField(_("level name"), max_length=120)
    description = models.CharField(_("description"), max_length=500, blank=True)

    class Meta:
        ordering = ["value"]
        verbose_name = _("proficiency level")
        verbose_name_plural = _("proficiency levels")
        constraints = [models.UniqueConstraint(fields=["framework", "value"], name="competency_level_value")]

    def __str__(self) -> str:
        return f"{self.value} {self.name}"


class Competency(models.Model):
    class Kind(models.TextChoices):
        CORE = "core", _("Core competency")
        FUNCTIONAL = "functional", _("Functional competency")
        POSITION = "position", _("Position-specific competency")

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="competencies")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("under"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.CORE)
    code = models.CharField(_("number"), max_length=20, blank=True)
    name = models.CharField(_("competency"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class Expectation(models.Model):
    """Position mapping: the level expected of people whose position starts with ``position``
    (empty: everyone) in a competency."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="expectations")
    position = models.CharField(_("position"), max_length=255, blank=True)
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="expectations")
    level = models.PositiveSmallIntegerField(_("expected level"))

    class Meta:
        ordering = ["position", "competency__order", "pk"]
        verbose_name = _("expected level")
        verbose_name_plural = _("expected levels")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "position", "competency"], name="competency_expectation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.position or '*'}: {self.competency_id} = {self.level}"


class Cycle(models.Model):
    """The yearly assessment and development-needs survey of an organisation (July by default)."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="competency_cycles"
    )
    year = models.PositiveSmallIntegerField(_("year (B.E.)"))
    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.PROTECT, related_name="cycles"
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    opened_by = models.ForeignKey("orgs.Person", null=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "-year"]
        verbose_name = _("assessment cycle")
        verbose_name_plural = _("assessment cycles")
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="competency_cycle_year")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("competency:cycle", args=[self.organisation.code, self.year])

    def accepts(self, today: Any) -> bool:
        return self.state == self.State.OPEN and self.opens_on <= today <= self.closes_on


class Supervisor(models.Model):
    """The person named to make a person's supervisor assessment in a cycle (besides the
    organisation's administrators)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="supervisors")
    person = models.ForeignKey("orgs.Person", on_delete=models.CASCADE, related_name="+")
    supervisor = models.ForeignKey("orgs.Person", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("supervisor")
        verbose_name_plural = _("supervisors")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "person"], name="competency_supervisor_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} ← {self.supervisor_id}"


class Assessment(models.Model):
    class Kind(models.TextChoices):
        SELF = "self", _("Self-assessment")
        SUPERVISOR = "supervisor", _("Supervisor assessment")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="assessments")
    person = models.ForeignKey("orgs.Person", on_delete=models.CASCADE, related_name="competency_assessments")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    assessor = models.ForeignKey("orgs.Person", null=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "person", "kind"], name="competency_assessment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.cycle} {self.person_id} {self.kind}"


class Rating(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="ratings")
    level = models.PositiveSmallIntegerField(_("level"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "competency"], name="competency_rating_unique")
        ]

    def __str__(self) -> str:
        return f"{self.competency_id} = {self.level}"


class Way(models.TextChoices):
    """Ways of developing (the needs survey and the plan's items)."""

    TRAINING = "training", _("Training")
    PLC = "plc", _("Professional learning community (PLC)")
    COACHING = "coaching", _("Coaching and mentoring")
    STUDY_VISIT = "study_visit", _("Study visit")
    SELF_STUDY = "self_study", _("Self-study")


class Need(models.Model):
    """A person's answer to the development-needs survey of a cycle."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="needs")
    person = models.ForeignKey("orgs.Person", on_delete=models.CASCADE, related_name="+")
    topics = models.TextField(_("what I want to develop"))
    competencies = models.ManyToManyField(
        Competency, verbose_name=_("competencies"), blank=True, related_name="+"
    )
    ways = models.JSONField(_("preferred ways"), default=list)
    note = models.TextField(_("anything else"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("development need")
        verbose_name_plural = _("development needs")
        constraints = [models.UniqueConstraint(fields=["cycle", "person"], name="competency_need_unique")]

    def __str__(self) -> str:
        return f"{self.cycle} {self.person_id}"

    def way_labels(self) -> list[str]:
        labels = dict(Way.choices)
        return [str(labels[w]) for w in self.ways if w in labels]


class DevPlan(models.Model):
    """แผนพัฒนาทรัพยากรบุคคล 3 ปี: three consecutive fiscal years (B.E.) from ``first_year``."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="development_plans"
    )
    first_year = models.PositiveSmallIntegerField(_("first fiscal year (B.E.)"))
    title = models.CharField(_("title"), max_length=255)
    cycle = models.ForeignKey(
        Cycle,
        verbose_name=_("built from the cycle"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plans",
    )
    created_by = models.ForeignKey("orgs.Person", null=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "-first_year"]
        verbose_name = _("people-development plan")
        verbose_name_plural = _("people-development plans")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "first_year"], name="competency_devplan_year")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("competency:plan", args=[self.organisation.code, self.first_year])

    @property
    def years(self) -> list[int]:
        return [self.first_year, self.first_year + 1, self.first_year + 2]

    @property
    def last_year(self) -> int:
        return self.first_year + 2


class DevItem(models.Model):
    """A development item of the plan: a way of developing competencies for target people or
    groups by position, in some of the plan's years, with its hours and budget."""

    plan = models.ForeignKey(DevPlan, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("development item"), max_length=300)
    way = models.CharField(_("way"), max_length=20, choices=Way.choices, default=Way.TRAINING)
    competencies = models.ManyToManyField(
        Competency, verbose_name=_("competencies developed"), blank=True, related_name="+"
    )
    people = models.ManyToManyField(
        "orgs.Person", verbose_name=_("target people"), blank=True, related_name="+"
    )
    positions = models.CharField(
        _("target groups by position"),
        max_length=500,
        blank=True,
        help_text=_("Positions separated by commas, e.g. ครู, ครูผู้ช่วย."),
    )
    years = models.JSONField(_("years"), default=list)
    hours = models.DecimalField(_("hours per person"), max_digits=6, decimal_places=1, default=0)
    budget = models.DecimalField(
        _("budget per year (baht)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    note = models.TextField(_("how"), blank=True)
    order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("development item")
        verbose_name_plural = _("development items")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("competency:item", args=[self.plan.organisation.code, self.plan.first_year, self.pk])

    def position_list(self) -> list[str]:
        return [p.strip() for p in self.positions.split(",") if p.strip()]


class Push(models.Model):
    """The Form 2 activity a development item created in the KM plan of a fiscal year."""

    item = models.ForeignKey(DevItem, on_delete=models.CASCADE, related_name="pushes")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    activity = models.ForeignKey(
        "planning.Activity", null=True, on_delete=models.SET_NULL, related_name="development_items"
    )
    pushed_by = models.ForeignKey("orgs.Person", null=True, on_delete=models.SET_NULL, related_name="+")
    pushed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["fiscal_year", "pk"]
        verbose_name = _("activity in the KM plan")
        verbose_name_plural = _("activities in the KM plan")

    def __str__(self) -> str:
        return f"{self.item_id} → {self.activity_id}"


class Review(models.Model):
    """The plan's yearly review: a note per fiscal year, with who wrote it and when."""

    plan = models.ForeignKey(DevPlan, on_delete=models.CASCADE, related_name="reviews")
    year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    note = models.TextField(_("review"))
    reviewed_by = models.ForeignKey("orgs.Person", null=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField()

    class Meta:
        ordering = ["year"]
        verbose_name = _("yearly review")
        verbose_name_plural = _("yearly reviews")
        constraints = [models.UniqueConstraint(fields=["plan", "year"], name="competency_review_year")]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.year}"
