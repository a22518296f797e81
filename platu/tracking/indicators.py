"""The organisation's own KM indicators for a fiscal year (e.g. the share of staff who
contributed knowledge), each bound to a measure Platu counts, with its target."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from platu.audit.log import record
from platu.lib import thaidate
from platu.lib.errors import ActionRefused, InvalidAction
from platu.orgs.models import Organisation
from platu.planning import access as plan_access
from platu.tracking import measures
from platu.tracking.models import Binding, OrgIndicator


def can_manage(user: Any, org: Organisation) -> bool:
    return plan_access.is_km_team(user, org)


def scope(ind: OrgIndicator) -> measures.Scope:
    start, end = thaidate.fiscal_year_bounds(ind.fiscal_year)
    return measures.Scope(ind.organisation, ind.scope == Binding.Scope.SUBTREE, start,
                          min(end, timezone.localdate()), ind.filters or {})  # fmt: skip


def compute(ind: OrgIndicator) -> measures.Counted | None:
    return measures.compute(ind.measure, scope(ind))


@transaction.atomic
def add(org: Organisation, fiscal_year: int, data: dict[str, Any], *, acting_user: Any) -> OrgIndicator:
    if not can_manage(acting_user, org):
        raise ActionRefused(_("Only the KM team sets the organisation's KM indicators."))
    name = str(data.get("name") or "").strip()
    if not name:
        raise InvalidAction(_("Name the indicator."), field="name")
    measure = measures.get(str(data.get("measure") or ""))
    if measure is None:
        raise InvalidAction(_("Choose a measure from the list."), field="measure")
    scope_value = str(data.get("scope") or Binding.Scope.ORGANISATION)
    if scope_value not in Binding.Scope.values:
        raise InvalidAction(_("Choose what it is counted over."), field="scope")
    target = data.get("target")
    if target in (None, ""):
        target_value = None
    else:
        try:
            target_value = Decimal(str(target).replace(",", "").strip())
        except (InvalidOperation, ValueError):
            raise InvalidAction(_("Give the target as a number."), field="target") from None
        if not target_value.is_finite() or abs(target_value) >= Decimal("1e12"):
            raise InvalidAction(_("Give the target as a number."), field="target")
    order = OrgIndicator.objects.filter(organisation=org, fiscal_year=fiscal_year).count()
    row = OrgIndicator.objects.create(organisation=org, fiscal_year=fiscal_year, name=name[:300], measure=measure.code,
                                      scope=scope_value, target=target_value, order=order)  # fmt: skip
    record("tracking.indicator", actor=acting_user, obj=org, organisation=org,
           data={"added": name, "measure": measure.code, "year": fiscal_year})  # fmt: skip
    return row


@transaction.atomic
def remove(row: OrgIndicator, *, acting_user: Any) -> None:
    if not can_manage(acting_user, row.organisation):
        raise ActionRefused(_("Only the KM team sets the organisation's KM indicators."))
    row.delete()
    record("tracking.indicator", actor=acting_user, obj=row.organisation, organisation=row.organisation,
           data={"removed": row.name, "year": row.fiscal_year})  # fmt: skip
