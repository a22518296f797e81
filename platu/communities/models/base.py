"""Communities of practice (CoP, PLC, working groups, network CoPs across organisations), their
members with the Thai KM roles, and their sessions: one-off or a series, RSVPs that carry across
a series, and attendance as it happened (marked by the facilitator or checked in by QR code)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class CommunityQuerySet(models.QuerySet["Community"]):
    def visible_to(self, user: Any) -> CommunityQuerySet:
        from platu.communities.access import visible_communities_q

        return self.filter(visible_communities_q(user))


class Community(models.Model):
    class Kind(models.TextChoices):
        COP = "cop", _("Community of practice (CoP)")
        PLC = "plc", _("Professional learning community (PLC)")
        WORKING_GROUP = "working_group", _("Committee working group")
        NETWORK = "network", _("Network CoP across organisations")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DORMANT = "dormant", _("Dormant")
        CLOSED = "closed", _("Closed")

    class Visibility(models.TextChoices):
        ORGANISATION = "organisation", _("Organisation: members and supervising offices")
        NETWORK = "network", _("Network: parent and sibling organisations")
        PUBLIC = "public", _("Platu-wide: everyone who signs in to Platu")

    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("home organisation"), on_delete=models.CASCADE,
        related_name="communities",
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    charter = models.TextField(_("charter and agreements"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COP)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    visibility = models.CharField(
        _("who may see it"), max_length=20, choices=Visibility.choices, default=Visibility.ORGANISATION
    )
    network_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    strategic_issue = models.ForeignKey(
        "planning.StrategicIssue", verbose_name=_("strategic issue"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="communities",
    )  # fmt: skip
    needed_knowledge = models.ForeignKey(
        "planning.NeededKnowledge", verbose_name=_("needed knowledge"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="communities",
    )  # fmt: skip
    kpi = models.ForeignKey(
        "planning.Kpi", verbose_name=_("KPI"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="communities",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("communities:detail", args=[self.pk])


class Member(models.Model):
    """A person in a community, with their role in it (the Thai KM roles and lesson study's)."""

    class Role(models.TextChoices):
        FACILITATOR = "facilitator", _("Facilitator (คุณอำนวย)")
        NOTE_TAKER = "note_taker", _("Note-taker (คุณลิขิต)")
        PRACTITIONER = "practitioner", _("Practitioner (คุณกิจ)")
        ENABLER = "enabler", _("Enabler (คุณเอื้อ)")
        MODEL_TEACHER = "model_teacher", _("Model teacher")
        OBSERVER = "observer", _("Observer")

    class State(models.TextChoices):
        MEMBER = "member", _("Member")
        REQUESTED = "requested", _("Asked to join")
        INVITED = "invited", _("Invited")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        "orgs.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PRACTITIONER)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("community member")
        verbose_name_plural = _("community members")
        constraints = [
            models.UniqueConstraint(fields=["community", "person"], name="unique_community_member")
        ]
        indexes = [models.Index(fields=["person", "state"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.community}"


class Guest(models.Model):
    """An invited expert from outside: a name and an organisation, no account needed."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="guests")
    name = models.CharField(_("name"), max_length=200)
    organisation_name = models.CharField(_("organisation"), max_length=255, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("guest expert")
        verbose_name_plural = _("guest experts")

    def __str__(self) -> str:
        return self.name


class Series(models.Model):
    """Sessions that repeat: one invitation, one RSVP for all of them."""

    class Rule(models.TextChoices):
        WEEKLY = "weekly", _("Every week")
        FORTNIGHTLY = "fortnightly", _("Every two weeks")
        MONTHLY = "monthly", _("Every month")
        DATES = "dates", _("On chosen dates")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="series")
    rule = models.CharField(_("repeats"), max_length=20, choices=Rule.choices)
    until = models.DateField(_("until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("session series")
        verbose_name_plural = _("session series")

    def __str__(self) -> str:
        return f"{self.community} · {self.get_rule_display()}"


class Session(models.Model):
    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="sessions")
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.SCHEDULED)
    # Evidence for the plan: the Form 2 activities this session carried out.
    activities = models.ManyToManyField(
        "planning.Activity", blank=True, related_name="sessions", verbose_name=_("KM plan activities")
    )
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["community", "starts_at"]), models.Index(fields=["starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("communities:session", args=[self.pk])

    @property
    def hours(self) -> Decimal:
        seconds = (self.ends_at - self.starts_at).total_seconds()
        return (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.01"))

    @property
    def duration(self) -> dt.timedelta:
        return self.ends_at - self.starts_at


class Rsvp(models.Model):
    """Going, maybe or not: for one session, or for a whole series (a session's own answer wins)."""

    class Answer(models.TextChoices):
        GOING = "going", _("Going")
        MAYBE = "maybe", _("Maybe")
        NO = "no", _("Not going")

    person = models.ForeignKey("orgs.Person", on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.CASCADE, related_name="rsvps"
    )
    series = models.ForeignKey(Series, null=True, blank=True, on_delete=models.CASCADE, related_name="rsvps")
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices)
    at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")
        constraints = [
            models.CheckConstraint(
                condition=Q(session__isnull=False, series__isnull=True) | Q(session__isnull=True, series__isnull=False),
                name="rsvp_session_or_series",
            ),
            models.UniqueConstraint(fields=["person", "session"], condition=Q(session__isnull=False), name="unique_rsvp_session"),
            models.UniqueConstraint(fields=["person", "series"], condition=Q(series__isnull=False), name="unique_rsvp_series"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.person_id}: {self.answer}"


class Attendance(models.Model):
    """Who actually came: a member (marked or checked in) or a guest by name. Hours are credited
    from these rows, never from RSVPs."""

    class Method(models.TextChoices):
        MARKED = "marked", _("Marked by the facilitator")
        QR = "qr", _("Checked in by QR code")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    guest_name = models.CharField(_("guest"), max_length=200, blank=True)
    method = models.CharField(_("how"), max_length=10, choices=Method.choices, default=Method.MARKED)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2)
    at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], condition=Q(person__isnull=False), name="unique_attendance_person"),
            models.CheckConstraint(condition=Q(person__isnull=False) | ~Q(guest_name=""), name="attendance_person_or_guest"),
        ]  # fmt: skip
        indexes = [models.Index(fields=["person", "session"])]

    def __str__(self) -> str:
        return f"{self.person or self.guest_name} · {self.session}"


