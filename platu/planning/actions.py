"""Changing a plan: starting one (empty or from last year's), editing under optimistic locking,
scoring, choosing, and the approval steps. Each action checks permission, runs in one
transaction and writes an audit row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from platu.audit.log import record
from platu.lib.errors import ActionRefused, EditConflict, InvalidAction
from platu.orgs import access as org_access
from platu.orgs.models import Organisation, Person, Role
from platu.planning import access, notices, readiness
from platu.planning.models import (
    Activity,
    Criterion,
    DesiredState,
    Kpi,
    NeededKnowledge,
    Plan,
    PlanEvent,
    Score,
    StrategicIssue,
    WorkProcess,
)
from platu.planning.scoring import DEFAULT_CRITERIA, SCORE_VALUES, build

State = Plan.State


def _person(user: Any) -> Person:
    person = org_access.person_of(user)
    if person is None:
        raise ActionRefused(_("Your account is not linked to a person in any organisation."))
    return person


def _event(plan: Plan, action: str, person: Person | None, comment: str = "") -> None:
    PlanEvent.objects.create(plan=plan, action=action, actor=person, comment=comment)


def require_edit(plan: Plan, user: Any) -> None:
    if not plan.is_editable:
        raise ActionRefused(
            _("This plan is %(state)s and cannot be changed. Start an amendment to change an approved plan.")
            % {"state": plan.get_state_display()}
        )
    if not access.is_km_team(user, plan.organisation):
        raise ActionRefused(_("Only the organisation's KM team may edit its plan."))


def touch(plan: Plan, *, base_version: int | None = None) -> None:
    """Count a change to the plan. With base_version (the version the form was loaded at),
    refuse when someone else changed the plan since: EditConflict."""
    qs = Plan.objects.filter(pk=plan.pk)
    if base_version is not None:
        qs = qs.filter(version=base_version)
    if not qs.update(version=F("version") + 1, updated_at=timezone.now()):
        current = Plan.objects.filter(pk=plan.pk).values_list("version", flat=True).first() or 0
        raise EditConflict(current)
    plan.refresh_from_db(fields=["version", "updated_at"])


# -- starting a plan -------------------------------------------------------------------------


@transaction.atomic
def start_plan(
    org: Organisation, fiscal_year: int, *, acting_user: Any, copy_last_year: bool = False
) -> Plan:
    if not access.can_start(acting_user, org):
        raise ActionRefused(_("Only the organisation's KM team may start its plan."))
    if not 2400 < fiscal_year < 2700:
        raise InvalidAction(_("The fiscal year must be a Buddhist-Era year such as 2569."), field="year")
    if Plan.objects.filter(organisation=org, fiscal_year=fiscal_year).exists():
        raise InvalidAction(
            _("There is already a plan for fiscal year %(year)s.") % {"year": fiscal_year}, field="year"
        )
    person = _person(acting_user)
    source = None
    if copy_last_year:
        source = (
            Plan.objects.filter(organisation=org, fiscal_year=fiscal_year - 1)
            .exclude(state=State.SUPERSEDED)
            .order_by("-revision")
            .first()
        )
        if source is None:
            raise InvalidAction(
                _("There is no plan for fiscal year %(year)s to copy.") % {"year": fiscal_year - 1},
                field="copy",
            )
    plan = Plan.objects.create(organisation=org, fiscal_year=fiscal_year, copied_from=source)
    if source is not None:
        copy_contents(source, plan, years=1)
        _event(plan, PlanEvent.Action.COPIED, person, str(source.fiscal_year))
    else:
        for sheet, texts in DEFAULT_CRITERIA.items():
            Criterion.objects.bulk_create(
                Criterion(plan=plan, sheet=sheet, text=t, order=i, is_default=True)
                for i, t in enumerate(texts)
            )
        _event(plan, PlanEvent.Action.CREATED, person)
    record(
        "plan.start",
        actor=acting_user,
        obj=plan,
        organisation=org,
        data={"copied_from": getattr(source, "pk", None)},
    )
    return plan


def _shift(day: dt.date | None, years: int) -> dt.date | None:
    if day is None or not years:
        return day
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def copy_contents(source: Plan, plan: Plan, *, years: int = 0, keep_choices: bool = False) -> None:
    """Copy the worksheets and forms of `source` into the empty `plan`. A copy for the next
    year (years=1) moves the dates a year on and resets statuses and choices; an amendment
    (years=0) keeps everything, scores included."""
    plan.preface = source.preface
    plan.focus_area = source.focus_area
    plan.key_success_factors = source.key_success_factors
    plan.save(update_fields=["preface", "focus_area", "key_success_factors"])
    issues: dict[int, StrategicIssue] = {}
    for issue in source.issues.all():
        old = issue.pk
        issue.pk, issue.plan = None, plan
        issue.save()
        issues[old] = issue
    kpis: dict[int, Kpi] = {}
    for kpi in source.kpis.prefetch_related("agencies"):
        old, agencies = kpi.pk, list(kpi.agencies.all())
        kpi.pk, kpi.plan, kpi.issue = None, plan, issues[kpi.issue_id]
        kpi.chosen = kpi.chosen if keep_choices else False
        kpi.save()
        kpi.agencies.set(agencies)
        kpis[old] = kpi
    criteria: dict[int, Criterion] = {}
    for criterion in source.criteria.all():
        old = criterion.pk
        criterion.pk, criterion.plan = None, plan
        criterion.save()
        criteria[old] = criterion
    processes: dict[int, WorkProcess] = {}
    for process in source.processes.all():
        old = process.pk
        process.pk, process.plan, process.kpi = None, plan, kpis[process.kpi_id]
        process.save()
        processes[old] = process
    knowledge: dict[int, NeededKnowledge] = {}
    for k in source.knowledge.prefetch_related("agencies"):
        old, agencies = k.pk, list(k.agencies.all())
        k.pk, k.plan, k.process = None, plan, processes[k.process_id]
        k.chosen = k.chosen if keep_choices else False
        k.save()
        k.agencies.set(agencies)
        knowledge[old] = k
    if keep_choices:
        Score.objects.bulk_create(
            Score(
                criterion=criteria[s.criterion_id],
                scorer_id=s.scorer_id,
                kpi=kpis.get(s.kpi_id) if s.kpi_id else None,
                knowledge=knowledge.get(s.knowledge_id) if s.knowledge_id else None,
                value=s.value,
            )
            for s in Score.objects.filter(criterion__plan=source)
        )
    states: dict[int, DesiredState] = {}
    for state in source.desired_states.all():
        old = state.pk
        state.pk, state.plan = None, plan
        state.knowledge = knowledge.get(state.knowledge_id) if state.knowledge_id else None
        state.save()
        states[old] = state
    for activity in source.activities.prefetch_related("responsible_units", "items"):
        units = list(activity.responsible_units.all())
        items = list(activity.items.all())
        activity.pk, activity.plan = None, plan
        activity.desired_state = states.get(activity.desired_state_id) if activity.desired_state_id else None
        activity.knowledge = knowledge.get(activity.knowledge_id) if activity.knowledge_id else None
        activity.start, activity.end = _shift(activity.start, years), _shift(activity.end, years)
        if years:
            activity.status = Activity.Status.PLANNED
        activity.save()
        activity.responsible_units.set(units)
        if not years:
            activity.items.set(items)
    for milestone in source.milestones.all():
        milestone.pk, milestone.plan = None, plan
        milestone.save()


# -- scoring (worksheets 2 and 4) -------------------------------------------------------------


@transaction.atomic
def set_score(
    plan: Plan, *, sheet: int, criterion_id: int, column_id: int, value: int | None, acting_user: Any
) -> None:
    """The acting user's score of one cell; None clears it."""
    require_edit(plan, acting_user)
    person = _person(acting_user)
    criterion = Criterion.objects.filter(plan=plan, sheet=sheet, pk=criterion_id).first()
    model = Kpi if sheet == 2 else NeededKnowledge
    column = model.objects.filter(plan=plan, pk=column_id).first()
    if criterion is None or column is None:
        raise InvalidAction(_("That cell is not on this worksheet."))
    if value is not None and value not in SCORE_VALUES:
        raise InvalidAction(_("A score is 5 (much), 3 (moderate) or 1 (little)."))
    key: dict[str, Any] = {
        "criterion": criterion,
        "scorer": person,
        "kpi" if sheet == 2 else "knowledge": column,
    }
    if value is None:
        Score.objects.filter(**key).delete()
    else:
        Score.objects.update_or_create(**key, defaults={"value": value})
    touch(plan)
    record("plan.score", actor=acting_user, obj=plan, organisation=plan.organisation,
           data={"sheet": sheet, "criterion": criterion_id, "column": column_id, "value": value})  # fmt: skip


