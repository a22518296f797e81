"""POST endpoints on an item: vetting, votes, comments, useful, applied, files; and
permission-checked downloads."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platu.knowledge import access, actions, engage, workflow
from platu.knowledge.files import file_response
from platu.knowledge.forms import AppliedForm, AttachmentForm, CommentForm, VideoForm, VoteForm
from platu.knowledge.models import AppliedReport, Attachment, Comment, Item
from platu.lib.errors import ActionRefused, InvalidAction

from .common import run_or_message, uses_thai_digits

SUCCESS = {
    "submit": lambda: _("Submitted. The brain bank has been notified."),
    "withdraw": lambda: _("Withdrawn from review. It is a draft again."),
    "start_review": lambda: _("You have started the review. The authors have been told."),
    "publish": lambda: _("Published. Readers can now find it in the repository."),
    "rereview": lambda: _("Re-reviewed: the item stays published until its next review date."),
    "archive": lambda: _("Archived."),
    "unarchive": lambda: _("Taken out of the archive as a draft."),
}


def _retry(request: HttpRequest, item: Item, form: Any, url_name: str, heading: str) -> HttpResponse:
    """The form again, with what the user typed and the reason it was refused."""
    return render(
        request,
        "knowledge/retry.html",
        {"item": item, "form": form, "action": reverse(url_name, args=[item.pk]), "heading": heading},
        status=400,
    )


@login_required
@require_POST
def transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    action = workflow.TRANSITIONS.get(name)
    if action is None:
        raise Http404
    item = access.get_item_for_user(request, pk)
    return run_or_message(request, item, lambda: action(item, acting_user=request.user), str(SUCCESS[name]()))


@login_required
@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_item_for_user(request, pk)
    form = VoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or needs changes."))
        return redirect(item.get_absolute_url())
    data = form.cleaned_data
    try:
        workflow.vote(
            item, acting_user=request.user, choice=data["vote"], comment=data["comment"], quote=data["quote"]
        )
    except (InvalidAction, ActionRefused) as exc:
        messages.error(request, exc.message)
        return _retry(request, item, form, "knowledge:vote", _("Your vote"))
    messages.success(request, _("Your vote was recorded."))
    return redirect(item.get_absolute_url())


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_item_for_user(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        parent = None
        if data["parent"]:
            parent = Comment.objects.filter(item=item, pk=data["parent"]).first()
            if parent is None or (parent.is_review and not engage.can_see_review(request.user, item)):
                raise Http404
        try:
            made = engage.add_comment(
                item, acting_user=request.user, body=data["body"], parent=parent, quote=data["quote"],
                review=bool(data["review"]),
            )  # fmt: skip
        except (InvalidAction, ActionRefused) as exc:
            form.add_error("body", exc.message)
        else:
            return redirect(f"{item.get_absolute_url()}#comment-{made.pk}")
    return _retry(request, item, form, "knowledge:comment", _("Comment"))


@login_required
@require_POST
def useful(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_item_for_user(request, pk)
    try:
        marked = engage.toggle_useful(item, acting_user=request.user)
    except InvalidAction as exc:
        messages.error(request, exc.message)
        return redirect(item.get_absolute_url())
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "knowledge/includes/useful.html", {"item": item, "useful_mine": marked})
    return redirect(item.get_absolute_url())


@login_required
@require_POST
def applied(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_item_for_user(request, pk)
    form = AppliedForm(request.POST, request.FILES, use_thai_digits=uses_thai_digits(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            engage.report_applied(
                item, acting_user=request.user, applied_on=data["applied_on"], where=data["where"],
                outcome=data["outcome"], evidence=data["evidence"], organisation=getattr(request, "org", None),
            )  # fmt: skip
        except (InvalidAction, ActionRefused) as exc:
            field: Any = getattr(exc, "field", None)
            form.add_error(
                "evidence" if field == "file" else (field if field in form.fields else None), exc.message
            )
        else:
            messages.success(request, _("Thank you. Your report was recorded."))
            return redirect(f"{item.get_absolute_url()}#applied")
    return _retry(request, item, form, "knowledge:applied", _("I applied this"))


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_item_for_user(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.add_attachment(item, form.cleaned_data["file"], acting_user=request.user)
        except (InvalidAction, ActionRefused) as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(request, _("The file was attached."))
            return redirect(f"{item.get_absolute_url()}#files")
    return _retry(request, item, form, "knowledge:attachment_add", _("Attach a file"))


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int, uid: uuid.UUID) -> HttpResponse:
    item = access.get_item_for_user(request, pk)
    attachment = Attachment.objects.filter(item=item, uid=uid).first()
    if attachment is None:
        raise Http404
    return run_or_message(
        request,
        item,
        lambda: actions.delete_attachment(attachment, acting_user=request.user),
        _("The file was removed."),
    )


@login_required
@require_POST
def video_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = access.get_item_for_user(request, pk)
    form = VideoForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the full address of the video, starting with https://."))
        return redirect(item.get_absolute_url())
    data = form.cleaned_data
    return run_or_message(
        request, item, lambda: actions.add_video(item, data["url"], data["title"], acting_user=request.user),
        _("The video link was added."),
    )  # fmt: skip


def download(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    """Served only to those who may read the item; images may be shown inline."""
    attachment = Attachment.objects.filter(uid=uid).select_related("item").first()
    if attachment is None or not Item.objects.visible_to(request.user).filter(pk=attachment.item_id).exists():
        raise Http404
    inline = attachment.is_image and request.GET.get("inline") == "1"
    return file_response(attachment.file, attachment.name, attachment.content_type, inline=inline)


def evidence(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    report = AppliedReport.objects.filter(evidence_uid=uid).exclude(evidence="").first()
    if report is None or not Item.objects.visible_to(request.user).filter(pk=report.item_id).exists():
        raise Http404
    return file_response(report.evidence, report.evidence_name, report.evidence_type, inline=False)
