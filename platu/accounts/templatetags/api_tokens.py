from __future__ import annotations

from typing import Any

from django import template

from platu.accounts import tokens
from platu.accounts.models import ApiToken

register = template.Library()


@register.simple_tag
def api_tokens_of(user: Any) -> list[ApiToken]:
    """The user's API tokens, newest first (for the profile page's section)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(tokens.tokens_of(user)[:50])
