"""The repository (browse, filter, sort), "my work", the public page, categories."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platu.knowledge import actions
from platu.knowledge.forms import CategoryForm, RepositoryFilter
from platu.knowledge.models import Category, Item, ItemLink, Tag
from platu.knowledge.worklist import worklist
from platu.lib.errors import InvalidAction
from platu.lib.ids import MAX_ID, parse_int
from platu.orgs import access as org_access
from platu.orgs.models import Organisation

PAGE_SIZE = 20
SORTS = {
    "new": ("-published_at", "-created_at", "-pk"),
    "useful": ("-useful_count", "-published_at", "-pk"),
    "applied": ("-applied_count", "-published_at", "-pk"),
    "viewed": ("-view_count", "-published_at", "-pk"),
}


def _list_qs(qs: QuerySet[Item]) -> QuerySet[Item]:
    return qs.select_related("organisation", "owner", "category").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("name"))
    )


def _filtered(
    request: HttpRequest, base: QuerySet[Item], org: Organisation | None
) -> tuple[QuerySet[Item], RepositoryFilter, dict[str, Any]]:
    form = RepositoryFilter(request.GET or None)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    qs = base
    chosen: dict[str, Any] = {}
    if data.get("q"):
        qs = qs.filter(title__icontains=data["q"])
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
        chosen["kind"] = Item.Kind(data["kind"]).label
    if data.get("category") and org is not None:
        category = Category.objects.filter(organisation=org, pk=data["category"]).first()
        if category is not None:
            qs = qs.filter(category_id__in=actions.category_and_descendants(category))
            chosen["category"] = category.name
    if data.get("tag"):
        qs = qs.filter(tags__name=data["tag"])
        chosen["tag"] = data["tag"]
    if data.get("community"):
        qs = qs.filter(links__kind=ItemLink.Kind.COMMUNITY, links__target_id=data["community"])
        link = ItemLink.objects.filter(kind=ItemLink.Kind.COMMUNITY, target_id=data["community"]).first()
        chosen["community"] = link.label if link else str(data["community"])
    qs = qs.order_by(*SORTS.get(data.get("sort") or "new", SORTS["new"]))
    return qs, form, chosen


def repository(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    org: Organisation | None = getattr(request, "org", None)
    base = Item.objects.live().visible_to(request.user)
    scope = request.GET.get("scope") or ("org" if org else "all")
    if scope == "org" and org is not None:
        base = base.filter(organisation=org)
    qs, form, chosen = _filtered(request, base, org if scope == "org" else None)
    page = Paginator(_list_qs(qs), PAGE_SIZE).get_page(request.GET.get("page"))
    facets = _facets(base, org if scope == "org" else None)
    return render(
        request,
        "knowledge/repository.html",
        {"page": page, "form": form, "org": org, "scope": scope, "chosen": chosen, **facets},
    )


def _facets(base: QuerySet[Item], org: Organisation | None) -> dict[str, Any]:
    kinds = dict(base.order_by().values_list("kind").annotate(n=Count("pk")))
    tags = (
        Tag.objects.filter(items__in=base.order_by().values("pk"))
        .annotate(n=Count("items"))
        .order_by("-n", "name")[:30]
    )
    communities = (
        ItemLink.objects.filter(kind=ItemLink.Kind.COMMUNITY, item__in=base.order_by().values("pk"))
        .values("target_id", "label")
        .annotate(n=Count("item", distinct=True))
        .order_by("label")
    )
    categories = actions.category_tree(org) if org is not None else []
    return {
        "kind_counts": [(value, label, kinds.get(value, 0)) for value, label in Item.Kind.choices],
        "tag_counts": list(tags),
        "communities": list(communities),
        "categories": categories,
    }


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    return render(request, "knowledge/my_work.html", worklist(request.user))


def public_list(request: HttpRequest, code: str) -> HttpResponse:
    """An organisation's public knowledge, for anyone, without logging in."""
    org = Organisation.objects.filter(code=code).first()
    if org is None:
        raise Http404
    base = Item.objects.live().filter(organisation=org, visibility=Item.Visibility.PUBLIC)
    qs, form, chosen = _filtered(request, base, org)
    page = Paginator(_list_qs(qs), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "knowledge/public_list.html", {"org": org, "page": page, "form": form, "chosen": chosen}
    )


@login_required
def categories(request: HttpRequest, code: str) -> HttpResponse:
    org = org_access.get_organisation_for_user(request, code)
    can_admin = org_access.can_admin(request.user, org)
    form = CategoryForm(request.POST or None, org=org)
    if request.method == "POST":
        org_access.require_admin(request.user, org)
        if form.is_valid():
            try:
                actions.save_category(
                    org,
                    acting_user=request.user,
                    name=form.cleaned_data["name"],
                    parent=form.cleaned_data["parent"],
                )
            except InvalidAction as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("The category was added."))
                return redirect("knowledge:categories", code=org.code)
    tree = actions.category_tree(org)
    readable = Item.objects.visible_to(request.user).filter(organisation=org).order_by()
    counts = dict(readable.values_list("category").annotate(n=Count("pk")))
    return render(
        request,
        "knowledge/categories.html",
        {
            "org": org,
            "form": form,
            "tree": [(c, d, counts.get(c.pk, 0)) for c, d in tree],
            "can_admin": can_admin,
        },
    )


@login_required
@require_POST
def category_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    org = org_access.get_organisation_for_user(request, code)
    org_access.require_admin(request.user, org)
    category = Category.objects.filter(organisation=org, pk=pk).first()
    if category is None:
        raise Http404
    if request.POST.get("delete"):
        actions.delete_category(category, acting_user=request.user)
        messages.success(request, _("The category was deleted; its items keep no category."))
        return redirect("knowledge:categories", code=org.code)
    parent_id = request.POST.get("parent", "").strip()
    parent = None
    if parent_id:
        pk_parent = parse_int(parent_id, maximum=MAX_ID)
        if pk_parent is None:
            raise BadRequest(_("Choose the parent category from the list."))
        parent = Category.objects.filter(organisation=org, pk=pk_parent).first()
        if parent is None:
            messages.error(request, _("Choose a category of this organisation."))
            return redirect("knowledge:categories", code=org.code)
    try:
        actions.save_category(org, acting_user=request.user, name=request.POST.get("name", ""), parent=parent,
                              category=category)  # fmt: skip
    except InvalidAction as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The category was saved."))
    return redirect("knowledge:categories", code=org.code)
