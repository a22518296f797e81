"""The community space in templates.

{% load communities_space %}
{{ post.body|post_body }}                      escaped, in paragraphs, @mentions highlighted
{% latest_posts community as latest %}         the 3 newest posts still standing (one query)
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe

from platu.communities import feed
from platu.communities.models import Community, Post
from platu.lib.mentions import highlight

register = template.Library()


@register.filter
def post_body(text: Any) -> SafeString:
    """Plain text as HTML: escaped first, then paragraphs and line breaks, then mentions."""
    paragraphs = linebreaks(str(text or ""), autoescape=True)  # escaped, though a plain str
    return highlight(mark_safe(paragraphs), "mention fw-semibold text-primary-emphasis")


@register.simple_tag
def latest_posts(community: Community, n: int = 3) -> list[Post]:
    return feed.latest_posts(community, n)
