"""Writing, reading and the history of knowledge items."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platu.knowledge import access, actions, counter, diff, links, workflow
from platu.knowledge.forms import AppliedForm, AttachmentForm, CommentForm, ItemForm, VideoForm, VoteForm
from platu.knowledge.models import AppliedReport, Comment, Item, ItemLink, Revision, Tag
from platu.knowledge.sanitize import html_to_text
from platu.knowledge.templates_body import all_templates, template_html
from platu.lib.errors import ActionRefused, EditConflict, InvalidAction
from platu.lib.ids import MAX_ID, parse_int
from platu.orgs.models import Organisation

from .common import current_org_or_none, no_org_message, uses_thai_digits

FIELDS = (
    "kind",
    "title",
    "summary",
    "body",
    "category",
    "source",
    "level",
    "visibility",
    "review_interval_months",
)


def _tag_suggestions(user: Any, org: Organisation) -> list[str]:
    """Tags of the organisation's items the user may read (not a colleague's private draft)."""
    readable = Item.objects.visible_to(user).filter(organisation=org).order_by().values("pk")
    return list(
        Tag.objects.filter(items__in=readable)
        .distinct()
        .order_by("name")
        .values_list("name", flat=True)[:300]
    )


def _editor_context(
    request: HttpRequest, org: Organisation, form: ItemForm, item: Item | None, **extra: Any
) -> dict[str, Any]:
    return {
        "org": org,
        "form": form,
        "item": item,
        "tag_suggestions": _tag_suggestions(request.user, org),
        "templates": all_templates(),
        **extra,
    }


def _bad_revision() -> str:
    return _("The page sent a revision number that is not valid. Reload the page and try again.")


def _apply(form: ItemForm, run: Any) -> tuple[Any, int | None]:
    """Run an action; refusals go on the form. Returns (result, current revision on conflict)."""
    try:
        return run(), None
    except InvalidAction as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    except EditConflict as exc:
        return None, exc.current_version
    return None, None


@login_required
def item_new(request: HttpRequest) -> HttpResponse:
    org = current_org_or_none(request)
    if org is None:
        messages.error(request, no_org_message())
        return redirect("knowledge:repository")
    if not (request.user.is_staff or access.is_member(request.user, org.pk)):  # type: ignore[union-attr]
        raise ActionRefused(_("Only members of the organisation may write its knowledge."))
    pending = actions.pending_autosave(request.user, org, None)
    if request.method == "POST":
        form = ItemForm(request.POST, org=org, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            item, _conflict = _apply(
                form,
                lambda: actions.create_item(
                    org,
                    acting_user=request.user,
                    tags=data["tags"],
                    coauthors=data["coauthors"],
                    sources=data["sources"],
                    **{k: data[k] for k in FIELDS},
                ),
            )
            if item is not None:
                if "communities" in form.fields:
                    links.set_links(item, "community", data["communities"], acting_user=request.user)
                messages.success(request, _("Saved as a draft. Submit it for review when it is ready."))
                return redirect(item.get_absolute_url())
    else:
        kind = request.GET.get("kind", "story")
        kind = kind if kind in Item.Kind.values else "story"
        initial: dict[str, Any] = {"kind": kind, "body": template_html(kind), "visibility": org.default_visibility,
                                   "source": "tacit", "level": "pocket", "review_interval_months": 12}  # fmt: skip
        if community := parse_int(request.GET.get("community"), maximum=MAX_ID):
            initial["communities"] = [community]  # "write knowledge" from a community's page
        if pending is not None and request.GET.get("restore"):
            initial.update({k: v for k, v in pending.data.items() if k in actions.AUTOSAVE_FIELDS and v})
            pending = None
        form = ItemForm(initial=initial, org=org, user=request.user)
    return render(
        request, "knowledge/item_form.html", _editor_context(request, org, form, None, pending=pending)
    )


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_item_for_user(request, pk)
    try:
        actions.require_editable(request.user, item)
    except InvalidAction as exc:
        messages.error(request, exc.message)
        return redirect(item.get_absolute_url())
    org = item.organisation
    conflict: dict[str, Any] | None = None
    pending = actions.pending_autosave(request.user, org, item)
    if request.method == "POST":
        form = ItemForm(request.POST, org=org, user=request.user, item=item)
        if form.is_valid():
            data = form.cleaned_data
            saved, current = _apply(
                form,
                lambda: actions.update_item(
                    item,
                    acting_user=request.user,
                    base_revision=data["base_revision"],
                    message=data.get("message", ""),
                    tags=data["tags"],
                    coauthors=data["coauthors"],
                    sources=data["sources"],
                    **{k: data[k] for k in FIELDS},
                ),
            )
            if saved is not None:
                if "communities" in form.fields:
                    links.set_links(saved, "community", data["communities"], acting_user=request.user)
                messages.success(request, _("Saved as revision %(n)s.") % {"n": saved.revision_no})
                return redirect(saved.get_absolute_url())
            if current is not None:
                theirs = Revision.objects.filter(item=item, number=current).first()
                assert theirs is not None
                post = request.POST.copy()
                post["base_revision"] = str(current)
                form = ItemForm(post, org=org, user=request.user, item=item)
                form.is_valid()
                form.add_error(
                    None,
                    _(
                        "%(name)s saved this item while you were editing (revision %(n)s). Nothing was overwritten: "
                        "compare below, merge what you need into your text, and save again to keep yours."
                    )
                    % {"name": theirs.author_name, "n": current},
                )
                mine_text = diff.revision_text(data["title"], data["summary"], html_to_text(data["body"]))
                theirs_text = diff.revision_text(theirs.title, theirs.summary, html_to_text(theirs.body))
                conflict = {"theirs": theirs, "rows": diff.compare(theirs_text, mine_text)}
    else:
        initial = {
            **{k: getattr(item, k) for k in FIELDS},
            "tags": ", ".join(item.tags.values_list("name", flat=True)),
            "coauthors": list(item.coauthors.all()),
            "sources": list(item.sources.all()),
            "base_revision": item.revision_no,
            "communities": links.linked_ids(item, "community"),
        }
        if pending is not None and request.GET.get("restore"):
            initial.update({k: v for k, v in pending.data.items() if k in actions.AUTOSAVE_FIELDS and v})
            pending = None
        form = ItemForm(initial=initial, org=org, user=request.user, item=item)
    return render(
        request,
        "knowledge/item_form.html",
        _editor_context(request, org, form, item, conflict=conflict, pending=pending),
    )


@login_required
@require_POST
def item_autosave(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if pk is not None:
        item = access.get_item_for_user(request, pk)
        org = item.organisation
    else:
        item = None
        found = current_org_or_none(request)
        if found is None:
            raise Http404
        org = found
    base = parse_int(request.POST.get("base_revision") or 0)
    if base is None:
        return JsonResponse({"ok": False, "message": _bad_revision()}, status=400)
    try:
        row = actions.autosave(
            org, acting_user=request.user, item=item, base_revision=base, data=request.POST.dict()
        )
    except (InvalidAction, ActionRefused) as exc:
        return JsonResponse({"ok": False, "message": exc.message}, status=409)
    if item is not None and base and item.revision_no != base:
        return JsonResponse(
            {"ok": True, "warning": _("Someone else has saved a newer revision; saving will show you both.")}
        )
    when = timezone.localtime(row.saved_at).strftime("%H:%M:%S")
    return JsonResponse({"ok": True, "message": _("Draft saved automatically at %(time)s") % {"time": when}})


def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_item_for_user(request, pk)
    user = request.user
    is_author = access.is_author(user, item)
    is_reviewer = access.is_reviewer(user, item)
    see_review = is_author or is_reviewer or getattr(user, "is_staff", False)
    comments = [
        c for c in Comment.objects.filter(item=item).select_related("author") if see_review or not c.is_review
    ]
    children: dict[int | None, list[Comment]] = {}
    for c in comments:
        children.setdefault(c.parent_id, []).append(c)
    thread: list[tuple[Comment, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for c in children.get(parent, []):
            thread.append((c, min(depth, 4)))
            walk(c.pk, depth + 1)

    walk(None, 0)
    tally = (
        workflow.tally(item)
        if see_review and item.state in ("submitted", "in_review", "approved", "needs_changes")
        else None
    )
    coauthors = list(item.coauthors.all())  # prefetched
    authenticated = user.is_authenticated
    useful_mine = authenticated and item.useful_votes.filter(user=user).exists()
    if item.is_live:
        counter.record_view(request, item.pk, "web" if authenticated else "public")
    context = {
        "item": item,
        "coauthors": coauthors,
        "tags": list(item.tags.all()),
        "attachments": list(item.attachments.all()),
        "videos": list(item.videos.all()),
        "links": list(item.links.all()),
        # The community sessions it was made from (communities' record, by its related name).
        "from_sessions": _from_sessions(item, user) if authenticated else [],
        "sources": list(item.sources.visible_to(user).only("pk", "title", "kind")),
        "distilled_into": list(item.distilled_into.visible_to(user).only("pk", "title", "kind")),
        "thread": thread,
        "is_author": is_author,
        "is_reviewer": is_reviewer,
        "see_review": see_review,
        "tally": tally,
        "can_edit": is_author and item.state in Item.EDITABLE_STATES,
        "can_publish": authenticated and workflow.can_publish(user, item),
        "can_archive": authenticated and workflow.can_archive(user, item),
        "useful_mine": useful_mine,
        "applied": list(AppliedReport.objects.filter(item=item).select_related("organisation")[:50]),
        "comment_form": CommentForm() if authenticated else None,
        "vote_form": VoteForm() if is_reviewer and item.state in ("submitted", "in_review") else None,
        "applied_form": AppliedForm(use_thai_digits=uses_thai_digits(request))
        if authenticated and item.is_live
        else None,
        "attachment_form": AttachmentForm() if is_author else None,
        "video_form": VideoForm() if is_author else None,
        "ItemLink": ItemLink,
    }
    return render(request, "knowledge/item_detail.html", context)


@login_required
def item_history(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_item_for_user(request, pk)
    revisions = list(Revision.objects.filter(item=item).defer("body").select_related("author"))
    return render(request, "knowledge/history.html", {"item": item, "revisions": revisions,
                                                      "can_edit": access.is_author(request.user, item)})  # fmt: skip


def _revision(item: Item, number: Any) -> Revision:
    try:
        revision = Revision.objects.filter(item=item, number=int(number)).first()
    except (TypeError, ValueError):
        revision = None
    if revision is None:
        raise Http404
    return revision


@login_required
def item_revision(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    item = access.get_item_for_user(request, pk)
    revision = _revision(item, number)
    return render(request, "knowledge/revision.html", {"item": item, "revision": revision,
                                                       "can_edit": access.is_author(request.user, item)})  # fmt: skip


@login_required
def item_diff(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_item_for_user(request, pk)
    a = _revision(item, request.GET.get("a"))
    b = _revision(item, request.GET.get("b"))
    if a.number > b.number:
        a, b = b, a
    rows = diff.compare(
        diff.revision_text(a.title, a.summary, html_to_text(a.body)),
        diff.revision_text(b.title, b.summary, html_to_text(b.body)),
    )
    changed = any(r.op != "same" for r in rows)
    return render(
        request, "knowledge/diff.html", {"item": item, "a": a, "b": b, "rows": rows, "changed": changed}
    )


@login_required
@require_POST
def item_restore(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    item = access.get_item_for_user(request, pk)
    _revision(item, number)
    base = parse_int(request.POST.get("base_revision") or 0)
    if base is None:
        raise BadRequest(_bad_revision())
    try:
        actions.restore_revision(item, number, acting_user=request.user, base_revision=base)
    except EditConflict:
        messages.error(
            request, _("The item changed since you opened its history. Look again before restoring.")
        )
        return redirect("knowledge:history", pk=item.pk)
    except InvalidAction as exc:
        messages.error(request, exc.message)
        return redirect("knowledge:history", pk=item.pk)
    messages.success(request, _("Revision %(n)s restored as a new revision.") % {"n": number})
    return redirect(item.get_absolute_url())


def _from_sessions(item: Item, user: Any) -> list[Any]:
    """The community sessions the item was made from, those the reader may see."""
    from platu.communities.models import Community

    visible = Community.objects.visible_to(user)
    return list(item.community_sessions.filter(session__community__in=visible).select_related("session"))