@transaction.atomic
def set_chosen(plan: Plan, *, sheet: int, chosen_ids: Iterable[int], acting_user: Any) -> None:
    """Mark the KPIs (worksheet 2) or needed knowledge (worksheet 4) the team chose."""
    require_edit(plan, acting_user)
    model = Kpi if sheet == 2 else NeededKnowledge
    ids = set(chosen_ids)
    model.objects.filter(plan=plan).update(chosen=False)
    model.objects.filter(plan=plan, pk__in=ids).update(chosen=True)
    touch(plan)
    record("plan.edit", actor=acting_user, obj=plan, organisation=plan.organisation,
           data={"sheet": sheet, "chosen": sorted(ids)})  # fmt: skip


def top_ranked(plan: Plan, sheet: int, count: int) -> list[int]:
    """The columns ranked 1..count by the scorers' average (ties at the cut all included)."""
    if sheet == 2:
        ids: list[int] = []
        for issue in plan.issues.all():
            matrix = build(plan, 2, issue_id=issue.pk)
            ids += [c.obj.pk for c in matrix.columns if c.average > 0 and c.rank <= count]
        return ids
    matrix = build(plan, 4)
    return [c.obj.pk for c in matrix.columns if c.average > 0 and c.rank <= count]


# -- approval ---------------------------------------------------------------------------------


