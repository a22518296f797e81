"""The issue's bar: a demo user who types any Thai word from an item finds that item."""

from __future__ import annotations

from io import StringIO
from typing import Any

from django.core.management import call_command

from platu.knowledge.models import Item
from platu.knowledge.search import ITEM_INDEX, base_items, search_items
from platu.search import segment
from platu.search.query import parse
from platu.search.service import match


def test_every_thai_word_of_every_demo_item_finds_it(db: Any) -> None:
    call_command("platu_demo", stdout=StringIO())
    items = list(Item.objects.filter(state=Item.State.PUBLISHED).select_related("owner__user"))
    assert len(items) >= 10
    segmenter = segment.get_segmenter(refresh=True)
    missed: list[tuple[str, str]] = []
    tried = 0
    for item in items:
        user = item.owner.user
        visible = base_items(user, {})
        text = " ".join([item.title, item.summary, item.body_text])
        words, parts = segmenter.index_text(text)
        thai = sorted({w for w in [*words.split(), *parts] if segment.THAI_RE.search(w)})
        for word in thai:
            tried += 1
            found, _mode, total = match(visible, ITEM_INDEX.table, parse(word))
            if not total or not found.filter(pk=item.pk).exists():
                missed.append((item.title, word))
    assert tried > 500
    assert missed == []


def test_a_word_typed_with_its_neighbours_finds_the_item_on_the_first_page(db: Any) -> None:
    """Two neighbouring words of a title, as a user would type them, put the item on page one."""
    call_command("platu_demo", stdout=StringIO())
    segmenter = segment.get_segmenter(refresh=True)
    for item in Item.objects.filter(state=Item.State.PUBLISHED).select_related("owner__user"):
        words = [w for w in segmenter.tokens(item.title) if segment.THAI_RE.search(w)]
        query = " ".join(words[:2])
        results = search_items(item.owner.user, query, facets=False)
        assert item.pk in [hit.obj.pk for hit in results.hits], (item.title, query)
