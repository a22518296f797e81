"""Recognition: award programmes of an organisation per round and level, their categories and
criteria, the committee, nominations with evidence, the committee's scores, the announced awards
and their certificates (verifiable at a public address by a random code)."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Programme(models.Model):
    class Level(models.TextChoices):
        SCHOOL = "school", _("School / unit")
        DISTRICT = "district", _("District (area office)")
        REGION = "region", _("Region / province")
        NATIONAL = "national", _("National")

    class Scale(models.TextChoices):
        FIVE_THREE_ONE = "531", _("5/3/1 per criterion (as the worksheets)")
        TEN = "10", _("0–10 per criterion")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for nominations")
        SCORING = "scoring", _("Committee scoring")
        ANNOUNCED = "announced", _("Results announced")

    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("name of the award"), max_length=200)
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year (B.E.)"), validators=[MinValueValidator(2500), MaxValueValidator(2700)]
    )
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, default=Level.SCHOOL)
    description = models.TextField(_("purpose and rules"), blank=True)
    scale = models.CharField(_("scoring"), max_length=4, choices=Scale.choices, default=Scale.FIVE_THREE_ONE)
    nominations_open = models.DateField(_("nominations open"))
    nominations_close = models.DateField(_("nominations close"))
    scoring_deadline = models.DateField(_("scoring deadline"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey("orgs.Person", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    announced_by = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    announced_at = models.DateTimeField(null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-fiscal_year", "-created_at", "pk"]
        verbose_name = _("award programme")
        verbose_name_plural = _("award programmes")
        indexes = [
            models.Index(fields=["organisation", "state"]),
            models.Index(fields=["state", "scoring_deadline"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("awards:programme", args=[self.pk])

    @property
    def max_value(self) -> int:
        return 10 if self.scale == self.Scale.TEN else 5

    @property
    def values(self) -> list[int]:
        return list(range(10, -1, -1)) if self.scale == self.Scale.TEN else [5, 3, 1]


class Category(models.Model):
    class Kind(models.TextChoices):
        WORK = "work", _("Outstanding work")
        COP = "cop", _("Outstanding community of practice")
        PERSON = "person", _("KM role model (person)")
        INNOVATION = "innovation", _("Innovation")

    # What a nomination of each kind points at.
    TARGETS: dict[str, tuple[str, ...]] = {
        "work": ("item", "session"),
        "cop": ("community",),
        "person": ("person",),
        "innovation": ("item",),
    }
    # The official Thai names, printed on certificates whatever the reader's language.
    THAI = {
        "work": "ผลงานดีเด่น",
        "cop": "ชุมชนนักปฏิบัติดีเด่น",
        "person": "บุคคลต้นแบบด้านการจัดการความรู้",
        "innovation": "นวัตกรรม",
    }

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="categories")
    kind = models.CharField(_("category"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    places = models.PositiveSmallIntegerField(
        _("awards given"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["programme", "order", "pk"]
        verbose_name = _("award category")
        verbose_name_plural = _("award categories")
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind"], name="unique_award_category_kind")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def targets(self) -> tuple[str, ...]:
        return self.TARGETS.get(self.kind, ())


class Criterion(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=300)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["programme", "order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.name


class CommitteeMember(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="committee")
    person = models.ForeignKey("orgs.Person", on_delete=models.CASCADE, related_name="+")
    is_chair = models.BooleanField(_("chair"), default=False)

    class Meta:
        ordering = ["programme", "-is_chair", "person__sort_key", "pk"]
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        constraints = [
            models.UniqueConstraint(fields=["programme", "person"], name="unique_award_committee_member"),
            models.UniqueConstraint(fields=["programme"], condition=Q(is_chair=True), name="one_award_chair"),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} · {self.person_id}"


class Nomination(models.Model):
    class Kind(models.TextChoices):
        SELF = "self", _("Self-nomination")
        PEER = "peer", _("Nominated by a colleague")
        HEAD = "head", _("Nominated by the head")
        FORWARDED = "forwarded", _("Forwarded from a lower round")

    class Target(models.TextChoices):
        ITEM = "item", _("Knowledge item")
        COMMUNITY = "community", _("Community of practice")
        SESSION = "session", _("Community session")
        PERSON = "person", _("Person")

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted by the chair")
        REJECTED = "rejected", _("Not eligible")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    SCORED_STATES = ("submitted", "accepted")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="nominations")
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="nominations"
    )
    kind = models.CharField(_("nominated by"), max_length=12, choices=Kind.choices)
    target = models.CharField(_("nominee"), max_length=12, choices=Target.choices)
    item = models.ForeignKey(
        "knowledge.Item", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    community = models.ForeignKey(
        "communities.Community", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    session = models.ForeignKey(
        "communities.Session", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    person = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The nominee as named when nominated (kept if the item, community or person goes).
    title = models.CharField(_("nominee"), max_length=300)
    statement = models.TextField(_("why they deserve the award"))
    nominator = models.ForeignKey("orgs.Person", null=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.SUBMITTED)
    review_note = models.CharField(_("the chair's note"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    forwarded_from = models.ForeignKey(
        "Award", null=True, blank=True, on_delete=models.SET_NULL, related_name="forwarded"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["programme", "category__order", "created_at", "pk"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        indexes = [models.Index(fields=["programme", "state"])]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "forwarded_from"],
                condition=Q(forwarded_from__isnull=False),
                name="forwarded_once_per_programme",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("awards:nomination", args=[self.programme_id, self.pk])

    def target_obj(self) -> Any:
        return {
            "item": self.item,
            "community": self.community,
            "session": self.session,
            "person": self.person,
        }.get(self.target)


def evidence_path(instance: NominationFile, filename: str) -> str:
    return f"awards/{instance.uid.hex[:2]}/{instance.uid.hex}"


class NominationFile(models.Model):
    """Evidence for a nomination, under the knowledge base's upload rules."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="files")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(upload_to=evidence_path, max_length=200)
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("awards:evidence", args=[self.uid])


