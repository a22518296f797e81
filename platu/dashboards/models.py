"""What the dashboards read: figures per organisation and month, and per fiscal year, counted
once by the refresh (platu/dashboards/refresh.py) instead of on every page view.

Each organisation has two sets of rows: its own ("own") and its subtree's ("subtree": the
organisation and every organisation under it, the sum of its own rows and its children's subtree
rows). A parent office's roll-up reads one subtree row per child, so it costs the same for a
district of 60 schools as for a ministry of 30,000 organisations. The rows hold numbers only:
no titles, names or texts, so a roll-up can never show a child's private entries.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    OWN = "own", _("The organisation itself")
    SUBTREE = "subtree", _("The organisation and those under it")


# The counted columns that add up over months and over organisations.
ADDITIVE = (
    "items_written",
    "items_vetted",
    "items_published",
    "applied",
    "sessions",
    "attendance",
    "plc_hours",
    "participants",
    "contributors",
    "survey_points",
    "survey_answers",
)


class Counts(models.Model):
    """Knowledge flow and community activity in a period. People (participants, contributors)
    are counted once per organisation and period; a subtree adds its organisations' counts."""

    items_written = models.PositiveIntegerField(default=0)
    items_vetted = models.PositiveIntegerField(default=0)
    items_published = models.PositiveIntegerField(default=0)
    applied = models.PositiveIntegerField(default=0)
    sessions = models.PositiveIntegerField(default=0)
    attendance = models.PositiveIntegerField(default=0)
    plc_hours = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))
    participants = models.PositiveIntegerField(default=0)
    contributors = models.PositiveIntegerField(default=0)
    # Survey scores: the sum of the 1–5 ratings answered by the organisation's people, and how
    # many ratings (their mean is the score); an anonymous survey's group smaller than its minimum
    # is left out, as its results pages leave it out.
    survey_points = models.PositiveIntegerField(default=0)
    survey_answers = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    @property
    def survey_mean(self) -> Decimal | None:
        if not self.survey_answers:
            return None
        return (Decimal(self.survey_points) / Decimal(self.survey_answers)).quantize(Decimal("0.01"))


class OrgMonth(Counts):
    """One organisation's (or subtree's) figures in one month (the month's first day)."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=8, choices=Scope.choices)
    month = models.DateField()

    class Meta:
        verbose_name = _("monthly figures")
        verbose_name_plural = _("monthly figures")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "scope", "month"], name="dashboards_one_month_row"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.scope} {self.month:%Y-%m}"


class OrgYear(Counts):
    """One organisation's (or subtree's) figures for a fiscal year (B.E.): the year's counts,
    its KM plan and the progress of the plan's latest monitoring round."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=8, choices=Scope.choices)
    fiscal_year = models.PositiveSmallIntegerField()
    organisations = models.PositiveIntegerField(default=1)  # counted (1 for "own")
    # The plan: its state ("own": the latest revision's, "" without a plan) and how many of the
    # organisations counted have a plan, and an approved one.
    plan_state = models.CharField(max_length=20, blank=True)
    plans = models.PositiveIntegerField(default=0)
    plans_approved = models.PositiveIntegerField(default=0)
    activities = models.PositiveIntegerField(default=0)
    # The latest round of the plan ("own": its months, 0 without a round), its entries (cancelled
    # activities left out), the sum of their percents, and how many are done, late, at risk.
    round_months = models.PositiveSmallIntegerField(default=0)
    entries = models.PositiveIntegerField(default=0)
    percent_sum = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    at_risk = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("yearly figures")
        verbose_name_plural = _("yearly figures")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "scope", "fiscal_year"], name="dashboards_one_year_row"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.scope} {self.fiscal_year}"

    @property
    def progress(self) -> float | None:
        """Average percent done of the latest round's entries (None without entries)."""
        return self.percent_sum / self.entries if self.entries else None