def _step(plan: Plan, expected: set[str], message: str) -> None:
    if plan.state not in expected:
        raise InvalidAction(message)


@transaction.atomic
def submit(plan: Plan, *, acting_user: Any, comment: str = "") -> None:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _step(plan, set(Plan.EDITABLE_STATES), _("Only a draft or returned plan can be submitted."))
    if not access.is_km_team(acting_user, plan.organisation):
        raise ActionRefused(_("Only the organisation's KM team may submit its plan."))
    gaps = readiness.missing(plan)
    if gaps:
        raise InvalidAction(_("The plan cannot be submitted yet: %(gaps)s.") % {"gaps": "; ".join(gaps)})
    person = _person(acting_user)
    plan.state, plan.submitted_by, plan.submitted_at = State.SUBMITTED, person, timezone.now()
    plan.reviewed_by = plan.reviewed_at = plan.approved_by = plan.approved_at = None
    plan.save()
    touch(plan)
    _event(plan, PlanEvent.Action.SUBMITTED, person, comment)
    record("plan.submit", actor=acting_user, obj=plan, organisation=plan.organisation)
    notices.submitted(plan, acting_user)


@transaction.atomic
def review(plan: Plan, *, acting_user: Any, comment: str = "") -> None:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _step(plan, {State.SUBMITTED}, _("Only a submitted plan can be reviewed."))
    if not access.has_role(acting_user, plan.organisation, Role.CKO):
        raise ActionRefused(_("Only the organisation's CKO may review its plan."))
    person = _person(acting_user)
    plan.state, plan.reviewed_by, plan.reviewed_at = State.REVIEWED, person, timezone.now()
    plan.save()
    touch(plan)
    _event(plan, PlanEvent.Action.REVIEWED, person, comment)
    record("plan.review", actor=acting_user, obj=plan, organisation=plan.organisation)
    notices.reviewed(plan, acting_user)


