"""PDPA: the installation's privacy notice (versioned, acknowledged), a person's data exports, erasure
requests, retention settings, the breach log and the controller's details for the record of
processing (ROPA, PDPA section 39)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PDPC_HOURS = 72  # PDPA section 37(4): notify the PDPC within 72 hours of knowing of a breach


class PrivacyNotice(models.Model):
    """One version of the installation's privacy notice; the highest published version is current."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-version"]
        verbose_name = _("privacy notice")

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"

    @classmethod
    def current(cls) -> PrivacyNotice | None:
        return cls.objects.order_by("-version").first()


class NoticeAcceptance(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    notice = models.ForeignKey(PrivacyNotice, on_delete=models.CASCADE, related_name="acceptances")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "notice"], name="privacy_accept_once")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.notice_id}"


class DataExport(models.Model):
    """A person's download of everything Platu holds about them, built by the task queue."""

    class State(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    requested_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    path = models.CharField(max_length=300, blank=True)  # under PLATU_PRIVATE_ROOT
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"export #{self.pk}"

    @property
    def is_downloadable(self) -> bool:
        return (
            self.state == self.State.READY
            and self.expires_at is not None
            and self.expires_at > timezone.now()
        )


class ErasureRequest(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for an administrator")
        DONE = "done", _("Erased")
        REFUSED = "refused", _("Refused")
        CANCELLED = "cancelled", _("Cancelled")

    # Kept after the erasure: the account row stays (inactive, pseudonymised).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.TextField(_("reason of the decision"), blank=True)
    pseudonym = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:  # never the person's name: it is copied into audit rows
        return f"erasure request #{self.pk}"


class PrivacySettings(models.Model):
    """The installation's settings (one row): retention and the controller's details for the ROPA."""

    audit_retention_days = models.PositiveIntegerField(
        _("keep audit rows for (days)"),
        default=5 * 365,
        help_text=_("Government records are usually kept at least 5 years; 0 keeps them for ever."),
    )
    export_retention_days = models.PositiveIntegerField(_("keep data downloads for (days)"), default=7)
    controller = models.CharField(_("data controller"), max_length=300, blank=True)
    controller_contact = models.TextField(_("controller's address and contact"), blank=True)
    dpo = models.CharField(_("data protection officer (DPO)"), max_length=300, blank=True)
    dpo_contact = models.CharField(_("DPO's e-mail and phone"), max_length=300, blank=True)
    security = models.TextField(_("security measures"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("privacy settings")

    def __str__(self) -> str:
        return "privacy settings"

    @classmethod
    def get(cls) -> PrivacySettings:
        row, _created = cls.objects.get_or_create(pk=1)
        return row


class Breach(models.Model):
    class Risk(models.TextChoices):
        LOW = "low", _("Low: no notice needed")
        MEDIUM = "medium", _("Risk to rights and freedoms: notify the PDPC")
        HIGH = "high", _("High risk: notify the PDPC and the people")

    discovered_at = models.DateTimeField(_("discovered at"))
    description = models.TextField(_("what happened"))
    data_affected = models.TextField(_("data affected"), blank=True)
    people_affected = models.PositiveIntegerField(_("people affected (estimate)"), default=0)
    risk = models.CharField(_("risk"), max_length=10, choices=Risk.choices, default=Risk.MEDIUM)
    pdpc_notified_at = models.DateTimeField(_("PDPC notified at"), null=True, blank=True)
    people_notified_at = models.DateTimeField(_("people notified at"), null=True, blank=True)
    actions = models.TextField(_("actions taken"), blank=True)
    closed = models.BooleanField(_("closed"), default=False)
    reminded = models.BooleanField(default=False, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-discovered_at"]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def deadline(self) -> dt.datetime:
        return self.discovered_at + dt.timedelta(hours=PDPC_HOURS)

    @property
    def needs_pdpc(self) -> bool:
        return self.risk != self.Risk.LOW and self.pdpc_notified_at is None

    def hours_left(self, now: Any = None) -> float:
        now = now or timezone.now()
        return float((self.deadline - now).total_seconds() / 3600)

    @property
    def overdue(self) -> bool:
        return self.needs_pdpc and self.hours_left() < 0

    @property
    def late_notice(self) -> bool:
        return self.pdpc_notified_at is not None and self.pdpc_notified_at > self.deadline
