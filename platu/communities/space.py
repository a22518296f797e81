"""The community space: posts and replies with @mentions. Each action checks permission, runs in
one transaction, writes an audit row and notifies only those it concerns: the people mentioned
(who may see the community) and, on a reply, the author of the post replied to.

- Post and reply: the community's members and its managers, while it is not closed; replies are
  one level deep, to a top-level post of the same community that is not removed.
- Edit: the author, for ``EDIT_WINDOW`` after posting (``edited_at`` is kept and shown).
- Remove: the author or a manager; the text is hidden, the replies stay.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from platu.accounts.models import User
from platu.audit.log import record
from platu.communities import access
from platu.communities.models import Community, Post
from platu.lib.errors import ActionRefused, InvalidAction
from platu.lib.mentions import usernames_in
from platu.notify.send import notify
from platu.orgs import access as org_access

MAX_BODY = 5_000
EDIT_WINDOW = dt.timedelta(days=7)


def may_post(user: Any, community: Community) -> bool:
    return community.status != Community.Status.CLOSED and (
        access.is_member(user, community) or access.can_manage(user, community)
    )


def can_edit(user: Any, post: Post) -> bool:
    """The author's own post, not removed, within the edit window (the view adds may_post)."""
    return (
        post.removed_at is None
        and post.author_id is not None
        and post.author_id == getattr(user, "pk", None)
        and timezone.now() - post.created_at <= EDIT_WINDOW
    )


def can_remove(user: Any, post: Post, *, manager: bool) -> bool:
    if post.removed_at is not None:
        return False
    return manager or (post.author_id is not None and post.author_id == getattr(user, "pk", None))


def post_url(post: Post) -> str:
    """The feed from the post's thread down, at the post itself."""
    thread = post.parent_id or post.pk
    return f"{reverse('communities:feed', args=[post.community_id])}?post={thread}#post-{post.pk}"


def mentioned_users(text: str, community: Community) -> list[Any]:
    """Active users named as @username who may see the community."""
    names = usernames_in(text)
    if not names:
        return []
    users = User.objects.filter(username__in=names, is_active=True).order_by("pk")
    return [u for u in users if Community.objects.visible_to(u).filter(pk=community.pk).exists()]


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise InvalidAction(_("Write a message first."), field="body")
    if len(body) > MAX_BODY:
        raise InvalidAction(
            _("A message may have at most %(n)s characters; this one has %(count)s.")
            % {"n": f"{MAX_BODY:,}", "count": f"{len(body):,}"},
            field="body",
        )
    return body


def _require_may_post(user: Any, community: Community) -> None:
    if community.status == Community.Status.CLOSED:
        raise ActionRefused(_("This community is closed: its space is read-only."))
    if not (access.is_member(user, community) or access.can_manage(user, community)):
        raise ActionRefused(_("Only the community's members may post in its space. Join it first."))


@transaction.atomic
def add_post(community: Community, *, body: str, acting_user: Any, parent: Post | None = None) -> Post:
    """A new post, or with ``parent`` a reply to a top-level post of the same community."""
    _require_may_post(acting_user, community)
    if parent is not None:
        if parent.community_id != community.pk or parent.parent_id is not None:
            raise InvalidAction(_("You can only reply to a post of this community."))
        if parent.removed_at is not None:
            raise InvalidAction(_("This post has been removed; it takes no more replies."))
    body = _clean_body(body)
    person = org_access.person_of(acting_user)
    post = Post.objects.create(
        community=community,
        parent=parent,
        author=acting_user,
        author_name=person.full_name if person else acting_user.get_username(),
        body=body,
    )
    record("community.post", actor=acting_user, obj=post, organisation=community.organisation,
           data={"community": community.pk, "parent": parent.pk if parent else None})  # fmt: skip
    url = post_url(post)
    mentioned = mentioned_users(body, community)
    notify(mentioned, kind="community.mention", url=url, actor=acting_user,
           text=_("%(name)s mentioned you in %(community)s") % {"name": post.author_name, "community": community.name})  # fmt: skip
    if parent is not None and parent.author_id and parent.author_id not in {u.pk for u in mentioned}:
        reply_to = User.objects.filter(pk=parent.author_id, is_active=True).first()
        if reply_to is not None and Community.objects.visible_to(reply_to).filter(pk=community.pk).exists():
            notify([reply_to], kind="community.reply", url=url, actor=acting_user,
                   text=_("%(name)s replied to your post in %(community)s")
                   % {"name": post.author_name, "community": community.name})  # fmt: skip
    return post


def reply(parent: Post, *, body: str, acting_user: Any) -> Post:
    return add_post(parent.community, body=body, acting_user=acting_user, parent=parent)


@transaction.atomic
def edit_post(post: Post, *, body: str, acting_user: Any) -> Post:
    """The author changes their post; people newly mentioned are told, nobody else."""
    community = post.community
    _require_may_post(acting_user, community)
    if not can_edit(acting_user, post):
        raise ActionRefused(
            _("You can edit only your own posts, for %(days)s days after posting.")
            % {"days": EDIT_WINDOW.days}
        )
    body = _clean_body(body)
    if body == post.body:
        return post
    before = usernames_in(post.body)
    post.body = body
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "edited_at"])
    record("community.post_edit", actor=acting_user, obj=post, organisation=community.organisation,
           data={"community": community.pk})  # fmt: skip
    new = [u for u in mentioned_users(body, community) if u.get_username() not in before]
    notify(new, kind="community.mention", url=post_url(post), actor=acting_user,
           text=_("%(name)s mentioned you in %(community)s") % {"name": post.author_name, "community": community.name})  # fmt: skip
    return post


@transaction.atomic
def remove_post(post: Post, *, acting_user: Any) -> None:
    """Hide a post's text (its replies stay); by its author or the community's managers."""
    community = post.community
    if post.removed_at is not None:
        return
    if not can_remove(acting_user, post, manager=access.can_manage(acting_user, community)):
        raise ActionRefused(
            _(
                "Only its author, the community's facilitators and the organisation's administrators may remove a post."
            )
        )
    post.removed_at = timezone.now()
    post.save(update_fields=["removed_at"])
    record("community.post_remove", actor=acting_user, obj=post, organisation=community.organisation,
           data={"community": community.pk, "author": post.author_id})  # fmt: skip
