"""The knowledge module's panels on the home page."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from platu.core.home import Entry, Panel, register
from platu.knowledge.models import Item
from platu.knowledge.worklist import worklist

SHOWN = 5


def _entries(items: list[Item], when: str = "updated_at") -> list[Entry]:
    return [
        Entry(item.title, item.get_absolute_url(), note=item.get_state_display(), when=getattr(item, when))
        for item in items[:SHOWN]
    ]


@register
def panels(request: HttpRequest) -> list[Panel]:
    work = worklist(request.user)
    mine = reverse("knowledge:my_work")
    recent = list(
        Item.objects.visible_to(request.user)
        .filter(state=Item.State.PUBLISHED)
        .select_related("organisation")
        .order_by("-published_at", "-pk")[:SHOWN]
    )
    return [
        Panel("to-review", _("Knowledge waiting for my review"), _entries(work["to_review"] + work["due"]),
              order=10, urgent=True, more_url=mine, more_label=_("My work")),
        Panel("needs-changes", _("My knowledge returned for changes"), _entries(work["needs_changes"]),
              order=20, urgent=True, more_url=mine, more_label=_("My work")),
        Panel("drafts", _("My drafts"), _entries(work["drafts"]), order=40, more_url=mine,
              more_label=_("My work")),
        Panel("recent", _("New knowledge in my network"),
              [Entry(i.title, i.get_absolute_url(), note=i.organisation.name, when=i.published_at) for i in recent],
              order=80, more_url=reverse("knowledge:repository"), more_label=_("The repository")),
    ]  # fmt: skip
