"""Knowledge measures for monitoring indicators (registered with platu/tracking/measures.py)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from platu.knowledge.models import AppliedReport, Item, ItemLink, ItemView
from platu.orgs.models import Membership
from platu.tracking.measures import Counted, Measure, Scope, day_bounds, register

FILTERS = ("kind", "category", "tag", "community")


def _filtered(qs: QuerySet[Item], scope: Scope) -> QuerySet[Item]:
    f = scope.filters
    if f.get("kind"):
        qs = qs.filter(kind=f["kind"])
    if f.get("category"):
        qs = qs.filter(category_id=int(f["category"]))
    if f.get("tag"):
        qs = qs.filter(tags__name=str(f["tag"]))
    if f.get("community"):
        community = int(f["community"])
        linked = ItemLink.objects.filter(kind=ItemLink.Kind.COMMUNITY, target_id=community).values("item_id")
        made = Item.objects.filter(community_sessions__session__community_id=community).values("pk")
        qs = qs.filter(Q(pk__in=linked) | Q(pk__in=made))
    return qs


def published_items(scope: Scope) -> QuerySet[Item]:
    start, end = day_bounds(scope)
    qs = Item.objects.filter(
        state__in=Item.LIVE_STATES, published_at__gte=start, published_at__lt=end, **scope.org_q()
    )
    return _filtered(qs, scope)


def _published(scope: Scope) -> Counted:
    ids = list(published_items(scope).order_by("-published_at").values_list("pk", flat=True).distinct())
    url = reverse("knowledge:repository") + f"?scope=all&org={scope.organisation.code}"
    return Counted(Decimal(len(ids)), len(ids), ids, url)


def _applied(scope: Scope) -> Counted:
    qs = AppliedReport.objects.filter(applied_on__gte=scope.start, applied_on__lte=scope.end,
                                      **scope.org_q("item__organisation"))  # fmt: skip
    qs = qs.filter(item__in=_filtered(Item.objects.all(), scope)) if scope.filters else qs
    ids = list(qs.values_list("item_id", flat=True))
    return Counted(Decimal(len(ids)), len(ids), sorted(set(ids)))


def _views(scope: Scope) -> Counted:
    qs = ItemView.objects.filter(
        day__gte=scope.start, day__lte=scope.end, **scope.org_q("item__organisation")
    )
    qs = qs.filter(item__in=_filtered(Item.objects.all(), scope)) if scope.filters else qs
    n = qs.count()
    return Counted(Decimal(n), n)


def _contributor_ids(scope: Scope) -> set[int]:
    items = published_items(scope)
    owners = set(items.values_list("owner_id", flat=True))
    coauthors = set(items.filter(coauthors__isnull=False).values_list("coauthors", flat=True))
    return {p for p in owners | coauthors if p}


def _contributors(scope: Scope) -> Counted:
    ids = sorted(_contributor_ids(scope))
    return Counted(Decimal(len(ids)), len(ids), ids)


def _contributor_share(scope: Scope) -> Counted:
    """The share (%) of the organisation's people who wrote or co-wrote published knowledge."""
    staff = set(Membership.objects.filter(**scope.org_q()).values_list("person_id", flat=True))
    if not staff:
        return Counted(Decimal(0), 0)
    wrote = _contributor_ids(scope) & staff
    share = (Decimal(len(wrote)) * 100 / Decimal(len(staff))).quantize(Decimal("0.01"))
    return Counted(share, len(wrote), sorted(wrote))


register(
    Measure(
        "knowledge.published",
        _("Knowledge items published"),
        _("items"),
        _published,
        FILTERS,
        "knowledge.item",
    )
)
register(
    Measure(
        "knowledge.applied",
        _("Reports of knowledge applied"),
        _("reports"),
        _applied,
        FILTERS,
        "knowledge.item",
    )
)
register(Measure("knowledge.views", _("Views of knowledge"), _("views"), _views, FILTERS))
register(Measure("knowledge.contributors", _("People who contributed knowledge"), _("people"), _contributors,
                 FILTERS, "orgs.person"))  # fmt: skip
register(Measure("knowledge.contributor_share", _("Share of staff who contributed knowledge"), "%", _contributor_share,
                 FILTERS, "orgs.person"))  # fmt: skip
