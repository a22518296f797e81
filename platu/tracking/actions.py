"""Changing monitoring rounds and their entries. Each action checks permission, runs in one
transaction and writes an audit row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from platu.audit.log import record
from platu.lib import thaidate
from platu.lib.errors import ActionRefused, EditConflict, InvalidAction
from platu.notify.send import notify
from platu.orgs import access as org_access
from platu.orgs.models import Person, Role
from platu.planning.models import Activity, Plan
from platu.tracking import access, measures
from platu.tracking.models import ActivityOwner, Binding, Correction, Entry, Evidence, Round

LATEST_DUE = dt.timedelta(days=90)


def period(fiscal_year: int, months: int) -> tuple[dt.date, dt.date]:
    """A round's dates: from 1 October to 31 March (6), 30 June (9) or 30 September (12)."""
    start, end = thaidate.fiscal_year_bounds(fiscal_year)
    ends = {6: dt.date(end.year, 3, 31), 9: dt.date(end.year, 6, 30), 12: end}
    if months not in ends:
        raise InvalidAction(_("Choose the 6-, 9- or 12-month round."), field="months")
    return start, ends[months]


def _person(user: Any) -> Person:
    person = org_access.person_of(user)
    if person is None:
        raise ActionRefused(_("Your account is not linked to a person in any organisation."))
    return person


def _people_with(plan: Plan, *roles: str) -> list[Any]:
    return [
        p.user
        for p in Person.objects.filter(
            memberships__organisation=plan.organisation, memberships__role_rows__role__in=roles, user__isnull=False
        ).select_related("user").distinct()
    ]  # fmt: skip


@transaction.atomic
def open_round(plan: Plan, months: int, due_date: dt.date, *, acting_user: Any) -> Round:
    if not access.is_km_team(acting_user, plan):
        raise ActionRefused(_("Only the KM team opens a monitoring round."))
    if plan.state != Plan.State.APPROVED:
        raise InvalidAction(_("Rounds are opened on the approved plan."))
    start, end = period(plan.fiscal_year, months)
    if not isinstance(due_date, dt.date) or due_date < start or due_date > end + LATEST_DUE:
        raise InvalidAction(
            _("The due date must fall between %(start)s and %(end)s.")
            % {
                "start": thaidate.format_date(start, "medium"),
                "end": thaidate.format_date(end + LATEST_DUE, "medium"),
            },
            field="due_date",
        )
    if Round.objects.filter(plan__organisation=plan.organisation, plan__fiscal_year=plan.fiscal_year,
                            months=months).exists():  # fmt: skip
        raise InvalidAction(_("This round has been opened already."), field="months")
    row = Round.objects.create(plan=plan, months=months, period_start=start, period_end=end, due_date=due_date,
                               opened_by=_person(acting_user))  # fmt: skip
    previous = {
        e.activity_id: e
        for e in Entry.objects.filter(round__plan=plan, round__months__lt=months).order_by("round__months")
    }
    entries = []
    for activity in Activity.objects.filter(plan=plan):
        before = previous.get(activity.pk)  # carried forward from the last round, to update
        entries.append(Entry(
            round=row, activity=activity,
            status=before.status if before else Entry.Status.PLANNED, percent=before.percent if before else 0,
            result_unit=before.result_unit if before else "", next_steps="",
        ))  # fmt: skip
    Entry.objects.bulk_create(entries)
    record("tracking.open", actor=acting_user, obj=row, organisation=plan.organisation,
           data={"months": months, "due": due_date.isoformat(), "entries": len(entries)})  # fmt: skip
    owners = [o.person.user for o in ActivityOwner.objects.filter(activity__plan=plan).select_related("person__user")
              if o.person.user_id]  # fmt: skip
    notify(owners, kind="tracking.open", actor=acting_user, url=row.get_absolute_url(),
           text=_("The %(months)s-month monitoring round of the KM plan %(year)s is open: enter your activities' progress by %(due)s.")
           % {"months": months, "year": plan.fiscal_year, "due": thaidate.format_date(due_date, "medium")})  # fmt: skip
    return row


