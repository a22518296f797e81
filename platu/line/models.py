"""LINE Messaging API: an organisation's Official Account channel (its secret and access token
kept encrypted), a person's linked LINE account, what each person wants by which way, and the
record of every LINE message Platu tried to send."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# LINE Login's bot_prompt: "normal" adds a box to the consent screen, "aggressive" a screen of its own.
BOT_PROMPTS = [
    ("aggressive", _("On a screen of its own, after signing in")),
    ("normal", _("As a tick box on the consent screen")),
]


def _webhook_key() -> str:
    return secrets.token_urlsafe(24)


class Channel(models.Model):
    """One LINE Official Account per organisation. The secret and token are never shown again."""

    organisation = models.OneToOneField(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="line_channel"
    )
    secret_encrypted = models.TextField()
    token_encrypted = models.TextField()
    # The address LINE calls (webhook URL) names the channel by this key, not by the organisation.
    webhook_key = models.CharField(max_length=64, unique=True, default=_webhook_key)
    bot_name = models.CharField(_("LINE account name"), max_length=200, blank=True)
    bot_basic_id = models.CharField(_("LINE ID"), max_length=100, blank=True)
    # The LINE Login channel linked to the Official Account: people link with one sign-in to LINE
    # (its secret kept encrypted as the Messaging API's; no id: that way is off).
    login_channel_id = models.CharField(_("LINE Login channel ID"), max_length=20, blank=True)
    login_secret_encrypted = models.TextField(blank=True)
    login_bot_prompt = models.CharField(
        _("offer to add the LINE account as a friend"),
        max_length=10,
        choices=BOT_PROMPTS,
        default="aggressive",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("LINE channel")
        verbose_name_plural = _("LINE channels")

    def __str__(self) -> str:
        return self.bot_name or self.bot_basic_id or str(self.organisation)

    @property
    def has_login(self) -> bool:
        return bool(self.login_channel_id and self.login_secret_encrypted)


class Link(models.Model):
    """A Platu account linked to a LINE user of one organisation's channel."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="line_link")
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="links")
    line_user_id = models.CharField(max_length=64)
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "line_user_id"], name="line_link_unique_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} ↔ LINE"


class LinkNonce(models.Model):
    """Made when a signed-in person confirms linking; LINE sends it back in the accountLink event."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} @ {self.created_at}"


class Preference(models.Model):
    """How one person wants one kind of notification (platu/line/kinds.py); no row: the defaults."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    in_app = models.BooleanField(default=True)
    email = models.BooleanField(default=True)
    line = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="line_preference_unique")]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind}"


class Digest(models.Model):
    """A person who asked for their LINE messages once a day, together."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    daily = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.user}: {self.daily}"


class Delivery(models.Model):
    """One notification to go, or gone, by LINE."""

    class State(models.TextChoices):
        DIGEST = "digest", _("Waiting for the daily digest")
        PENDING = "pending", _("Waiting to be sent")
        RETRYING = "retrying", _("Waiting to be tried again")
        SENT = "sent", _("Sent")
        FELL_BACK = "fell_back", _("Not sent by LINE; sent by e-mail")
        FAILED = "failed", _("Not sent")

    notification = models.OneToOneField("notify.Notification", on_delete=models.CASCADE, related_name="line")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "user"])]
        verbose_name = _("LINE delivery")
        verbose_name_plural = _("LINE deliveries")

    def __str__(self) -> str:
        return f"{self.notification_id}: {self.state}"
