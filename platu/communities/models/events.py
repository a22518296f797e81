"""Events: share-and-show days, study visits, knowledge fairs and PLC exhibitions, with
registration (capacity and a waiting list), their sessions or booths, and the works presented
there (linked to knowledge items)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from platu.communities.models.base import Community


class EventQuerySet(models.QuerySet["Event"]):
    def visible_to(self, user: object) -> EventQuerySet:
        from platu.communities.events import visible_events_q

        return self.filter(visible_events_q(user))


class Event(models.Model):
    class Kind(models.TextChoices):
        SHARE_AND_SHOW = "share_and_show", _("Share-and-show day")
        STUDY_VISIT = "study_visit", _("Study visit")
        FAIR = "fair", _("Knowledge fair")
        EXHIBITION = "exhibition", _("PLC exhibition")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Registration open")
        CLOSED = "closed", _("Registration closed")
        CANCELLED = "cancelled", _("Cancelled")

    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("organiser"), on_delete=models.CASCADE, related_name="km_events"
    )
    community = models.ForeignKey(
        Community, verbose_name=_("community"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="events",
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SHARE_AND_SHOW)
    description = models.TextField(_("description"), blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    visibility = models.CharField(
        _("who may see it"), max_length=20, choices=Community.Visibility.choices,
        default=Community.Visibility.NETWORK,
    )  # fmt: skip
    network_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("communities:event", args=[self.pk])


class EventSlot(models.Model):
    """A session of the event's programme, or a booth of its exhibition."""

    class Kind(models.TextChoices):
        SESSION = "session", _("Session")
        BOOTH = "booth", _("Booth")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="slots")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SESSION)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("room or booth"), max_length=200, blank=True)
    presenters = models.CharField(_("presenters"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event session or booth")
        verbose_name_plural = _("event sessions and booths")

    def __str__(self) -> str:
        return self.title


class Registration(models.Model):
    class State(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey("orgs.Person", on_delete=models.CASCADE, related_name="+")
    state = models.CharField(_("state"), max_length=20, choices=State.choices)
    registered_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)
    attended = models.BooleanField(_("attended"), default=False)

    class Meta:
        ordering = ["registered_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [models.UniqueConstraint(fields=["event", "person"], name="unique_event_registration")]
        indexes = [models.Index(fields=["event", "state", "registered_at"])]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.event_id}: {self.state}"


class PresentedWork(models.Model):
    """A work shown at the event: a knowledge item, at a booth or in a session."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="works")
    slot = models.ForeignKey(
        EventSlot, verbose_name=_("session or booth"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="works",
    )  # fmt: skip
    item = models.ForeignKey(
        "knowledge.Item",
        verbose_name=_("knowledge item"),
        on_delete=models.CASCADE,
        related_name="presented_at",
    )
    presenters = models.CharField(_("presenters"), max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slot__starts_at", "pk"]
        verbose_name = _("presented work")
        verbose_name_plural = _("presented works")
        constraints = [models.UniqueConstraint(fields=["event", "item"], name="unique_event_work")]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.item_id}"