class Score(models.Model):
    """One committee member's value for one nomination on one criterion."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    scorer = models.ForeignKey("orgs.Person", on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["nomination", "criterion", "scorer"], name="unique_award_score")
        ]

    def __str__(self) -> str:
        return f"{self.nomination_id}/{self.criterion_id}/{self.scorer_id}={self.value}"


class Award(models.Model):
    """A winning nomination, frozen when the chair announced the results."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="awards")
    nomination = models.OneToOneField(Nomination, on_delete=models.CASCADE, related_name="award")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="awards")
    rank = models.PositiveSmallIntegerField(_("rank"))
    score = models.DecimalField(_("average weighted score"), max_digits=8, decimal_places=2)
    placement = models.CharField(_("award"), max_length=100)  # "รางวัลชนะเลิศ", ...
    winner_name = models.CharField(_("winner"), max_length=300)
    work_title = models.CharField(_("work"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "category__order", "rank", "pk"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")

    def __str__(self) -> str:
        return f"{self.placement} · {self.winner_name}"


CODE_LETTERS = "abcdefghjkmnpqrstuvwxyz"
CODE_ALPHABET = CODE_LETTERS + "23456789"


def new_code() -> str:
    """24 random characters (about 118 bits) that start with a letter: a word printed whole in
    Thai-digit documents and typed without confusing 0/o or 1/l."""
    return secrets.choice(CODE_LETTERS) + "".join(secrets.choice(CODE_ALPHABET) for _ in range(23))


class Certificate(models.Model):
    """A certificate (เกียรติบัตร) of an award for one recipient."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="certificates")
    person = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipient_name = models.CharField(_("recipient"), max_length=300)
    code = models.CharField(max_length=40, unique=True, default=new_code, editable=False)
    issued_on = models.DateField(_("issued on"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)
    revoked_by = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["award", "pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return f"{self.recipient_name} · {self.award_id}"

    def get_absolute_url(self) -> str:
        return reverse("awards:verify", args=[self.code])
