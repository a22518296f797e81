"""Helpers shared by the knowledge views."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from platu.knowledge.models import Item
from platu.lib.errors import ActionRefused, InvalidAction
from platu.orgs.models import Organisation


def current_org_or_none(request: HttpRequest) -> Organisation | None:
    return getattr(request, "org", None)


def uses_thai_digits(request: HttpRequest) -> bool:
    """The current organisation's digits choice (what {% thnum %} follows on the page)."""
    return bool(getattr(current_org_or_none(request), "thai_digits", False))


def run_or_message(request: HttpRequest, item: Item, run: Any, success: str) -> HttpResponse:
    """Run a POST action on an item; show its refusal as a message. Always back to the item."""
    try:
        run()
    except (InvalidAction, ActionRefused) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect(item.get_absolute_url())


def no_org_message() -> str:
    return _("You are not a member of any organisation yet, so you cannot write knowledge.")
