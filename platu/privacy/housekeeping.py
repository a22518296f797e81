"""Daily PDPA jobs: audit rows and data downloads past their retention are deleted; an open breach
close to its 72-hour deadline reminds the installation's administrators."""

from __future__ import annotations

import datetime as dt

from django.db import models, transaction
from django.utils import timezone

from platu.core.housekeeping import register

REMIND_HOURS = 24  # remind when less than this is left before the PDPC deadline


@register("privacy.retention")
def retention() -> str:
    from platu.audit.models import AuditEntry
    from platu.privacy import export
    from platu.privacy.models import DataExport, PrivacySettings

    conf = PrivacySettings.get()
    removed = 0
    if conf.audit_retention_days:
        cutoff = timezone.now() - dt.timedelta(days=conf.audit_retention_days)
        # The audit log's own manager refuses deletes; retention is the one sanctioned way.
        removed, _kinds = models.QuerySet(model=AuditEntry).filter(at__lt=cutoff).delete()
    now = timezone.now()
    old = DataExport.objects.filter(
        models.Q(expires_at__lte=now)
        | models.Q(requested_at__lte=now - dt.timedelta(days=max(conf.export_retention_days, 1)))
    ).exclude(state=DataExport.State.EXPIRED)
    expired = 0
    for row in old:
        export.remove(row.path)
        DataExport.objects.filter(pk=row.pk).update(state=DataExport.State.EXPIRED, path="")
        expired += 1
    return f"{removed} audit row(s) past retention deleted, {expired} download(s) expired"


@register("privacy.breaches")
def breaches() -> str:
    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from django.utils.translation import gettext as _
    from django.utils.translation import override

    from platu.notify.send import notify
    from platu.privacy.models import Breach

    soon = timezone.now() + dt.timedelta(hours=REMIND_HOURS)
    due = Breach.objects.filter(closed=False, pdpc_notified_at__isnull=True, reminded=False).exclude(
        risk=Breach.Risk.LOW
    )
    staff = list(get_user_model().objects.filter(is_staff=True, is_active=True))
    count = 0
    for breach in due:
        if breach.deadline > soon:
            continue
        with transaction.atomic(), override("th"):
            notify(
                staff,
                kind="privacy.breach",
                text=_("A personal data breach must be reported to the PDPC within 72 hours of discovery."),
                url=reverse("privacy:breach", args=[breach.pk]),
            )
            Breach.objects.filter(pk=breach.pk).update(reminded=True)
        count += 1
    return f"{count} breach reminder(s)"
