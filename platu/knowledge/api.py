"""/api/v1/knowledge/...: knowledge items through the same form, actions and workflow as the pages.

Reading is what `Item.objects.visible_to` allows (anything else is 404). A write needs a token with
the "write" scope; an edit names the revision it is based on (`If-Match: "3"` or `base_revision`)
and answers 409 when someone saved a newer one.
"""

from __future__ import annotations

import datetime as dt
import importlib
import uuid
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Header, Query, Router, Schema, Status
from ninja.files import UploadedFile

from platu.api import PageParams, base_revision, clean, ident, page, require_write, responses
from platu.knowledge import access, actions, engage, links, workflow
from platu.knowledge.files import file_response
from platu.knowledge.models import Attachment, Comment, Item
from platu.lib.errors import ActionRefused, InvalidAction
from platu.lib.ids import MAX_ID
from platu.orgs import access as org_access
from platu.orgs.models import Organisation

router = Router(tags=["knowledge"])
# The editor's form (the same validation as the page); through importlib so that mypy's strict
# check of this module does not take in the forms' modules, which it does not check.
ItemForm: Any = importlib.import_module("platu.knowledge.forms").ItemForm

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


class ItemSummary(Schema):
    id: int
    organisation: str
    kind: str
    state: str
    level: str
    visibility: str
    title: str
    summary: str
    revision: int
    published_at: dt.datetime | None
    updated_at: dt.datetime
    url: str


class AttachmentOut(Schema):
    uid: uuid.UUID
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


class ItemOut(ItemSummary):
    source: str
    body: str
    category: int | None
    tags: list[str]
    coauthors: list[int]
    sources: list[int]
    review_interval_months: int
    review_due: dt.date | None
    useful_count: int
    applied_count: int
    comment_count: int
    attachments: list[AttachmentOut]


class ItemPage(Schema):
    count: int
    limit: int
    offset: int
    results: list[ItemSummary]


class ItemFilter(PageParams):
    organisation: str = ""  # an organisation's code
    kind: str = ""
    state: str = ""
    tag: str = ""
    q: str = ""  # words in the title (use /search for ranked search)


class ItemIn(Schema):
    """What the editor's form takes. On an update, what is left out keeps its value."""

    title: str | None = None
    kind: str | None = None
    summary: str | None = None
    body: str | None = None
    tags: list[str] | None = None
    category: int | None = None
    source: str | None = None
    level: str | None = None
    visibility: str | None = None
    review_interval_months: int | None = None
    coauthors: list[int] | None = None
    sources: list[int] | None = None
    communities: list[int] | None = None


class ItemCreate(ItemIn):
    organisation: str | None = None  # its code; the caller's organisation when left out


class ItemUpdate(ItemIn):
    message: str = ""
    base_revision: int | None = None  # or the If-Match header


class CommentOut(Schema):
    id: int
    parent: int | None
    author_name: str
    body: str
    quote: str
    review: bool
    created_at: dt.datetime


class CommentIn(Schema):
    body: str
    parent: int | None = None
    quote: str = ""
    review: bool = False


class VoteIn(Schema):
    vote: str
    comment: str = ""
    quote: str = ""


def _summary(item: Item) -> dict[str, Any]:
    return {
        "id": item.pk,
        "organisation": item.organisation.code,
        "kind": item.kind,
        "state": item.state,
        "level": item.level,
        "visibility": item.visibility,
        "title": item.title,
        "summary": item.summary,
        "revision": item.revision_no,
        "published_at": item.published_at,
        "updated_at": item.updated_at,
        "url": item.get_absolute_url(),
    }


def _attachment(a: Attachment) -> AttachmentOut:
    return AttachmentOut(
        uid=a.uid,
        name=a.name,
        content_type=a.content_type,
        size=a.size,
        sha256=a.sha256,
        uploaded_at=a.uploaded_at,
    )


def _detail(request: HttpRequest, item: Item) -> ItemOut:
    return ItemOut(
        **_summary(item),
        source=item.source,
        body=item.body,
        category=item.category_id,
        tags=sorted(t.name for t in item.tags.all()),
        coauthors=sorted(p.pk for p in item.coauthors.all()),
        sources=sorted(item.sources.visible_to(request.user).values_list("pk", flat=True)),
        review_interval_months=item.review_interval_months,
        review_due=item.review_due,
        useful_count=item.useful_count,
        applied_count=item.applied_count,
        comment_count=item.comment_count,
        attachments=[_attachment(a) for a in item.attachments.all()],
    )


def _with_etag(request: HttpRequest, item: Item) -> HttpResponse:
    from platu.api import api

    response = api.create_response(request, _detail(request, item), status=200)
    response["ETag"] = f'"{item.revision_no}"'
    return response


def _item(request: HttpRequest, pk: int) -> Item:
    return access.get_item_for_user(request, ident(pk))