@transaction.atomic
def set_owners(activity: Activity, people: list[Person], *, acting_user: Any) -> None:
    if not access.is_km_team(acting_user, activity.plan):
        raise ActionRefused(_("Only the KM team names who reports on an activity."))
    org = activity.plan.organisation
    allowed = {p.pk for p in Person.objects.filter(memberships__organisation__path__startswith=org.path)}
    wanted = {p.pk for p in people if p.pk in allowed}
    ActivityOwner.objects.filter(activity=activity).exclude(person_id__in=wanted).delete()
    have = set(ActivityOwner.objects.filter(activity=activity).values_list("person_id", flat=True))
    ActivityOwner.objects.bulk_create(ActivityOwner(activity=activity, person_id=p) for p in wanted - have)
    record(
        "tracking.owners", actor=acting_user, obj=activity, organisation=org, data={"people": sorted(wanted)}
    )


def _decimal(value: Any, field: str, message: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise InvalidAction(message, field=field) from None
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        raise InvalidAction(message, field=field)
    return number.quantize(Decimal("0.01"))


def snapshot(entry: Entry) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in Entry.TEXT_FIELDS:
        value = getattr(entry, name)
        out[name] = str(value) if isinstance(value, Decimal) else value
    return out


@transaction.atomic
def save_entry(
    entry: Entry, data: dict[str, Any], *, acting_user: Any, base_version: int, reason: str = ""
) -> Entry:
    """Save an activity's progress. Two people editing one entry: the second gets EditConflict
    and loses nothing (the form keeps their text). After the round is closed, a change is a
    correction with a reason, and the entry as it was is kept."""
    row = (
        Entry.objects.select_for_update()
        .select_related("round__plan__organisation", "activity")
        .get(pk=entry.pk)
    )
    if not access.can_enter(acting_user, row):
        raise ActionRefused(_("Only the activity's responsible people and the KM team enter its progress."))
    if row.version != base_version:
        raise EditConflict(row.version)
    status = str(data.get("status") or row.status)
    if status not in Entry.Status.values:
        raise InvalidAction(_("Choose a status from the list."), field="status")
    try:
        percent = int(str(data.get("percent", row.percent)).strip() or 0)
    except ValueError:
        raise InvalidAction(_("Percent done is a whole number from 0 to 100."), field="percent") from None
    if not 0 <= percent <= 100:
        raise InvalidAction(_("Percent done is a whole number from 0 to 100."), field="percent")
    number = _decimal(data.get("result_number"), "result_number",
                      _("Give the result as a number (e.g. 12 or 85.5), or write it in words below."))  # fmt: skip
    override = _decimal(data.get("override_value"), "override_value", _("Give the value as a number."))
    override_reason = str(data.get("override_reason") or "").strip()[:500]
    if override is not None and not override_reason:
        raise InvalidAction(_("Say why the value is set by hand."), field="override_reason")
    closed = not row.round.is_open
    reason = (reason or "").strip()
    if closed and not reason:
        raise InvalidAction(_("The round is closed: say why this entry is corrected."), field="reason")
    before = snapshot(row)
    row.status, row.percent, row.result_number = status, percent, number
    row.result_unit = str(data.get("result_unit") or "").strip()[:60]
    for name in ("result_text", "problems", "solutions", "next_steps"):
        setattr(row, name, str(data.get(name) or "").strip()[:20000])
    row.override_value, row.override_reason = override, override_reason if override is not None else ""
    row.entered_by = _person(acting_user)
    row.version += 1
    row.save()
    if closed:
        n = Correction.objects.filter(entry=row).count() + 1
        Correction.objects.create(entry=row, number=n, before=before, reason=reason[:5000], by=row.entered_by)
    record("tracking.correct" if closed else "tracking.entry", actor=acting_user, obj=row.round,
           organisation=row.round.plan.organisation,
           data={"activity": row.activity_id, "status": status, "percent": percent, **({"reason": reason} if closed else {})})  # fmt: skip
    return row


@transaction.atomic
def check_entry(entry: Entry, *, acting_user: Any, comment: str = "", undo: bool = False) -> Entry:
    plan = entry.round.plan
    if not access.can_check(acting_user, plan):
        raise ActionRefused(_("Only the KM team lead checks the entries."))
    if not entry.round.is_open:
        raise InvalidAction(_("The round is closed."))
    entry.checked_by, entry.checked_at = (None, None) if undo else (_person(acting_user), timezone.now())
    entry.check_comment = (comment or "").strip()[:5000]
    entry.save(update_fields=["checked_by", "checked_at", "check_comment"])
    record("tracking.check", actor=acting_user, obj=entry.round, organisation=plan.organisation,
           data={"activity": entry.activity_id, "undo": undo})  # fmt: skip
    return entry


def scope_for(entry_round: Round, binding_scope: str, filters: dict[str, Any]) -> measures.Scope:
    return measures.Scope(entry_round.plan.organisation, binding_scope == Binding.Scope.SUBTREE,
                          entry_round.period_start, min(entry_round.period_end, timezone.localdate())
                          if entry_round.is_open else entry_round.period_end, filters or {})  # fmt: skip


def compute_entry(entry: Entry, binding: Binding | None = None) -> measures.Counted | None:
    binding = binding or Binding.objects.filter(activity_id=entry.activity_id).first()
    if binding is None:
        return None
    return measures.compute(binding.measure, scope_for(entry.round, binding.scope, binding.filters))


@transaction.atomic
def bind(
    activity: Activity, measure: str, filters: dict[str, Any], scope: str, *, acting_user: Any
) -> Binding | None:
    if not access.is_km_team(acting_user, activity.plan):
        raise ActionRefused(_("Only the KM team binds an indicator to what Platu counts."))
    if not measure:
        Binding.objects.filter(activity=activity).delete()
        record("tracking.bind", actor=acting_user, obj=activity, organisation=activity.plan.organisation,
               data={"measure": ""})  # fmt: skip
        return None
    m = measures.get(measure)
    if m is None:
        raise InvalidAction(_("Choose a measure from the list."), field="measure")
    if scope not in Binding.Scope.values:
        raise InvalidAction(_("Choose what it is counted over."), field="scope")
    clean = {k: str(v).strip()[:100] for k, v in (filters or {}).items() if k in m.filters and str(v).strip()}
    for key in ("category", "community"):
        if key in clean and not clean[key].isdigit():
            clean.pop(key)
    row, _created = Binding.objects.update_or_create(activity=activity, defaults={"measure": measure, "filters": clean,
                                                                                  "scope": scope})  # fmt: skip
    record("tracking.bind", actor=acting_user, obj=activity, organisation=activity.plan.organisation,
           data={"measure": measure, "filters": clean, "scope": scope})  # fmt: skip
    return row


@transaction.atomic
def close_round(row: Round, *, acting_user: Any) -> Round:
    """The CKO closes the round: computed indicators are counted and frozen with it."""
    plan = row.plan
    if not access.can_close(acting_user, plan):
        raise ActionRefused(_("Only the CKO closes a monitoring round."))
    row = Round.objects.select_for_update().get(pk=row.pk)
    if not row.is_open:
        raise InvalidAction(_("The round is closed."))
    row.state = Round.State.CLOSED  # counted over the whole period from here on
    bindings = {b.activity_id: b for b in Binding.objects.filter(activity__plan=plan)}
    now = timezone.now()
    for entry in Entry.objects.filter(round=row, activity_id__in=list(bindings)):
        counted = measures.compute(bindings[entry.activity_id].measure,
                                   scope_for(row, bindings[entry.activity_id].scope, bindings[entry.activity_id].filters))  # fmt: skip
        if counted is None:
            continue
        entry.computed_value = counted.value
        entry.computed_detail = {**counted.detail(), "measure": bindings[entry.activity_id].measure}
        entry.computed_at = now
        entry.save(update_fields=["computed_value", "computed_detail", "computed_at"])
    row.closed_by, row.closed_at = _person(acting_user), now
    row.version += 1
    row.save()
    record(
        "tracking.close",
        actor=acting_user,
        obj=row,
        organisation=plan.organisation,
        data={"months": row.months},
    )
    notify(_people_with(plan, Role.CEO), kind="tracking.close", actor=acting_user, url=row.get_absolute_url(),
           text=_("The %(months)s-month monitoring round of the KM plan %(year)s was closed by the CKO and waits for your acknowledgement.")
           % {"months": row.months, "year": plan.fiscal_year})  # fmt: skip
    return row


@transaction.atomic
def acknowledge(row: Round, comment: str, *, acting_user: Any) -> Round:
    plan = row.plan
    if not access.can_acknowledge(acting_user, plan):
        raise ActionRefused(_("Only the CEO acknowledges a monitoring round."))
    row = Round.objects.select_for_update().get(pk=row.pk)
    if row.state != Round.State.CLOSED:
        raise InvalidAction(_("The CKO closes the round before the CEO acknowledges it."))
    row.state, row.acknowledged_by, row.acknowledged_at = (
        Round.State.ACKNOWLEDGED,
        _person(acting_user),
        timezone.now(),
    )
    row.ceo_comment = (comment or "").strip()[:5000]
    row.version += 1
    row.save()
    record("tracking.acknowledge", actor=acting_user, obj=row, organisation=plan.organisation)
    return row


# -- evidence ---------------------------------------------------------------------------------------


def _require_evidence(user: Any, entry: Entry) -> None:
    if not access.can_enter(user, entry):
        raise ActionRefused(_("Only the activity's responsible people and the KM team enter its progress."))
    if not entry.round.is_open:
        raise InvalidAction(_("The round is closed."))


@transaction.atomic
def add_evidence_file(entry: Entry, upload: Any, note: str = "", *, acting_user: Any) -> Evidence:
    from platu.knowledge.files import store_upload

    _require_evidence(acting_user, entry)
    row = store_upload(Evidence(entry=entry, kind=Evidence.Kind.FILE, note=(note or "").strip()[:300],
                                added_by=acting_user), upload)  # fmt: skip
    record("tracking.evidence", actor=acting_user, obj=entry.round, organisation=entry.round.plan.organisation,
           data={"activity": entry.activity_id, "file": row.name, "size": row.size})  # fmt: skip
    return row


@transaction.atomic
def add_evidence_link(entry: Entry, *, acting_user: Any, item: Any = None, session: Any = None, url: str = "",
                      note: str = "") -> Evidence:  # fmt: skip
    _require_evidence(acting_user, entry)
    if item is not None:
        from platu.knowledge.models import Item

        if not Item.objects.visible_to(acting_user).filter(pk=item.pk).exists():
            raise InvalidAction(_("Choose a knowledge item you may read."), field="item")
        row = Evidence(entry=entry, kind=Evidence.Kind.ITEM, item=item, name=item.title[:200])
    elif session is not None:
        from platu.communities.models import Community

        if not Community.objects.visible_to(acting_user).filter(pk=session.community_id).exists():
            raise InvalidAction(_("Choose a session you may see."), field="session")
        row = Evidence(entry=entry, kind=Evidence.Kind.SESSION, session=session, name=session.title[:200])
    else:
        url = (url or "").strip()
        if not url.startswith(("https://", "http://")) or len(url) > 500:
            raise InvalidAction(_("Give the full address, starting with https://."), field="url")
        row = Evidence(entry=entry, kind=Evidence.Kind.LINK, url=url, name=(note or url)[:200])
    row.note, row.added_by = (note or "").strip()[:300], acting_user
    row.save()
    record("tracking.evidence", actor=acting_user, obj=entry.round, organisation=entry.round.plan.organisation,
           data={"activity": entry.activity_id, "kind": row.kind, "name": row.name})  # fmt: skip
    return row


@transaction.atomic
def remove_evidence(row: Evidence, *, acting_user: Any) -> None:
    entry = row.entry
    _require_evidence(acting_user, entry)
    storage, path = row.file.storage, row.file.name or ""
    row.delete()
    if path:
        transaction.on_commit(lambda: storage.delete(path))
    record("tracking.evidence_removed", actor=acting_user, obj=entry.round, organisation=entry.round.plan.organisation,
           data={"activity": entry.activity_id, "name": row.name})  # fmt: skip
