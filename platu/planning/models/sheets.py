"""The rows of the worksheets and forms of a plan (seeds 002-004)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from platu.planning.models.plan import Plan

# The seven steps of the KM process and the six of change management (seed 004), as printed.
KM_STEPS = (
    (1, _("Knowledge identification")),
    (2, _("Knowledge creation and acquisition")),
    (3, _("Knowledge organisation")),
    (4, _("Knowledge codification and refinement")),
    (5, _("Knowledge access")),
    (6, _("Knowledge sharing")),
    (7, _("Learning")),
)
CHANGE_STEPS = (
    (1, _("Preparation and behaviour change")),
    (2, _("Communication")),
    (3, _("Process and tools")),
    (4, _("Learning")),
    (5, _("Measurement")),
    (6, _("Recognition and reward")),
)


class Row(models.Model):
    """A row of one of the plan's tables, in the order the team arranged."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]


class StrategicIssue(Row):
    """Worksheet 1: a strategic issue and its goal; with its sufficiency-economy form."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="issues")
    name = models.CharField(_("strategic issue"), max_length=500)
    goal = models.TextField(_("goal"), blank=True)
    team = models.ForeignKey(
        "orgs.Team",
        verbose_name=_("KM team for this issue (worksheet 5)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="strategic_issues",
    )
    # The sufficiency-economy form (seed 003), one per strategic issue.
    moderation = models.TextField(_("moderation"), blank=True)
    reasonableness = models.TextField(_("reasonableness"), blank=True)
    immunity = models.TextField(_("self-immunity"), blank=True)
    knowledge_condition = models.TextField(_("knowledge condition"), blank=True)
    morality_condition = models.TextField(_("morality condition"), blank=True)
    km_scope = models.TextField(_("essential elements or KM scope"), blank=True)

    class Meta(Row.Meta):
        verbose_name = _("strategic issue")

    def __str__(self) -> str:
        return self.name


class Kpi(Row):
    """Worksheet 1: a KPI of the performance agreement under a strategic issue."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="kpis")
    issue = models.ForeignKey(
        StrategicIssue, verbose_name=_("strategic issue"), on_delete=models.CASCADE, related_name="kpis"
    )
    number = models.CharField(_("KPI no."), max_length=20, blank=True)
    name = models.CharField(_("KPI"), max_length=500)
    target = models.CharField(_("target"), max_length=255, blank=True)
    agencies = models.ManyToManyField(
        "orgs.Organisation", verbose_name=_("responsible agencies"), blank=True, related_name="+"
    )
    agencies_text = models.CharField(_("other responsible agencies"), max_length=500, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # Chosen on worksheet 2: carried forward to worksheet 3.
    chosen = models.BooleanField(_("chosen"), default=False)

    class Meta(Row.Meta):
        verbose_name = _("KPI")

    def __str__(self) -> str:
        return f"{self.number} {self.name}".strip()


class Criterion(Row):
    """A scoring criterion of worksheet 2 (KPIs) or 4 (knowledge)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="criteria")
    sheet = models.PositiveSmallIntegerField(choices=((2, _("Worksheet 2")), (4, _("Worksheet 4"))))
    text = models.CharField(_("criterion"), max_length=500)
    is_default = models.BooleanField(default=False, editable=False)

    class Meta(Row.Meta):
        ordering = ["sheet", "order", "pk"]
        verbose_name = _("criterion")

    def __str__(self) -> str:
        return self.text


class WorkProcess(Row):
    """Worksheet 3: a work process of a chosen KPI."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="processes")
    kpi = models.ForeignKey(Kpi, verbose_name=_("KPI"), on_delete=models.CASCADE, related_name="processes")
    name = models.CharField(_("work process"), max_length=500)

    class Meta(Row.Meta):
        verbose_name = _("work process")

    def __str__(self) -> str:
        return self.name


class NeededKnowledge(Row):
    """Worksheet 3: knowledge a work process needs; screened on worksheet 4."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="knowledge")
    process = models.ForeignKey(
        WorkProcess, verbose_name=_("work process"), on_delete=models.CASCADE, related_name="knowledge"
    )
    name = models.CharField(_("needed knowledge"), max_length=500)
    agencies = models.ManyToManyField(
        "orgs.Organisation", verbose_name=_("responsible agencies"), blank=True, related_name="+"
    )
    agencies_text = models.CharField(_("other responsible agencies"), max_length=500, blank=True)
    # Chosen on worksheet 4: the plan's knowledge focus.
    chosen = models.BooleanField(_("chosen"), default=False)

    class Meta(Row.Meta):
        verbose_name = _("needed knowledge")
        verbose_name_plural = _("needed knowledge")

    def __str__(self) -> str:
        return self.name


class Score(models.Model):
    """One scorer's score of one cell of worksheet 2 (criterion x KPI) or 4 (criterion x
    knowledge): 5 (much), 3 (moderate) or 1 (little)."""

    VALUES = ((5, _("5 – much")), (3, _("3 – moderate")), (1, _("1 – little")))

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    scorer = models.ForeignKey("orgs.Person", on_delete=models.CASCADE, related_name="+")
    kpi = models.ForeignKey(Kpi, null=True, blank=True, on_delete=models.CASCADE, related_name="scores")
    knowledge = models.ForeignKey(
        NeededKnowledge, null=True, blank=True, on_delete=models.CASCADE, related_name="scores"
    )
    value = models.PositiveSmallIntegerField(choices=VALUES)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "scorer", "kpi"],
                condition=models.Q(kpi__isnull=False),
                name="score_unique_kpi_cell",
            ),
            models.UniqueConstraint(
                fields=["criterion", "scorer", "knowledge"],
                condition=models.Q(knowledge__isnull=False),
                name="score_unique_knowledge_cell",
            ),
            models.CheckConstraint(condition=models.Q(value__in=[1, 3, 5]), name="score_value_5_3_1"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}/{self.kpi_id or self.knowledge_id}: {self.value}"


class DesiredState(Row):
    """A desired state of the KM focus area, with its measurable unit (seed 004)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="desired_states")
    text = models.TextField(_("desired state"))
    unit = models.CharField(_("measurable unit"), max_length=500, blank=True)
    knowledge = models.ForeignKey(
        NeededKnowledge,
        verbose_name=_("needed knowledge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="desired_states",
    )

    class Meta(Row.Meta):
        verbose_name = _("desired state")

    def __str__(self) -> str:
        return self.text[:80]


class Activity(Row):
    """A row of the KM action plan (Form 2)."""

    class Process(models.TextChoices):
        KM = "km", _("KM process")
        CHANGE = "change", _("Change management process")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="activities")
    desired_state = models.ForeignKey(
        DesiredState,
        verbose_name=_("desired state"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    knowledge = models.ForeignKey(
        NeededKnowledge,
        verbose_name=_("needed knowledge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    process = models.CharField(_("process"), max_length=10, choices=Process.choices, default=Process.KM)
    step = models.PositiveSmallIntegerField(_("step"), default=1)
    name = models.CharField(_("KM activity"), max_length=500)
    method = models.TextField(_("method"), blank=True)
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("to"), null=True, blank=True)
    indicator = models.CharField(_("indicator"), max_length=500, blank=True)
    target = models.CharField(_("target"), max_length=255, blank=True)
    target_group = models.CharField(_("target group"), max_length=255, blank=True)
    responsible = models.CharField(_("responsible"), max_length=500, blank=True)
    responsible_units = models.ManyToManyField(
        "orgs.Organisation", verbose_name=_("responsible units"), blank=True, related_name="+"
    )
    budget = models.DecimalField(_("budget (baht)"), max_digits=14, decimal_places=2, null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    note = models.CharField(_("note"), max_length=500, blank=True)
    # Evidence for the progress module: knowledge items (community sessions come later).
    items = models.ManyToManyField(
        "knowledge.Item", verbose_name=_("knowledge items"), blank=True, related_name="plan_activities"
    )

    class Meta(Row.Meta):
        ordering = ["process", "step", "order", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.name

    @property
    def step_label(self) -> str:
        steps = dict(KM_STEPS if self.process == self.Process.KM else CHANGE_STEPS)
        return str(steps.get(self.step, self.step))


class Milestone(Row):
    """The multi-year roadmap (seed 002): the level KM reaches in a year."""

    class Level(models.TextChoices):
        PILOT = "pilot", _("Pilot groups")
        UNIT = "unit", _("One unit")
        UNIT_GROUP = "unit_group", _("A group of units")
        ORGANISATION = "organisation", _("The whole organisation")
        NATIONAL = "national", _("National")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        REACHED = "reached", _("Reached")
        DROPPED = "dropped", _("Dropped")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="milestones")
    year = models.PositiveSmallIntegerField(_("year (B.E.)"))
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.PILOT)
    description = models.CharField(_("milestone"), max_length=500)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)

    class Meta(Row.Meta):
        ordering = ["year", "order", "pk"]
        verbose_name = _("milestone")

    def __str__(self) -> str:
        return f"{self.year}: {self.description}"
