"""Changing frameworks, cycles, assessments, needs and the 3-year plan. Each action checks
permission, runs in one transaction and writes an audit row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from platu.audit.log import record
from platu.competency import access, frameworks, gaps
from platu.competency.models import (
    Assessment,
    Competency,
    Cycle,
    DevItem,
    DevPlan,
    Expectation,
    Framework,
    Level,
    Need,
    Push,
    Rating,
    Review,
    Supervisor,
    Way,
)
from platu.lib import thaidate
from platu.lib.errors import ActionRefused, EditConflict, InvalidAction
from platu.notify.send import notify
from platu.orgs import access as org_access
from platu.orgs.models import Organisation, Person
from platu.planning import access as plan_access
from platu.planning.actions import touch as touch_plan
from platu.planning.models import Activity, Plan

MAX_LEVEL = 10


def _person(user: Any) -> Person:
    person = org_access.person_of(user)
    if person is None:
        raise ActionRefused(_("Your account is not linked to a person in any organisation."))
    return person


def _require_admin(user: Any, org: Organisation) -> None:
    if not access.can_admin(user, org):
        raise ActionRefused(_("Only the organisation's CEO, CKO, KM team lead or secretary may do this."))


def _bump(model: Any, obj: Any, base_version: int | None) -> None:
    """Optimistic locking: count a change, refusing when someone changed the row since."""
    qs = model.objects.filter(pk=obj.pk)
    if base_version is not None:
        qs = qs.filter(version=base_version)
    if not qs.update(version=F("version") + 1):
        raise EditConflict(model.objects.filter(pk=obj.pk).values_list("version", flat=True).first() or 0)
    obj.version = model.objects.filter(pk=obj.pk).values_list("version", flat=True).first()


def _text(data: dict[str, Any], name: str, limit: int) -> str:
    return " ".join(str(data.get(name) or "").split())[:limit]


# -- frameworks ------------------------------------------------------------------------------


def _copy(source: Framework, target: Framework) -> None:
    Level.objects.bulk_create(
        Level(framework=target, value=lv.value, name=lv.name, description=lv.description)
        for lv in source.levels.all()
    )
    mapping: dict[int, Competency] = {}
    for node in frameworks.tree(source):
        c = node.competency
        mapping[c.pk] = Competency.objects.create(
            framework=target, parent=mapping.get(c.parent_id) if c.parent_id else None, kind=c.kind,
            code=c.code, name=c.name, description=c.description, order=c.order,
        )  # fmt: skip
    Expectation.objects.bulk_create(
        Expectation(framework=target, position=e.position, competency=mapping[e.competency_id], level=e.level)
        for e in source.expectations.all()
        if e.competency_id in mapping
    )


@transaction.atomic
def start_framework(
    org: Organisation, *, acting_user: Any, name: str = "", copy: Framework | None = None
) -> Framework:
    """The organisation's own framework (a school stops inheriting once it publishes one):
    empty, or a copy of the framework it inherits."""
    _require_admin(acting_user, org)
    if Framework.objects.filter(organisation=org).exists():
        raise InvalidAction(_("This organisation has a framework already: make a new version of it instead."))
    name = " ".join(name.split())[:255] or (copy.name if copy else "")
    if not name:
        raise InvalidAction(_("Give the framework a name."), field="name")
    row = Framework.objects.create(organisation=org, name=name, based_on=copy,
                                   description=copy.description if copy else "")  # fmt: skip
    if copy is not None:
        _copy(copy, row)
    record("competency.framework_start", actor=acting_user, obj=row, organisation=org,
           data={"copied_from": copy.pk if copy else None})  # fmt: skip
    return row


def _new_version(framework: Framework, acting_user: Any) -> Framework:
    newer = (
        Framework.objects.filter(organisation=framework.organisation, state=Framework.State.DRAFT,
                                 number__gt=framework.number).order_by("-number").first()
    )  # fmt: skip
    if newer is not None:
        return newer
    number = (
        Framework.objects.filter(organisation=framework.organisation).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    row = Framework.objects.create(organisation=framework.organisation, number=number, name=framework.name,
                                   description=framework.description, based_on=framework)  # fmt: skip
    _copy(framework, row)
    record("competency.framework_version", actor=acting_user, obj=row, organisation=framework.organisation,
           data={"from": framework.number, "number": number})  # fmt: skip
    return row


FRAMEWORK_OPS = ("texts", "level", "level_delete", "competency", "competency_delete", "expectation",
                 "expectation_delete", "publish", "new_version")  # fmt: skip


@transaction.atomic
def edit_framework(
    framework: Framework, op: str, data: dict[str, Any], *, acting_user: Any, base_version: int | None
) -> tuple[Framework, bool]:
    """One change to a framework. A version in use (assessments were made against it) is
    never changed: the change goes into its next version (a draft copy), which is returned
    with True."""
    org = framework.organisation
    _require_admin(acting_user, org)
    if op not in FRAMEWORK_OPS:
        raise InvalidAction(_("Unknown request."))
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    if base_version is not None and framework.version != base_version:
        raise EditConflict(framework.version)
    target = framework
    if op == "new_version" or frameworks.in_use(framework):
        # An edit posted from a page loaded before the version came into use is not applied:
        # the user makes it again in the new draft version they are taken to.
        return _new_version(framework, acting_user), True
    if op == "publish":
        if target.state == Framework.State.PUBLISHED:
            raise InvalidAction(_("This version is published already."))
        if not target.levels.exists() or not target.competencies.exists():
            raise InvalidAction(
                _(
                    "A framework needs its proficiency scale and at least one competency before it is published."
                )
            )
        if not target.expectations.exists():
            raise InvalidAction(
                _("Say which levels are expected (for everyone or for positions) before publishing.")
            )
        target.state, target.published_at, target.published_by = (
            Framework.State.PUBLISHED,
            timezone.now(),
            org_access.person_of(acting_user),
        )
        target.save(update_fields=["state", "published_at", "published_by"])
    else:
        _apply(target, op, data)
    _bump(Framework, target, None)
    record(f"competency.framework_{'publish' if op == 'publish' else 'edit'}", actor=acting_user, obj=target,
           organisation=org, data={"op": op, "number": target.number})  # fmt: skip
    return target, False


def _level(value: Any, field: str, framework: Framework | None = None) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise InvalidAction(_("Choose a level from the scale."), field=field) from None
    if framework is not None:
        if not Level.objects.filter(framework=framework, value=number).exists():
            raise InvalidAction(_("Choose a level from the scale."), field=field)
    elif not 0 <= number <= MAX_LEVEL:
        raise InvalidAction(_("A level is a whole number from 0 to 10."), field=field)
    return number


def _apply(fw: Framework, op: str, data: dict[str, Any]) -> None:
    if op == "texts":
        name = _text(data, "name", 255)
        if not name:
            raise InvalidAction(_("Give the framework a name."), field="name")
        fw.name, fw.description = name, str(data.get("description") or "")
        fw.save(update_fields=["name", "description"])
    elif op == "level":
        value = _level(data.get("value"), "value")
        name = _text(data, "name", 120)
        if not name:
            raise InvalidAction(_("Give the level a name, e.g. ปฏิบัติได้ดี."), field="name")
        Level.objects.update_or_create(framework=fw, value=value, defaults={
            "name": name, "description": _text(data, "description", 500)})  # fmt: skip
    elif op == "level_delete":
        value = _level(data.get("value"), "value")
        if Expectation.objects.filter(framework=fw, level=value).exists():
            raise InvalidAction(_("Some expected levels use this level: change them first."))
        Level.objects.filter(framework=fw, value=value).delete()
    elif op == "competency":
        name = _text(data, "name", 300)
        if not name:
            raise InvalidAction(_("Give the competency a name."), field="name")
        kind = str(data.get("kind") or "")
        if kind not in Competency.Kind.values:
            raise InvalidAction(_("Choose the kind of competency."), field="kind")
        parent = _competency(fw, data.get("parent"), "parent") if data.get("parent") else None
        row = _competency(fw, data.get("pk"), "pk") if data.get("pk") else Competency(framework=fw)
        if parent is not None and row.pk is not None:
            node: Competency | None = parent
            while node is not None:
                if node.pk == row.pk:
                    raise InvalidAction(_("A competency cannot be placed under itself."), field="parent")
                node = node.parent
        if row.pk is None:
            row.order = (Competency.objects.filter(framework=fw).aggregate(n=Max("order"))["n"] or 0) + 1
        row.name, row.kind, row.parent = name, kind, parent
        row.code, row.description = _text(data, "code", 20), str(data.get("description") or "")
        row.save()
    elif op == "competency_delete":
        row = _competency(fw, data.get("pk"), "pk")
        row.delete()
    elif op == "expectation":
        competency = _competency(fw, data.get("competency"), "competency")
        level = _level(data.get("level"), "level", fw)
        Expectation.objects.update_or_create(framework=fw, position=_text(data, "position", 255),
                                             competency=competency, defaults={"level": level})  # fmt: skip
    elif op == "expectation_delete":
        pk = data.get("pk")
        Expectation.objects.filter(
            framework=fw, pk=int(str(pk)) if str(pk).isdigit() and len(str(pk)) < 12 else 0
        ).delete()


def _competency(fw: Framework, pk: Any, field: str) -> Competency:
    text = str(pk or "").strip()
    row = (
        Competency.objects.filter(framework=fw, pk=int(text)).first()
        if text.isdigit() and len(text) < 12
        else None
    )
    if row is None:
        raise InvalidAction(_("Choose a competency of this framework."), field=field)
    return row


# -- cycles ----------------------------------------------------------------------------------


def default_dates(year: int) -> tuple[dt.date, dt.date]:
    """July by default: 1 July to 31 July of the B.E. year."""
    ce = thaidate.to_ce(year)
    return dt.date(ce, 7, 1), dt.date(ce, 7, 31)


@transaction.atomic
def open_cycle(
    org: Organisation, year: int, opens_on: dt.date, closes_on: dt.date, *, acting_user: Any
) -> Cycle:
    _require_admin(acting_user, org)
    if not 2400 < year < 2700:
        raise InvalidAction(_("The year must be a Buddhist-Era year such as 2569."), field="year")
    if closes_on < opens_on:
        raise InvalidAction(_("The cycle must close on or after the day it opens."), field="closes_on")
    framework = frameworks.effective(org)
    if framework is None:
        raise InvalidAction(
            _("There is no published competency framework for this organisation or the offices above it yet.")
        )
    if Cycle.objects.filter(organisation=org, year=year).exists():
        raise InvalidAction(_("There is already a cycle for %(year)s.") % {"year": year}, field="year")
    row = Cycle.objects.create(organisation=org, year=year, framework=framework, opens_on=opens_on,
                               closes_on=closes_on, opened_by=org_access.person_of(acting_user))  # fmt: skip
    record("competency.cycle_open", actor=acting_user, obj=row, organisation=org,
           data={"year": year, "framework": framework.pk, "opens": opens_on.isoformat(), "closes": closes_on.isoformat()})  # fmt: skip
    people = [p.user for p in gaps.people_of(row).select_related("user") if p.user_id]
    notify(people, kind="competency.cycle_open", actor=acting_user, url=row.get_absolute_url(),
           text=_("The competency assessment and development-needs survey %(year)s is open until %(date)s.")
           % {"year": year, "date": thaidate.format_date(closes_on, "medium")})  # fmt: skip
    return row


@transaction.atomic
def set_cycle(cycle: Cycle, *, acting_user: Any, base_version: int, opens_on: dt.date | None = None,
              closes_on: dt.date | None = None, state: str | None = None) -> Cycle:  # fmt: skip
    """Change the dates, close the cycle, or open it again."""
    _require_admin(acting_user, cycle.organisation)
    _bump(Cycle, cycle, base_version)
    if opens_on and closes_on:
        if closes_on < opens_on:
            raise InvalidAction(_("The cycle must close on or after the day it opens."), field="closes_on")
        cycle.opens_on, cycle.closes_on = opens_on, closes_on
    if state in Cycle.State.values:
        cycle.state = str(state)
        cycle.closed_at = timezone.now() if state == Cycle.State.CLOSED else None
    cycle.save(update_fields=["opens_on", "closes_on", "state", "closed_at"])
    record("competency.cycle_close" if state == Cycle.State.CLOSED else "competency.cycle_edit", actor=acting_user,
           obj=cycle, organisation=cycle.organisation,
           data={"state": cycle.state, "opens": cycle.opens_on.isoformat(), "closes": cycle.closes_on.isoformat()})  # fmt: skip
    return cycle


@transaction.atomic
def name_supervisor(cycle: Cycle, person: Person, supervisor: Person | None, *, acting_user: Any) -> None:
    _require_admin(acting_user, cycle.organisation)
    if not access.is_member(person, cycle.organisation):
        raise InvalidAction(_("Choose a member of the organisation."), field="person")
    if supervisor is not None and supervisor.pk == person.pk:
        raise InvalidAction(_("A person cannot be their own supervisor."), field="supervisor")
    if (
        supervisor is not None
        and not org_access.network_people(cycle.organisation, acting_user).filter(pk=supervisor.pk).exists()
    ):
        raise InvalidAction(
            _("Choose a supervisor from the organisation or its network."), field="supervisor"
        )
    if supervisor is None:
        Supervisor.objects.filter(cycle=cycle, person=person).delete()
    else:
        Supervisor.objects.update_or_create(cycle=cycle, person=person, defaults={"supervisor": supervisor})
    record("competency.supervisor", actor=acting_user, obj=cycle, organisation=cycle.organisation,
           data={"person": person.pk, "supervisor": supervisor.pk if supervisor else None})  # fmt: skip


# -- assessments and needs -------------------------------------------------------------------


def _require_open(cycle: Cycle) -> None:
    today = timezone.localdate()
    if not cycle.accepts(today):
        raise InvalidAction(
            _("The cycle is not open: assessments are made from %(start)s to %(end)s while it is open.")
            % {"start": thaidate.format_date(cycle.opens_on, "medium"), "end": thaidate.format_date(cycle.closes_on, "medium")}
        )  # fmt: skip


@transaction.atomic
def save_assessment(
    cycle: Cycle, person: Person, kind: str, levels: dict[int, Any], *, acting_user: Any,
    base_version: int, notes: dict[int, str] | None = None, comment: str = "", submit: bool = False,
) -> Assessment:  # fmt: skip
    """Save (and with submit, hand in) a self- or supervisor assessment. Levels come from the
    framework's scale for the competencies expected of the person's position; a submitted one
    rates them all. Two people saving one assessment: the second gets EditConflict."""
    if kind == Assessment.Kind.SELF:
        if not access.is_self(acting_user, person):
            raise ActionRefused(_("Only the person themself makes their self-assessment."))
    elif kind == Assessment.Kind.SUPERVISOR:
        if not access.can_assess_as_supervisor(acting_user, person, cycle):
            raise ActionRefused(
                _(
                    "Only the supervisor named for this person or the organisation's administrators make the supervisor assessment."
                )
            )
    else:
        raise InvalidAction(_("Unknown request."))
    _require_open(cycle)
    row, _created = Assessment.objects.get_or_create(cycle=cycle, person=person, kind=kind)
    row = Assessment.objects.select_for_update().get(pk=row.pk)
    if row.version != base_version:
        raise EditConflict(row.version)
    expected = frameworks.expected(cycle.framework, person.position)
    scale = set(Level.objects.filter(framework=cycle.framework).values_list("value", flat=True))
    clean: dict[int, int] = {}
    for cid in expected:
        raw = levels.get(cid)
        if raw in (None, ""):
            continue
        try:
            value = int(str(raw))
        except ValueError:
            value = -1
        if value not in scale:
            raise InvalidAction(_("Choose a level from the scale."), field=f"c{cid}")
        clean[cid] = value
    missing = [cid for cid in expected if cid not in clean]
    if submit and missing:
        raise InvalidAction(_("Rate every competency before handing the assessment in (%(n)s left).") % {"n": len(missing)},
                            field=f"c{missing[0]}")  # fmt: skip
    Rating.objects.filter(assessment=row).exclude(competency_id__in=list(clean)).delete()
    for cid, value in clean.items():
        Rating.objects.update_or_create(assessment=row, competency_id=cid, defaults={
            "level": value, "note": " ".join(str((notes or {}).get(cid) or "").split())[:500]})  # fmt: skip
    row.comment = comment
    row.assessor = _person(acting_user)
    first_submit = submit and row.submitted_at is None
    if submit:
        row.submitted_at = timezone.now()
    row.version += 1
    row.save()
    record(f"competency.assess_{kind}", actor=acting_user, obj=row, organisation=cycle.organisation,
           data={"person": person.pk, "submitted": submit, "ratings": len(clean)})  # fmt: skip
    if first_submit and kind == Assessment.Kind.SELF:
        notify(_supervisors(cycle, person), kind="competency.self_done", actor=acting_user,
               url=f"{cycle.get_absolute_url()}people/{person.pk}/supervisor/",
               text=_("%(person)s has handed in their self-assessment %(year)s: your assessment is awaited.")
               % {"person": person.full_name, "year": cycle.year})  # fmt: skip
    return row


def _supervisors(cycle: Cycle, person: Person) -> list[Any]:
    named = Supervisor.objects.filter(cycle=cycle, person=person).select_related("supervisor__user").first()
    if named is not None:
        return [named.supervisor.user] if named.supervisor.user_id else []
    return [p.user for p in Person.objects.filter(
        memberships__organisation=cycle.organisation, memberships__role_rows__role="ceo", user__isnull=False,
    ).exclude(pk=person.pk).select_related("user").distinct()]  # fmt: skip


@transaction.atomic
def save_need(
    cycle: Cycle, person: Person, data: dict[str, Any], *, acting_user: Any, base_version: int
) -> Need:
    if not access.is_self(acting_user, person):
        raise ActionRefused(_("Only the person themself answers their development-needs survey."))
    _require_open(cycle)
    topics = str(data.get("topics") or "").strip()
    if not topics:
        raise InvalidAction(_("Write what you want to develop."), field="topics")
    ways = [w for w in data.get("ways") or [] if w in Way.values]
    if not ways:
        raise InvalidAction(_("Choose at least one way you prefer to develop."), field="ways")
    row, _created = Need.objects.get_or_create(cycle=cycle, person=person, defaults={"topics": topics})
    row = Need.objects.select_for_update().get(pk=row.pk)
    if row.version != base_version:
        raise EditConflict(row.version)
    row.topics, row.ways, row.note = topics, ways, str(data.get("note") or "").strip()
    row.version += 1
    row.save()
    ids = [c.pk for c in data.get("competencies") or []]
    row.competencies.set(Competency.objects.filter(framework=cycle.framework, pk__in=ids))
    record(
        "competency.need", actor=acting_user, obj=row, organisation=cycle.organisation, data={"ways": ways}
    )
    return row


# -- the 3-year people-development plan ------------------------------------------------------

# Where a way of developing sits in the KM action plan (Form 2): process and step.
FORM2_PLACE: dict[str, tuple[str, int]] = {
    Way.TRAINING: (Activity.Process.CHANGE, 4),  # learning
    Way.PLC: (Activity.Process.KM, 6),  # knowledge sharing
    Way.COACHING: (Activity.Process.CHANGE, 4),
    Way.STUDY_VISIT: (Activity.Process.KM, 2),  # creation and acquisition
    Way.SELF_STUDY: (Activity.Process.KM, 7),  # learning
}


@transaction.atomic
def start_plan(
    org: Organisation, first_year: int, title: str, *, acting_user: Any, cycle: Cycle | None = None
) -> DevPlan:
    """A new 3-year plan; built from a cycle, it starts with an item for each competency in
    which people are below the expected level (the most asked-for way of those people)."""
    if not access.can_plan(acting_user, org):
        raise ActionRefused(
            _("Only the organisation's administrators and KM team make its development plan.")
        )
    if not 2400 < first_year < 2700:
        raise InvalidAction(_("The year must be a Buddhist-Era year such as 2569."), field="first_year")
    if DevPlan.objects.filter(organisation=org, first_year=first_year).exists():
        raise InvalidAction(
            _("There is already a plan starting in %(year)s.") % {"year": first_year}, field="first_year"
        )
    title = " ".join(title.split())[:255]
    if not title:
        raise InvalidAction(_("Give the plan a title."), field="title")
    if cycle is not None and cycle.organisation_id != org.pk:
        raise InvalidAction(_("Choose a cycle of this organisation."), field="cycle")
    plan = DevPlan.objects.create(organisation=org, first_year=first_year, title=title, cycle=cycle,
                                  created_by=org_access.person_of(acting_user))  # fmt: skip
    if cycle is not None:
        results = gaps.results(cycle)
        needs = {n.person_id: n.ways for n in Need.objects.filter(cycle=cycle)}
        for order, node in enumerate(frameworks.tree(cycle.framework)):
            below = [r.person for r in results if r.gaps.get(node.competency.pk, 0) > 0]
            if not below:
                continue
            asked: dict[str, int] = {}
            for p in below:
                for w in needs.get(p.pk, []):
                    asked[w] = asked.get(w, 0) + 1
            way = max(asked, key=lambda w: asked[w]) if asked else Way.TRAINING
            item = DevItem.objects.create(plan=plan, order=order, way=way, years=[first_year],
                                          title=f"พัฒนา{node.competency.name}", hours=Decimal(6))  # fmt: skip
            item.competencies.set([node.competency])
            item.people.set(below)
    record("competency.plan_start", actor=acting_user, obj=plan, organisation=org,
           data={"first_year": first_year, "cycle": cycle.pk if cycle else None, "items": plan.items.count()})  # fmt: skip
    return plan


def _decimal(value: Any, field: str, message: str, *, places: str, required: bool = False) -> Decimal | None:
    text = thaidate.arabic_digits(str(value if value is not None else "")).replace(",", "").strip()
    if not text:
        if required:
            raise InvalidAction(message, field=field)
        return None
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        raise InvalidAction(message, field=field) from None
    if not number.is_finite() or number < 0 or number >= Decimal("1e11"):
        raise InvalidAction(message, field=field)
    return number.quantize(Decimal(places))


@transaction.atomic
def save_item(
    plan: DevPlan, item: DevItem | None, data: dict[str, Any], *, acting_user: Any, base_version: int
) -> DevItem:
    org = plan.organisation
    if not access.can_plan(acting_user, org):
        raise ActionRefused(
            _("Only the organisation's administrators and KM team make its development plan.")
        )
    _bump(DevPlan, plan, base_version)
    title = _text(data, "title", 300)
    if not title:
        raise InvalidAction(_("Name the development item."), field="title")
    way = str(data.get("way") or "")
    if way not in Way.values:
        raise InvalidAction(_("Choose a way of developing."), field="way")
    years = sorted({int(y) for y in data.get("years") or [] if str(y).isdigit() and int(y) in plan.years})
    if not years:
        raise InvalidAction(_("Choose at least one of the plan's years."), field="years")
    hours = _decimal(
        data.get("hours"), "hours", _("Hours are a number such as 6 or 12.5."), places="0.1", required=True
    )
    budget = _decimal(
        data.get("budget"), "budget", _("The budget is an amount in baht such as 15000."), places="0.01"
    )
    people = list(data.get("people") or [])
    members = set(Person.objects.filter(memberships__organisation=org).values_list("pk", flat=True))
    if any(p.pk not in members for p in people):
        raise InvalidAction(_("Target people must be members of the organisation."), field="people")
    positions = ", ".join(p.strip() for p in str(data.get("positions") or "").split(",") if p.strip())[:500]
    if not people and not positions:
        raise InvalidAction(_("Name the target people or the positions the item is for."), field="people")
    if item is None:
        item = DevItem(plan=plan, order=(plan.items.aggregate(n=Max("order"))["n"] or 0) + 1)
    item.title, item.way, item.years, item.hours, item.budget = title, way, years, hours or Decimal(0), budget
    item.positions, item.note = positions, str(data.get("note") or "").strip()
    item.save()
    item.people.set(people)
    item.competencies.set(list(data.get("competencies") or []))
    record("competency.item", actor=acting_user, obj=item, organisation=org,
           data={"plan": plan.pk, "years": years, "way": way})  # fmt: skip
    return item


@transaction.atomic
def delete_item(item: DevItem, *, acting_user: Any, base_version: int) -> None:
    plan = item.plan
    if not access.can_plan(acting_user, plan.organisation):
        raise ActionRefused(
            _("Only the organisation's administrators and KM team make its development plan.")
        )
    _bump(DevPlan, plan, base_version)
    record("competency.item_delete", actor=acting_user, obj=item, organisation=plan.organisation,
           data={"title": item.title, "activities": list(item.pushes.values_list("activity_id", flat=True))})  # fmt: skip
    item.delete()


@transaction.atomic
def save_review(plan: DevPlan, year: int, note: str, *, acting_user: Any) -> Review:
    if not access.can_plan(acting_user, plan.organisation):
        raise ActionRefused(
            _("Only the organisation's administrators and KM team make its development plan.")
        )
    if year not in plan.years:
        raise InvalidAction(_("Choose one of the plan's years."), field="year")
    note = note.strip()
    if not note:
        raise InvalidAction(_("Write what the review found."), field="note")
    row, _created = Review.objects.update_or_create(plan=plan, year=year, defaults={
        "note": note, "reviewed_by": _person(acting_user), "reviewed_at": timezone.now()})  # fmt: skip
    record(
        "competency.review", actor=acting_user, obj=plan, organisation=plan.organisation, data={"year": year}
    )
    return row


def target_people(item: DevItem) -> list[Person]:
    """The item's people, and the organisation's members whose position is one of its groups."""
    people = {p.pk: p for p in item.people.all()}
    groups = [" ".join(g.split()).casefold() for g in item.position_list()]
    if groups:
        for p in Person.objects.filter(memberships__organisation=item.plan.organisation).distinct():
            if any(" ".join(p.position.split()).casefold().startswith(g) for g in groups):
                people.setdefault(p.pk, p)
    return list(people.values())


@transaction.atomic
def push(item: DevItem, fiscal_year: int, *, acting_user: Any) -> Push:
    """Put the item into the organisation's KM action plan (Form 2) of the fiscal year as an
    activity: only while that plan can be edited (draft or returned) by the acting KM team
    member. An item carried into an amendment with the plan is linked, not added twice."""
    org = item.plan.organisation
    if fiscal_year not in item.years:
        raise InvalidAction(
            _("The item is not planned for fiscal year %(year)s.") % {"year": fiscal_year}, field="year"
        )
    plan = Plan.objects.filter(organisation=org, fiscal_year=fiscal_year).order_by("-revision").first()
    if plan is None:
        raise InvalidAction(
            _("There is no KM plan for fiscal year %(year)s yet: the KM team starts it first.")
            % {"year": fiscal_year}
        )
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.state == Plan.State.APPROVED:
        raise InvalidAction(
            _(
                "The KM plan %(year)s is approved and cannot be changed: start an amendment of the plan first, then add the item."
            )
            % {"year": fiscal_year}
        )
    if not plan.is_editable:
        raise InvalidAction(_("The KM plan %(year)s is %(state)s and cannot be changed now; it can be once it is returned or approved (through an amendment).")
                            % {"year": fiscal_year, "state": plan.get_state_display()})  # fmt: skip
    if not plan_access.can_edit(acting_user, plan):
        raise ActionRefused(_("Only the organisation's KM team may add activities to its KM plan."))
    earlier = Push.objects.filter(item=item, fiscal_year=fiscal_year, activity__isnull=False).select_related(
        "activity"
    )
    if earlier.filter(activity__plan=plan).exists():
        raise InvalidAction(_("The item is in the KM plan %(year)s already.") % {"year": fiscal_year})
    person = _person(acting_user)
    carried = None
    for e in earlier:  # copied into this amendment with the rest of the plan
        assert e.activity is not None
        carried = Activity.objects.filter(plan=plan, name=e.activity.name, process=e.activity.process,
                                          step=e.activity.step).first()  # fmt: skip
        if carried:
            break
    touch_plan(plan)
    if carried is not None:
        activity = carried
    else:
        process, step = FORM2_PLACE.get(item.way, (Activity.Process.KM, 6))
        start, end = thaidate.fiscal_year_bounds(fiscal_year)
        people = target_people(item)
        groups = ", ".join(item.position_list())
        names = ", ".join(p.full_name for p in item.people.all()[:10])
        way = str(dict(Way.choices)[item.way]) if item.way in Way.values else item.way
        hours = f"{item.hours.normalize():f}"
        activity = Activity.objects.create(
            plan=plan, process=process, step=step, name=item.title[:500],
            order=(Activity.objects.filter(plan=plan).aggregate(n=Max("order"))["n"] or 0) + 1,
            method=(f"{way}\n{item.note}".strip() + f"\n(จากแผนพัฒนาทรัพยากรบุคคล: {item.plan.title})")[:5000],
            start=start, end=end,
            indicator=f"ผู้เข้ารับการพัฒนาได้รับการพัฒนาครบ {hours} ชั่วโมง",
            target=f"{len(people)} คน" if people else "",
            target_group=(groups or names)[:255], responsible=person.full_name[:500], budget=item.budget,
        )  # fmt: skip
    row = Push.objects.create(item=item, fiscal_year=fiscal_year, activity=activity, pushed_by=person)
    record("competency.push", actor=acting_user, obj=item, organisation=org,
           data={"plan": plan.pk, "revision": plan.revision, "activity": activity.pk, "carried": carried is not None})  # fmt: skip
    record("plan.edit", actor=acting_user, obj=plan, organisation=org,
           data={"activity_added": activity.pk, "from": "competency", "item": item.pk})  # fmt: skip
    return row