def _form_data(item: Item | None, given: ItemIn, org: Organisation) -> dict[str, Any]:
    """The editor form's data: the item's values (or the new item's defaults), then what was sent."""
    if item is not None:
        data: dict[str, Any] = {k: getattr(item, k) for k in FIELDS}
        data["category"] = item.category_id or ""
        data["tags"] = ", ".join(item.tags.values_list("name", flat=True))
        data["coauthors"] = [str(p) for p in item.coauthors.values_list("pk", flat=True)]
        data["sources"] = [str(p) for p in item.sources.values_list("pk", flat=True)]
        data["communities"] = [str(p) for p in links.linked_ids(item, "community")]
    else:
        data = {"kind": "story", "source": "tacit", "level": "pocket", "visibility": org.default_visibility,
                "review_interval_months": 12, "summary": "", "body": "", "tags": "", "category": ""}  # fmt: skip
    sent = given.model_dump(exclude_unset=True, exclude={"organisation", "message", "base_revision"})
    for name, value in sent.items():
        ids = value if isinstance(value, list) else [value]
        if name in ("category", "coauthors", "sources", "communities") and any(
            isinstance(v, int) and not 0 < v <= MAX_ID for v in ids
        ):
            raise InvalidAction(_("That choice is not one of those available."), field=name)
        if value is None:
            value = ""
        if name == "tags":
            value = ", ".join(str(v) for v in value) if isinstance(value, list) else value
        elif isinstance(value, list):
            value = [str(v) for v in value]
        data[name] = value
    return data


def _valid(form: Any) -> dict[str, Any]:
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        raise InvalidAction(str(errors[0]), field=None if field == "__all__" else field)
    data: dict[str, Any] = form.cleaned_data
    return data


@router.get("/items", response=responses(ItemPage), summary="Knowledge items the caller may read")
def item_list(request: HttpRequest, params: Query[ItemFilter]) -> ItemPage:
    items = Item.objects.visible_to(request.user).select_related("organisation")
    if params.organisation:
        items = items.filter(
            organisation=org_access.get_organisation_for_user(request, clean(params.organisation, 100))
        )
    if params.kind:
        items = items.filter(kind=clean(params.kind, 40))
    if params.state:
        items = items.filter(state=clean(params.state, 40))
    if params.tag:
        items = items.filter(tags__name=clean(params.tag, 60))
    if q := clean(params.q):
        for word in q.split()[:8]:
            items = items.filter(title__icontains=word)
    total, rows, limit, offset = page(items.order_by("-updated_at", "-pk"), params)
    return ItemPage(
        count=total, limit=limit, offset=offset, results=[ItemSummary(**_summary(i)) for i in rows]
    )


@router.get("/items/{pk}", response=responses(ItemOut), summary="One item (its ETag is its revision)")
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _with_etag(request, _item(request, pk))


@router.post("/items", response=responses(ItemOut, 201), summary="Write a new item (a draft)")
def item_create(request: HttpRequest, payload: ItemCreate) -> HttpResponse:
    require_write(request)
    if payload.organisation:
        org = org_access.get_organisation_for_user(request, clean(payload.organisation, 100))
    else:
        found = getattr(request, "org", None)
        if found is None:
            mine = org_access.memberships_of(request.user)
            found = mine[0].organisation if mine else None
        if found is None:
            raise InvalidAction(_("Say which organisation the item belongs to."), field="organisation")
        org = found
    if not (request.user.is_staff or access.is_member(request.user, org.pk)):  # type: ignore[union-attr]
        raise ActionRefused(_("Only members of the organisation may write its knowledge."))
    if not payload.title:
        raise InvalidAction(_("The item needs a title."), field="title")
    form = ItemForm(_form_data(None, payload, org), org=org, user=request.user)
    data = _valid(form)
    item = actions.create_item(
        org,
        acting_user=request.user,
        tags=data["tags"],
        coauthors=data["coauthors"],
        sources=data["sources"],
        **{k: data[k] for k in FIELDS},
    )
    if "communities" in form.fields and payload.communities is not None:
        links.set_links(item, "community", data["communities"], acting_user=request.user)
    item = access.get_item_for_user(request, item.pk)
    response = _with_etag(request, item)
    response.status_code = 201
    return response