class SessionRecord(models.Model):
    """The session written up in the Thai PLC form, with its AAR and minutes; signed off by the
    group's head (the signature approves the hours credited for the session)."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="record")
    topic = models.TextField(_("topic or problem"), blank=True)
    activities = models.TextField(_("what we did"), blank=True)
    results = models.TextField(_("results"), blank=True)
    reflection = models.TextField(_("reflection"), blank=True)
    keep = models.TextField(_("what to keep"), blank=True)
    improve = models.TextField(_("what to improve"), blank=True)
    aar_expected = models.TextField(_("what we expected"), blank=True)
    aar_happened = models.TextField(_("what happened"), blank=True)
    aar_why = models.TextField(_("why the difference"), blank=True)
    aar_next = models.TextField(_("what we will do next"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)  # sanitised HTML
    written_by = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_by = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    items = models.ManyToManyField("knowledge.Item", blank=True, related_name="community_sessions",
                                   verbose_name=_("knowledge made from it"))  # fmt: skip

    TEXT_FIELDS = ("topic", "activities", "results", "reflection", "keep", "improve",
                   "aar_expected", "aar_happened", "aar_why", "aar_next")  # fmt: skip

    class Meta:
        verbose_name = _("session record")
        verbose_name_plural = _("session records")

    def __str__(self) -> str:
        return str(self.session)


class CalendarToken(models.Model):
    """A private, revocable address for a person's calendar feed (calendar apps send no cookies)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed address")
        verbose_name_plural = _("calendar feed addresses")

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"
