"""A community's feed: one list, newest first, of its sessions (by start time, from a week before
they start), the knowledge made from its sessions or linked to it that the viewer may read, and
its posts with their replies. Paged by a cursor (``?before=``): each source reads at most a page
and one row, so a page costs the same few queries however long the feed grows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from platu.communities.models import Community, Post, Session, SessionRecord
from platu.lib.ids import MAX_ID

PAGE = 20
UPCOMING = dt.timedelta(days=7)
SESSION, ITEM, POST = "session", "item", "post"
RANK = {SESSION: 0, ITEM: 1, POST: 2}  # the order of entries at the same moment
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
MICRO = dt.timedelta(microseconds=1)


@dataclass(frozen=True, order=True)
class Cursor:
    """A place in the feed: entries strictly older than (at, rank, pk) come after it."""

    at: dt.datetime
    rank: int
    pk: int

    def encode(self) -> str:
        return f"{(self.at - EPOCH) // MICRO}-{self.rank}-{self.pk}"

    @classmethod
    def decode(cls, text: str | None) -> Cursor | None:
        parts = (text or "").split("-")
        if len(parts) != 3 or not all(p.isdigit() and len(p) <= 20 for p in parts):
            return None
        micro, rank, pk = (int(p) for p in parts)
        if rank not in RANK.values() or not 0 < pk <= MAX_ID:
            return None
        try:
            return cls(EPOCH + micro * MICRO, rank, pk)
        except OverflowError:
            return None


@dataclass
class Entry:
    kind: str
    at: dt.datetime
    obj: Any
    replies: list[Post] = field(default_factory=list)

    @property
    def cursor(self) -> Cursor:
        return Cursor(self.at, RANK[self.kind], self.obj.pk)


@dataclass
class Page:
    entries: list[Entry]
    next_cursor: str  # "" on the last page


def cursor_at_post(post: Post) -> Cursor:
    """The cursor of a page that starts with this top-level post."""
    return Cursor(post.created_at, RANK[POST], post.pk + 1)


def _older(cursor: Cursor | None, kind: str, at: str) -> Q:
    if cursor is None:
        return Q()
    rank = RANK[kind]
    if rank < cursor.rank:
        return Q(**{f"{at}__lte": cursor.at})
    if rank > cursor.rank:
        return Q(**{f"{at}__lt": cursor.at})
    return Q(**{f"{at}__lt": cursor.at}) | Q(**{at: cursor.at, "pk__lt": cursor.pk})


def community_items(community: Community, user: Any) -> Any:
    """Knowledge made from the community's sessions or linked to it, as far as ``user`` may read."""
    from platu.knowledge.models import Item, ItemLink

    made = SessionRecord.items.through.objects.filter(sessionrecord__session__community=community)
    linked = ItemLink.objects.filter(kind=ItemLink.Kind.COMMUNITY, target_id=community.pk)
    return Item.objects.visible_to(user).filter(
        Q(pk__in=made.values("item_id")) | Q(pk__in=linked.values("item_id"))
    )


def build(community: Community, user: Any, *, cursor: Cursor | None = None, size: int = PAGE) -> Page:
    sessions = (
        Session.objects.filter(community=community, starts_at__lte=timezone.now() + UPCOMING)
        .filter(_older(cursor, SESSION, "starts_at"))
        .order_by("-starts_at", "-pk")[: size + 1]
    )
    items = (
        community_items(community, user)
        .annotate(feed_at=Coalesce("published_at", "created_at"))
        .filter(_older(cursor, ITEM, "feed_at"))
        .only("pk", "title", "kind", "state", "summary", "published_at", "created_at")
        .order_by("-feed_at", "-pk")[: size + 1]
    )
    posts = (
        Post.objects.filter(community=community, parent__isnull=True)
        .filter(_older(cursor, POST, "created_at"))
        .order_by("-created_at", "-pk")[: size + 1]
    )
    entries = (
        [Entry(SESSION, s.starts_at, s) for s in sessions]
        + [Entry(ITEM, i.feed_at, i) for i in items]
        + [Entry(POST, p.created_at, p) for p in posts]
    )
    entries.sort(key=lambda e: e.cursor, reverse=True)
    more = len(entries) > size
    entries = entries[:size]
    threads = {e.obj.pk: e for e in entries if e.kind == POST}
    if threads:
        for reply in Post.objects.filter(parent_id__in=threads).order_by("created_at", "pk"):
            threads[reply.parent_id].replies.append(reply)
    return Page(entries, entries[-1].cursor.encode() if more else "")


def latest_posts(community: Community, n: int = 3) -> list[Post]:
    """The newest top-level posts still standing (for the community's page)."""
    return list(
        Post.objects.filter(community=community, parent__isnull=True, removed_at__isnull=True).order_by(
            "-created_at", "-pk"
        )[:n]
    )