@router.put(
    "/items/{pk}",
    response=responses(ItemOut),
    summary="Save an edit as a new revision (If-Match or base_revision; 409 when someone saved since)",
)
def item_update(
    request: HttpRequest,
    pk: int,
    payload: ItemUpdate,
    if_match: str | None = Header(  # type: ignore[type-arg]
        None, alias="If-Match", description='The revision read: "3" (its ETag)'
    ),
) -> HttpResponse:
    require_write(request)
    item = _item(request, pk)
    base = base_revision(request, payload.base_revision)
    actions.require_editable(request.user, item)
    org = item.organisation
    form = ItemForm(
        _form_data(item, payload, org) | {"message": payload.message[:300]},
        org=org,
        user=request.user,
        item=item,
    )
    data = _valid(form)
    saved = actions.update_item(
        item,
        acting_user=request.user,
        base_revision=base,
        message=data.get("message", ""),
        tags=data["tags"],
        coauthors=data["coauthors"],
        sources=data["sources"],
        **{k: data[k] for k in FIELDS},
    )
    if "communities" in form.fields and payload.communities is not None:
        links.set_links(saved, "community", data["communities"], acting_user=request.user)
    return _with_etag(request, access.get_item_for_user(request, saved.pk))


@router.post(
    "/items/{pk}/transitions/{name}",
    response=responses(ItemOut),
    summary="Move an item through vetting: submit, withdraw, start_review, publish, rereview, archive, unarchive",
)
def item_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    require_write(request)
    action = workflow.TRANSITIONS.get(name)
    if action is None:
        raise Http404
    item = _item(request, pk)
    action(item, acting_user=request.user)
    return _with_etag(request, access.get_item_for_user(request, item.pk))


@router.post(
    "/items/{pk}/votes", response=responses(ItemOut), summary="A reviewer's vote: approve or changes"
)
def item_vote(request: HttpRequest, pk: int, payload: VoteIn) -> HttpResponse:
    require_write(request)
    item = _item(request, pk)
    workflow.vote(item, acting_user=request.user, choice=clean(payload.vote, 40),
                  comment=clean(payload.comment, 10_000), quote=clean(payload.quote, 10_000))  # fmt: skip
    return _with_etag(request, access.get_item_for_user(request, item.pk))


def _comment(c: Comment) -> CommentOut:
    return CommentOut(
        id=c.pk, parent=c.parent_id, author_name=c.author_name, body=c.body, quote=c.quote,
        review=c.is_review, created_at=c.created_at,
    )  # fmt: skip


@router.get("/items/{pk}/comments", response=responses(list[CommentOut]), summary="An item's comments")
def comment_list(request: HttpRequest, pk: int) -> list[CommentOut]:
    item = _item(request, pk)
    comments = Comment.objects.filter(item=item).order_by("created_at", "pk")
    if not engage.can_see_review(request.user, item):
        comments = comments.filter(is_review=False)
    return [_comment(c) for c in comments[:1000]]


@router.post("/items/{pk}/comments", response=responses(CommentOut, 201), summary="Comment on an item")
def comment_add(request: HttpRequest, pk: int, payload: CommentIn) -> Status[CommentOut]:
    require_write(request)
    item = _item(request, pk)
    parent = None
    if payload.parent is not None:
        parent = Comment.objects.filter(item=item, pk=ident(payload.parent)).first()
        if parent is None or (parent.is_review and not engage.can_see_review(request.user, item)):
            raise Http404
    made = engage.add_comment(
        item, acting_user=request.user, body=payload.body.replace("\x00", ""), parent=parent,
        quote=payload.quote.replace("\x00", "")[:10_000], review=payload.review,
    )  # fmt: skip
    return Status(201, _comment(made))


@router.get("/items/{pk}/attachments", response=responses(list[AttachmentOut]), summary="An item's files")
def attachment_list(request: HttpRequest, pk: int) -> list[AttachmentOut]:
    return [_attachment(a) for a in _item(request, pk).attachments.all()]


@router.post("/items/{pk}/attachments", response=responses(AttachmentOut, 201), summary="Attach a file")
def attachment_add(request: HttpRequest, pk: int, file: File[UploadedFile]) -> Status[AttachmentOut]:
    require_write(request)
    item = _item(request, pk)
    made = actions.add_attachment(item, file, acting_user=request.user)
    return Status(201, _attachment(made))


@router.get(
    "/items/{pk}/attachments/{uid}",
    response=responses(None),
    openapi_extra={
        "responses": {200: {"description": "The file", "content": {"application/octet-stream": {}}}}
    },
    summary="Download a file",
)
def attachment_download(request: HttpRequest, pk: int, uid: uuid.UUID) -> HttpResponse:
    item = _item(request, pk)
    attachment = Attachment.objects.filter(item=item, uid=uid).first()
    if attachment is None:
        raise Http404
    return file_response(attachment.file, attachment.name, attachment.content_type, inline=False)  # type: ignore[no-any-return]


@router.delete("/items/{pk}/attachments/{uid}", response=responses(None, 204), summary="Remove a file")
def attachment_delete(request: HttpRequest, pk: int, uid: uuid.UUID) -> Status[None]:
    require_write(request)
    item = _item(request, pk)
    attachment = Attachment.objects.filter(item=item, uid=uid).first()
    if attachment is None:
        raise Http404
    actions.delete_attachment(attachment, acting_user=request.user)
    return Status(204, None)
