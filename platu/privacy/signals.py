"""At sign-in, compare the session with the current privacy notice (so pages need no query)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver


@receiver(user_logged_in)
def check_notice(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        from platu.privacy.middleware import check

        request.user = user
        check(request)