@transaction.atomic
def return_plan(plan: Plan, *, acting_user: Any, comment: str) -> None:
    """The CKO returns a submitted plan, the CEO a reviewed one, with comments."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _step(plan, {State.SUBMITTED, State.REVIEWED}, _("Only a submitted or reviewed plan can be returned."))
    role = Role.CKO if plan.state == State.SUBMITTED else Role.CEO
    if not access.has_role(acting_user, plan.organisation, role):
        raise ActionRefused(
            _("Only the CKO may return a submitted plan.")
            if role == Role.CKO
            else _("Only the CEO may return a reviewed plan.")
        )
    comment = (comment or "").strip()
    if not comment:
        raise InvalidAction(
            _("Say what should change: the comments go back to the KM team."), field="comment"
        )
    person = _person(acting_user)
    plan.state, plan.return_comment = State.RETURNED, comment
    plan.save()
    touch(plan)
    _event(plan, PlanEvent.Action.RETURNED, person, comment)
    record(
        "plan.return", actor=acting_user, obj=plan, organisation=plan.organisation, data={"comment": comment}
    )
    notices.returned(plan, acting_user, comment)


@transaction.atomic
def approve(plan: Plan, *, acting_user: Any, comment: str = "") -> None:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _step(plan, {State.REVIEWED}, _("Only a plan the CKO has reviewed can be approved."))
    if not access.has_role(acting_user, plan.organisation, Role.CEO):
        raise ActionRefused(_("Only the organisation's CEO may approve its plan."))
    person = _person(acting_user)
    plan.state, plan.approved_by, plan.approved_at = State.APPROVED, person, timezone.now()
    plan.return_comment = ""
    plan.save()
    touch(plan)
    if plan.amends_id:
        Plan.objects.filter(pk=plan.amends_id).update(state=State.SUPERSEDED)
    _event(plan, PlanEvent.Action.APPROVED, person, comment)
    record("plan.approve", actor=acting_user, obj=plan, organisation=plan.organisation)
    notices.approved(plan, acting_user)


@transaction.atomic
def amend(plan: Plan, *, acting_user: Any) -> Plan:
    """A new revision of an approved plan, as a draft; the approved one stays in force until
    the amendment is approved."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _step(plan, {State.APPROVED}, _("Only an approved plan can be amended."))
    if not access.is_km_team(acting_user, plan.organisation):
        raise ActionRefused(_("Only the organisation's KM team may amend its plan."))
    latest = Plan.objects.filter(organisation=plan.organisation, fiscal_year=plan.fiscal_year).aggregate(
        n=Max("revision")
    )["n"]
    if latest != plan.revision:
        raise InvalidAction(_("An amendment of this plan is already in progress."))
    person = _person(acting_user)
    new = Plan.objects.create(
        organisation=plan.organisation, fiscal_year=plan.fiscal_year, revision=plan.revision + 1, amends=plan
    )
    copy_contents(plan, new, years=0, keep_choices=True)
    _event(new, PlanEvent.Action.AMENDED, person, str(plan.revision))
    record("plan.amend", actor=acting_user, obj=new, organisation=plan.organisation)
    return new


@transaction.atomic
def save_texts(plan: Plan, data: dict[str, Any], *, acting_user: Any, base_version: int) -> None:
    """The plan's own texts (focus area, key success factors, preface), if nobody changed the
    plan since the form was loaded."""
    require_edit(plan, acting_user)
    touch(plan, base_version=base_version)
    fields = ["focus_area", "key_success_factors", "preface"]
    for name in fields:
        setattr(plan, name, data.get(name, ""))
    plan.save(update_fields=fields)
    record("plan.edit", actor=acting_user, obj=plan, organisation=plan.organisation, data={"texts": fields})
