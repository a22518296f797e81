from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """The login account. The person behind it (names, position, memberships)
    is ``orgs.Person``; an account is optional for a person, not the reverse."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"


class ApiToken(models.Model):
    """A key for the HTTP API (`Authorization: Bearer <key>`). Only its SHA-256 is stored;
    the key is shown once, when made (on the profile page or `python manage.py platu_api_token`).
    A token reads (scope "read") or also writes ("write"), until it expires or is revoked."""

    READ = "read"
    WRITE = "write"
    SCOPES = (READ, WRITE)
    DEFAULT_DAYS = 90
    MAX_DAYS = 366

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.CharField(_("scopes"), max_length=50, default=READ)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} · {self.name}"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def scope_list(self) -> list[str]:
        return [s for s in self.scopes.split() if s in self.SCOPES]

    def allows(self, scope: str) -> bool:
        return scope in self.scope_list

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @classmethod
    def issue(
        cls, user: User, name: str, *, scopes: Iterable[str] = (READ,), days: int | None = DEFAULT_DAYS
    ) -> tuple[ApiToken, str]:
        """A new token; "write" implies "read". ``days=None``: it never expires (the command only)."""
        wanted = {s for s in scopes if s in cls.SCOPES} or {cls.READ}
        if cls.WRITE in wanted:
            wanted.add(cls.READ)
        key = "platu_" + secrets.token_urlsafe(32)
        expires = timezone.now() + dt.timedelta(days=days) if days is not None else None
        token = cls.objects.create(
            user=user,
            name=name,
            digest=cls.hash(key),
            scopes=" ".join(s for s in cls.SCOPES if s in wanted),
            expires_at=expires,
        )
        return token, key

    def revoke(self) -> bool:
        """Stop the token now; False if it was already revoked."""
        if self.revoked_at is not None:
            return False
        self.revoked_at = timezone.now()
        ApiToken.objects.filter(pk=self.pk).update(revoked_at=self.revoked_at)
        return True


class SignInPolicy(models.Model):
    """Which ways of signing in an organisation's members may use (docs/govsignin.md): the
    password and each configured government provider by its id ("dga", "thaid"). An organisation
    without one follows its nearest parent office's; with none, every way is allowed."""

    organisation = models.OneToOneField(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="sign_in_policy"
    )
    methods = models.CharField(_("ways of signing in"), max_length=200)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("sign-in policy")
        verbose_name_plural = _("sign-in policies")

    def __str__(self) -> str:
        return f"{self.organisation} · {self.methods}"

    @property
    def method_list(self) -> list[str]:
        return self.methods.split()


class LinkRequest(models.Model):
    """A first government sign-in that could not be tied to an account by a verified e-mail: it
    waits for an organisation administrator to choose the account (never matched by name). The
    citizen id, if the provider sent one, is kept only as a keyed hash."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    STATUSES = (
        (PENDING, _("Waiting")),
        (CONFIRMED, _("Confirmed")),
        (REJECTED, _("Refused")),
    )

    reference = models.CharField(max_length=12, unique=True, editable=False)
    provider = models.CharField(max_length=30)
    uid = models.CharField(max_length=255)
    email = models.CharField(max_length=254, blank=True)
    email_verified = models.BooleanField(default=False)
    name = models.CharField(max_length=200, blank=True)
    citizen_id_hmac = models.CharField(max_length=64, blank=True)
    extra_data = models.JSONField(default=dict)  # the claims, citizen id already removed
    organisation = models.ForeignKey(
        "orgs.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    suggested_user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=STATUSES, default=PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("sign-in link request")
        verbose_name_plural = _("sign-in link requests")
        ordering = ["-last_seen_at"]
        indexes = [models.Index(fields=["provider", "uid"])]

    def __str__(self) -> str:
        return f"{self.provider} · {self.reference}"
