"""Communities and their sessions in search (registered with the search service)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from platu.communities.models import Community, Session
from platu.search import registry
from platu.search.registry import Hit, Related, SearchField
from platu.search.snippets import highlight, snippet


class CommunityIndex(registry.Index):
    model = Community
    key = "communities"
    label = gettext_lazy("Communities")
    position = 35
    table_name = "search_community"
    fields = (
        SearchField("name", 10.0, "A"),
        SearchField("about", 3.0, "B"),  # purpose and charter
        SearchField("sessions", 1.0, "C"),  # its sessions' titles and agendas
    )
    text_fields = frozenset({"name", "purpose", "charter"})
    related = (Related("communities.Session", lambda s: [s.community_id], frozenset({"title", "agenda"})),)
    template = "orgs/search_organisation_hit.html"
    order = ("name", "pk")

    def documents(self, pks: Sequence[int], *, raw: bool) -> list[tuple[int, list[str], str | None]]:
        sessions: dict[int, list[str]] = {}
        for community_id, title, agenda in (
            Session.objects.filter(community_id__in=pks)
            .order_by("starts_at")
            .values_list("community_id", "title", "agenda")
        ):
            parts = sessions.setdefault(community_id, [])
            if title not in parts:
                parts.append(title)
            if agenda:
                parts.append(agenda)
        out: list[tuple[int, list[str], str | None]] = []
        for pk, name, purpose, charter in (
            Community.objects.filter(pk__in=pks)
            .order_by("pk")
            .values_list("pk", "name", "purpose", "charter")
        ):
            columns = [name, "\n".join(x for x in (purpose, charter) if x), "\n".join(sessions.get(pk, ()))]
            out.append((pk, columns, "\n".join(columns) if raw else None))
        return out

    def visible(self, user: Any, filters: dict[str, str]) -> QuerySet[Community]:
        return Community.objects.visible_to(user)

    def page(self, pks: Sequence[int]) -> dict[int, Any]:
        return Community.objects.select_related("organisation").in_bulk(list(pks))

    def hit(self, obj: Community, score: float, words: Sequence[str]) -> Hit:
        about = " · ".join(x for x in (obj.get_kind_display(), obj.organisation.name, obj.purpose) if x)
        return Hit(obj, score, highlight(obj.name, words), snippet(about, words), obj.get_absolute_url())


registry.register(CommunityIndex())
