from __future__ import annotations

from django.conf import settings
from django.db import models


class Claims(models.Model):
    """What the provider says about one of its users."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="claims")
    email = models.CharField(max_length=200, blank=True)
    email_verified = models.BooleanField(default=False)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    pid = models.CharField(max_length=13, blank=True)

    class Meta:
        app_label = "oidc_provider"

    def __str__(self) -> str:
        return self.email
