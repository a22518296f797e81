"""The daily LINE digest: everything kept for a person since yesterday, in one message (LINE
counts messages against the account's monthly quota)."""

from __future__ import annotations

import uuid
from collections import defaultdict

from django.db import transaction

from platu.core.housekeeping import register


@register("line.digest")
def digest() -> str:
    from platu.line.models import Delivery
    from platu.line.tasks import push_line

    waiting: dict[int, list[int]] = defaultdict(list)
    for pk, user_id in (
        Delivery.objects.filter(state=Delivery.State.DIGEST).order_by("pk").values_list("pk", "user_id")
    ):
        waiting[user_id].append(pk)
    for ids in waiting.values():
        with transaction.atomic():
            Delivery.objects.filter(pk__in=ids, state=Delivery.State.DIGEST).update(
                state=Delivery.State.PENDING
            )
            transaction.on_commit(lambda ids=ids: push_line.enqueue(ids, str(uuid.uuid4()), 1))  # type: ignore[misc]
    return f"{len(waiting)} LINE digest(s) sent"
