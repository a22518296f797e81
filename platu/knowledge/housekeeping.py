"""The knowledge repository's daily jobs."""

from __future__ import annotations

from platu.core.housekeeping import register


@register("knowledge.views")
def write_views() -> str:
    from platu.knowledge import counter

    return f"{counter.flush()} view(s) written"


@register("knowledge.stale")
def mark_due() -> str:
    from platu.knowledge.workflow import mark_stale

    return f"{mark_stale()} item(s) marked as due for review"
