"""What an item serves, chosen on the item form: modules that own the targets (communities now;
KPIs and needed knowledge through the plan) register a provider of the choices a user may link
to. Knowledge imports none of them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction

from platu.audit.log import record
from platu.knowledge.models import Item, ItemLink

# (user, item or None) -> [(target id, label)] the user may link the item to.
Provider = Callable[[Any, Item | None], list[tuple[int, str]]]
_providers: dict[str, Provider] = {}


def register(kind: str, provider: Provider) -> None:
    assert kind in ItemLink.Kind.values, kind
    _providers[kind] = provider


def choices(kind: str, user: Any, item: Item | None) -> list[tuple[int, str]]:
    provider = _providers.get(kind)
    return provider(user, item) if provider else []


def linked_ids(item: Item, kind: str) -> list[int]:
    targets = item.links.filter(kind=kind, target_id__isnull=False).values_list("target_id", flat=True)
    return [t for t in targets if t is not None]


@transaction.atomic
def set_links(item: Item, kind: str, ids: Iterable[int], *, acting_user: Any) -> bool:
    """Make the item's links of ``kind`` the chosen ones, among those the user may choose (links
    the user may not choose stay as they are). Returns whether anything changed."""
    allowed = dict(choices(kind, acting_user, item))
    wanted = {int(i) for i in ids if int(i) in allowed}
    current = {link.target_id: link for link in item.links.filter(kind=kind, target_id__isnull=False)}
    removed = [link for target, link in current.items() if target in allowed and target not in wanted]
    added = [target for target in wanted if target not in current]
    for link in removed:
        link.delete()
    ItemLink.objects.bulk_create(
        ItemLink(item=item, kind=kind, target_id=t, label=allowed[t][:300]) for t in added
    )
    if removed or added:
        record("knowledge.links", actor=acting_user, obj=item, organisation=item.organisation,
               data={"kind": kind, "added": sorted(added), "removed": sorted(link.target_id or 0 for link in removed)})  # fmt: skip
    return bool(removed or added)
