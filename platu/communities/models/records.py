"""Photos and files of a session's record, and the hours approved per academic term and the
organisation's minimum."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from platu.communities.models.base import Session


def record_file_path(instance: RecordFile, filename: str) -> str:
    # Random names only: nothing of the uploaded name reaches the file system.
    return f"communities/{instance.uid.hex[:2]}/{instance.uid.hex}"


class RecordFile(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="files")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(upload_to=record_file_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("photo or file of a session")
        verbose_name_plural = _("photos and files of sessions")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("communities:record_file", args=[self.uid])

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class HoursPolicy(models.Model):
    """The minimum PLC hours a year an organisation sets for its people (50 by default)."""

    organisation = models.OneToOneField(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="plc_hours_policy"
    )
    minimum_hours = models.DecimalField(
        _("minimum PLC hours a year"), max_digits=5, decimal_places=1, default=Decimal(50)
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("PLC hours policy")
        verbose_name_plural = _("PLC hours policies")

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.minimum_hours}"


class TermApproval(models.Model):
    """The head's approval of one person's PLC hours for one academic term: every session they
    attended in the term counts as approved (beside records signed session by session)."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("orgs.Person", on_delete=models.CASCADE, related_name="+")
    academic_year = models.PositiveIntegerField(_("academic year"))
    term = models.PositiveSmallIntegerField(_("academic term"))
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=2)
    approved_by = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField()

    class Meta:
        verbose_name = _("term approval of PLC hours")
        verbose_name_plural = _("term approvals of PLC hours")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person", "academic_year", "term"], name="unique_term_approval"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.term}/{self.academic_year}"
