"""E-mail for notifications, sent by the background worker."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from platu.notify.models import Notification


@task()
def email_notification(notification_id: int) -> bool:
    note = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if note is None or note.emailed_at is not None or not note.recipient.email:
        return False
    link = settings.PLATU_BASE_URL.rstrip("/") + note.url if note.url.startswith("/") else note.url
    with override("th"):
        body = "\n\n".join(
            part
            for part in (
                note.text,
                link,
                _("You receive this because you work with this item in Platu."),
            )
            if part
        )
        send_mail(
            f"[Platu] {note.text}"[:200],
            body,
            settings.DEFAULT_FROM_EMAIL,
            [note.recipient.email],
        )
    Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())
    return True
