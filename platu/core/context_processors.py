from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from platu.orgs import access

TEXT_SIZES = ("normal", "large", "larger")


def shell(request: HttpRequest) -> dict[str, Any]:
    size = request.COOKIES.get("platu_text_size", "normal")
    user = getattr(request, "user", None)
    memberships = access.memberships_of(user) if user is not None else []
    unread = 0
    if user is not None and user.is_authenticated:
        from platu.notify.models import Notification

        unread = Notification.objects.filter(recipient=user, read_at=None).count()
    return {
        "unread_notifications": unread,
        "current_org": getattr(request, "org", None),
        "my_memberships": memberships,
        "text_size": size if size in TEXT_SIZES else "normal",
    }
