"""Surveys (issue 19): a survey of an organisation's KM team, its sections and questions (Likert,
single and multiple choice, number, short and long text), sent to an audience (an organisation,
the organisations under one, a community's members or a session's attendees), answered once per
person between its open and close dates.

Anonymity: a response of an anonymous survey has no link to its respondent. Who has answered is
kept apart, on the person's invitation row (``Invitation.answered``), which is made when the survey
opens and only flipped when they answer: its order says nothing about the order of the answers.
A response keeps the respondent's organisation (for results by organisation, shown only for groups
of at least the organisation's minimum, ``SurveySettings.min_group``).

An answer row holds one value: a Likert score (5 = มากที่สุด … 1 = น้อยที่สุด) or a choice's
number in ``value``, a number in ``number``, or text; a multiple-choice answer is one row per
option chosen. Answers carry the respondent's organisation too; the counts the results page
shows are kept as they arrive in ``Tally`` rows (one GROUP BY over a few thousand of them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

MIN_GROUP_DEFAULT = 5
LIKERT = ((5, "มากที่สุด"), (4, "มาก"), (3, "ปานกลาง"), (2, "น้อย"), (1, "น้อยที่สุด"))
LIKERT_LABELS = dict(LIKERT)


class SurveySettings(models.Model):
    """An organisation's survey settings: the smallest group whose answers are shown."""

    organisation = models.OneToOneField(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="survey_settings"
    )
    min_group = models.PositiveSmallIntegerField(
        _("smallest group shown"),
        default=MIN_GROUP_DEFAULT,
        validators=[MinValueValidator(3), MaxValueValidator(100)],
        help_text=_(
            "Results of anonymous surveys, and results by organisation, are shown only for groups "
            "with at least this many answers."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("survey settings")
        verbose_name_plural = _("survey settings")

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.min_group}"


def min_group_for(organisation: Any) -> int:
    row = SurveySettings.objects.filter(organisation=organisation).only("min_group").first()
    return row.min_group if row else MIN_GROUP_DEFAULT


class Survey(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for answers")
        CLOSED = "closed", _("Closed")

    class Audience(models.TextChoices):
        ORGANISATION = "organisation", _("The members of an organisation")
        SUBTREE = "subtree", _("Every member of the organisations under one (a district's schools)")
        COMMUNITY = "community", _("The members of a community of practice")
        SESSION = "session", _("Those who attended a community session")

    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="surveys"
    )
    title = models.CharField(_("survey title"), max_length=200)
    description = models.TextField(_("introduction"), blank=True)
    template = models.CharField(_("made from"), max_length=30, blank=True, editable=False)
    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_(
            "No answer is linked to the person who gave it; results only for groups of the minimum size."
        ),
    )
    one_page = models.BooleanField(
        _("all sections on one page"), default=True, help_text=_("Otherwise one page per section.")
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    audience = models.CharField(
        _("who answers"), max_length=20, choices=Audience.choices, default=Audience.ORGANISATION
    )
    audience_org = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("organisation answering"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    community = models.ForeignKey(
        "communities.Community", verbose_name=_("community"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="surveys",
    )  # fmt: skip
    session = models.ForeignKey(
        "communities.Session", verbose_name=_("session"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="surveys",
    )  # fmt: skip
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True, editable=False)
    invited_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        indexes = [
            models.Index(fields=["organisation", "state"]),
            models.Index(fields=["state", "closes_on"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="survey_closes_after_open")
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("surveys:detail", args=[self.pk])

    def accepting(self, today: dt.date) -> bool:
        """Answers are taken: open, and today within its dates (Thai time)."""
        return self.state == self.State.OPEN and self.opens_on <= today <= self.closes_on


class Section(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(_("section title"), max_length=200, blank=True)
    description = models.TextField(_("explanation"), blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.title or f"#{self.order}"


class Question(models.Model):
    class Kind(models.TextChoices):
        LIKERT = "likert", _("Rating, 5 levels (มากที่สุด … น้อยที่สุด)")
        SINGLE = "single", _("One choice")
        MULTIPLE = "multiple", _("Several choices")
        NUMBER = "number", _("Number")
        SHORT_TEXT = "short", _("Short text")
        LONG_TEXT = "long", _("Long text")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("kind of answer"), max_length=10, choices=Kind.choices, default=Kind.LIKERT)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("explanation"), max_length=500, blank=True)
    required = models.BooleanField(_("an answer is required"), default=True)
    options = models.JSONField(_("choices"), default=list, blank=True)  # ["ครู", "ผู้บริหาร", ...]
    number_min = models.DecimalField(
        _("smallest number"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    number_max = models.DecimalField(
        _("largest number"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["order", "pk"]  # numbered through the survey, section by section
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text

    @property
    def is_choice(self) -> bool:
        return self.kind in (self.Kind.LIKERT, self.Kind.SINGLE, self.Kind.MULTIPLE)

    @property
    def is_text(self) -> bool:
        return self.kind in (self.Kind.SHORT_TEXT, self.Kind.LONG_TEXT)

    def choices(self) -> list[tuple[int, str]]:
        """(value, label): Likert 5..1 with its Thai labels, options numbered from 1."""
        if self.kind == self.Kind.LIKERT:
            return list(LIKERT)
        if self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE):
            return [(n, str(label)) for n, label in enumerate(self.options or [], start=1)]
        return []


class Invitation(models.Model):
    """A person asked to answer, made when the survey opens (and for a member of the audience who
    comes later, when they first open it). ``answered`` is the "has answered" mark; for an
    anonymous survey it is the only trace of the person, and no answer points to it."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey("orgs.Person", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "orgs.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered = models.BooleanField(default=False)
    answered_at = models.DateTimeField(null=True, blank=True)  # named surveys only

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["survey", "person"], name="unique_survey_invitation")]
        indexes = [
            models.Index(fields=["person", "answered"]),
            models.Index(fields=["survey", "organisation", "answered"]),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}: {self.person_id}"


class Response(models.Model):
    """One person's sent answers. ``person`` and ``submitted_at`` are empty for anonymous surveys."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(
        "orgs.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    person = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(fields=["survey", "person"], condition=Q(person__isnull=False),
                                    name="unique_survey_response_person")
        ]  # fmt: skip
        indexes = [models.Index(fields=["survey", "organisation"])]

    def __str__(self) -> str:
        return f"{self.survey_id}#{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    organisation = models.ForeignKey(
        "orgs.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    value = models.SmallIntegerField(null=True, blank=True)  # Likert score or choice number
    number = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        # Results are one GROUP BY over these columns, read from the index alone.
        indexes = [
            models.Index(fields=["question", "organisation", "value", "number"], name="survey_answer_tally")
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.value or self.number or self.text[:20]}"


class Tally(models.Model):
    """How many answers each (question, organisation, value, number) has, kept in the transaction
    that stores a response (an upsert adding to the count): the results page reads these few
    thousand rows instead of grouping a million answers. ``organisation_id`` 0 is none; ``value`` 0
    is "no choice": for a number question the row of that number, for a text question its
    answered count, for a several-choices question its count of respondents. Answers are never
    changed once sent, so the counts stay equal to the answers grouped directly
    (``results.tally_from_answers``, which the tests and the benchmark compare)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    organisation_id = models.BigIntegerField(default=0)
    value = models.SmallIntegerField(default=0)
    number = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    n = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("answer count")
        verbose_name_plural = _("answer counts")
        constraints = [
            models.UniqueConstraint(fields=["question", "organisation_id", "value", "number"], name="unique_survey_tally")
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.question_id}/{self.organisation_id}/{self.value}/{self.number}: {self.n}"


class Turnout(models.Model):
    """Who was asked and who answered, per organisation of a survey (``organisation_id`` 0: none):
    recounted from the invitations when people are invited, added to in the transaction that
    stores a response. The results page reads these few rows instead of the invitations."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    organisation_id = models.BigIntegerField(default=0)
    invited = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("turnout")
        verbose_name_plural = _("turnout")
        constraints = [
            models.UniqueConstraint(fields=["survey", "organisation_id"], name="unique_survey_turnout")
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.organisation_id}: {self.answered}/{self.invited}"


class Draft(models.Model):
    """What a person has typed but not sent: between section pages, and kept when the survey
    closed while they were answering (they are told; it is not counted)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="drafts")
    person = models.ForeignKey("orgs.Person", on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict, blank=True)  # {"question id": "5" | ["1", "3"] | "text"}
    late = models.BooleanField(default=False)  # sent after the survey closed
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("unsent answers")
        verbose_name_plural = _("unsent answers")
        constraints = [models.UniqueConstraint(fields=["survey", "person"], name="unique_survey_draft")]

    def __str__(self) -> str:
        return f"{self.survey_id}: {self.person_id}"
