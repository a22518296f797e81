"""The organisation page's "ผลงานเด่น" section: the winners of its announced award programmes,
in one query whatever their number."""

from __future__ import annotations

from typing import Any

from django import template

from platu.awards.models import Award, Programme

register = template.Library()
SHOWN = 12


@register.inclusion_tag("awards/includes/winners.html", takes_context=True)
def award_winners(context: Any, org: Any) -> dict[str, Any]:
    awards = list(
        Award.objects.filter(programme__organisation=org, programme__state=Programme.State.ANNOUNCED)
        .select_related("programme", "category")
        .order_by("-programme__announced_at", "programme_id", "category__order", "rank", "pk")[:SHOWN]
    )
    return {"awards": awards, "org": org, "request": context.get("request")}
