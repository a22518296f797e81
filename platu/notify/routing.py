"""Which way each new notification goes beyond the in-app list. A module built on notify (the LINE
app) registers a router; without one, every notification is e-mailed when the caller asks."""

from __future__ import annotations

from collections.abc import Callable

from platu.notify.models import Notification

# Given the new notifications and whether the caller allows e-mail, the ids to e-mail.
Router = Callable[[list[Notification], bool], list[int]]
_router: list[Router] = []


def register(router: Router) -> None:
    _router[:] = [router]


def route(created: list[Notification], email: bool) -> list[int]:
    if _router:
        return _router[0](created, email)
    return [n.pk for n in created] if email else []
