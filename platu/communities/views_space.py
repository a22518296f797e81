"""The community space: feed, posts and replies. Every view reaches the community through
``get_community_for_user`` (404 for what the user may not see) and a post only within it."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platu.communities import access, feed, space
from platu.communities.models import Community, Post
from platu.lib.errors import ActionRefused, InvalidAction
from platu.lib.ids import MAX_ID, parse_int


@dataclass
class OpenForm:
    """A form shown again after bad input: which one, the typed text and the message."""

    op: str  # "post", "reply" or "edit"
    post: int | None
    body: str
    error: str


def _post_in(community: Community, post_pk: int) -> Post:
    post = Post.objects.filter(community=community, pk=post_pk).first()
    if post is None:
        raise Http404
    post.community = community
    return post


def _render_feed(
    request: HttpRequest, community: Community, *, form: OpenForm | None = None, thread: Post | None = None
) -> HttpResponse:
    cursor = None
    if thread is None:
        thread_pk = parse_int(request.GET.get("post"), maximum=MAX_ID)
        if thread_pk:
            thread = Post.objects.filter(community=community, pk=thread_pk, parent__isnull=True).first()
    if thread is not None:
        cursor = feed.cursor_at_post(thread)
    else:
        cursor = feed.Cursor.decode(request.GET.get("before"))
    page = feed.build(community, request.user, cursor=cursor)
    manager = access.can_manage(request.user, community)
    may_post = community.status != Community.Status.CLOSED and (
        manager or access.is_member(request.user, community)
    )
    posts = [p for e in page.entries if e.kind == feed.POST for p in (e.obj, *e.replies)]
    editable = {p.pk for p in posts if may_post and space.can_edit(request.user, p)}
    removable = {p.pk for p in posts if space.can_remove(request.user, p, manager=manager)}
    return render(request, "communities/feed.html", {
        "community": community, "org": community.organisation, "page": page, "paged": cursor is not None,
        "may_post": may_post, "can_manage": manager, "editable": editable, "removable": removable,
        "form": form, "max_body": space.MAX_BODY,
    })  # fmt: skip


@login_required
def feed_view(request: HttpRequest, pk: int) -> HttpResponse:
    community = access.get_community_for_user(request, pk)
    return _render_feed(request, community)


@login_required
@require_POST
def post_add(request: HttpRequest, pk: int) -> HttpResponse:
    community = access.get_community_for_user(request, pk)
    body = request.POST.get("body", "")
    try:
        post = space.add_post(community, body=body, acting_user=request.user)
    except (ActionRefused, InvalidAction) as exc:
        if isinstance(exc, InvalidAction) and exc.field == "body":
            return _render_feed(request, community, form=OpenForm("post", None, body, exc.message))
        messages.error(request, exc.message)
        return redirect("communities:feed", community.pk)
    messages.success(request, _("Your post is in the community space."))
    return redirect(space.post_url(post))


@login_required
@require_POST
def post_reply(request: HttpRequest, pk: int, post_pk: int) -> HttpResponse:
    community = access.get_community_for_user(request, pk)
    parent = _post_in(community, post_pk)
    body = request.POST.get("body", "")
    try:
        post = space.reply(parent, body=body, acting_user=request.user)
    except (ActionRefused, InvalidAction) as exc:
        if isinstance(exc, InvalidAction) and exc.field == "body":
            form = OpenForm("reply", parent.pk, body, exc.message)
            return _render_feed(request, community, form=form, thread=parent)
        messages.error(request, exc.message)  # not to be fixed by typing: refused, or no such thread
        return redirect(space.post_url(parent))
    messages.success(request, _("Your reply has been posted."))
    return redirect(space.post_url(post))


@login_required
@require_POST
def post_edit(request: HttpRequest, pk: int, post_pk: int) -> HttpResponse:
    community = access.get_community_for_user(request, pk)
    post = _post_in(community, post_pk)
    body = request.POST.get("body", "")
    try:
        space.edit_post(post, body=body, acting_user=request.user)
    except (ActionRefused, InvalidAction) as exc:
        if isinstance(exc, InvalidAction) and exc.field == "body":
            thread = post.parent if post.parent_id else post
            return _render_feed(
                request, community, form=OpenForm("edit", post.pk, body, exc.message), thread=thread
            )
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Saved."))
    return redirect(space.post_url(post))


@login_required
@require_POST
def post_remove(request: HttpRequest, pk: int, post_pk: int) -> HttpResponse:
    community = access.get_community_for_user(request, pk)
    post = _post_in(community, post_pk)
    try:
        space.remove_post(post, acting_user=request.user)
    except ActionRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The post has been removed."))
    return redirect(space.post_url(post))


urlpatterns: list[URLPattern] = [
    path("communities/<int:pk>/feed/", feed_view, name="feed"),
    path("communities/<int:pk>/feed/posts/", post_add, name="post_add"),
    path("communities/<int:pk>/feed/posts/<int:post_pk>/reply/", post_reply, name="post_reply"),
    path("communities/<int:pk>/feed/posts/<int:post_pk>/edit/", post_edit, name="post_edit"),
    path("communities/<int:pk>/feed/posts/<int:post_pk>/remove/", post_remove, name="post_remove"),
]
