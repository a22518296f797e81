"""Events: who may see them, and the actions on them (create, publish, register, waiting list,
sessions and booths, presented works). Views go through these helpers; anything else is 404.

- See: like communities (public to everyone, organisation events to its members and the offices
  above it, network events also to the organisations of its network). Drafts only to those
  who manage the event.
- Manage (edit, publish, the programme, presented works, registrations, attendance): the
  organiser organisation's administrators, and the linked community's managers.
- Register: anyone who sees an open event and is a person in Platu. Places are taken in order
  under a lock on the event row, so two people cannot both take the last place; the others
  join the waiting list and move up, in order, when someone cancels.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from platu.audit.log import record
from platu.communities import access as community_access
from platu.communities.models import Community, Member
from platu.communities.models.events import Event, EventSlot, PresentedWork, Registration
from platu.lib.errors import ActionRefused, EditConflict, InvalidAction
from platu.orgs import access as org_access
from platu.orgs.models import ADMIN_ROLES, Organisation, Person

MAX_CAPACITY = 100_000

EVENT_FIELDS = (
    "title",
    "kind",
    "description",
    "place",
    "online_url",
    "starts_at",
    "ends_at",
    "capacity",
    "registration_closes_at",
    "visibility",
    "community",
)


# -- who may see and manage -----------------------------------------------------------------------


def visible_events_q(user: Any) -> Q:
    """Like communities: public to everyone, organisation events to its members and the offices
    above it, network events also to the organisations of its network. Drafts only to the
    organiser's administrators (checked by the views)."""
    public = Q(visibility=Community.Visibility.PUBLIC)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return public & ~Q(state="draft")
    if user.is_staff:
        return Q()
    q = public | org_access.visible_q(user, "organisation__path")
    prefixes = org_access.path_prefixes(user)
    if prefixes:
        q |= Q(visibility=Community.Visibility.NETWORK, network_path__in=prefixes)
    return q


def _admin_org_ids(user: Any) -> list[int]:
    return [
        m.organisation_id for m in org_access.memberships_of(user) if any(r in ADMIN_ROLES for r in m.roles)
    ]


def managed_events_q(user: Any) -> Q:
    """The events ``user`` manages: those of the organisations they administer, and those of
    the communities they facilitate (or whose organisation they administer)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    if user.is_staff:
        return Q()
    admin = _admin_org_ids(user)
    facilitated = Member.objects.filter(
        person__user=user, state=Member.State.MEMBER, role=Member.Role.FACILITATOR
    ).values("community_id")
    return (
        Q(organisation_id__in=admin)
        | Q(community__organisation_id__in=admin)
        | Q(community_id__in=facilitated)
    )


def listable_events(user: Any) -> QuerySet[Event]:
    """What ``user`` may open: the visible events, drafts only where they manage them."""
    return Event.objects.visible_to(user).filter(~Q(state=Event.State.DRAFT) | managed_events_q(user))


def can_manage(user: Any, event: Event) -> bool:
    if org_access.can_admin(user, event.organisation):
        return True
    return event.community is not None and community_access.can_manage(user, event.community)


def can_create(user: Any, org: Organisation) -> bool:
    """The organisation's administrators, and the facilitators of its communities (for an
    event of their community)."""
    return org_access.can_admin(user, org) or bool(manageable_communities(user, org))


def manageable_communities(user: Any, org: Organisation) -> list[Community]:
    """The organisation's communities ``user`` may hold an event for."""
    communities = Community.objects.filter(organisation=org).order_by("name")
    if org_access.can_admin(user, org):
        return list(communities)
    return list(
        communities.filter(
            members__person__user=user,
            members__state=Member.State.MEMBER,
            members__role=Member.Role.FACILITATOR,
        ).distinct()
    )


def get_event_for_user(request: HttpRequest, pk: int) -> Event:
    event = (
        Event.objects.visible_to(request.user)
        .filter(pk=pk)
        .select_related("organisation", "community__organisation")
        .first()
    )
    if event is None or (event.state == Event.State.DRAFT and not can_manage(request.user, event)):
        raise Http404
    return event


def _person(user: Any) -> Person:
    person = org_access.person_of(user)
    if person is None:
        raise ActionRefused(_("Your account is not linked to a person in any organisation."))
    return person


def _require_manage(user: Any, event: Event) -> None:
    if not can_manage(user, event):
        raise ActionRefused(
            _("Only the organiser's administrators and the community's facilitators may do this.")
        )


def _lock(event: Event) -> Event:
    """The event row, locked until the transaction ends: registrations for one event queue here."""
    locked: Event = (
        Event.objects.select_for_update(of=("self",))
        .select_related("organisation", "community__organisation")
        .get(pk=event.pk)
    )
    return locked


def _log(action: str, user: Any, event: Event, **data: Any) -> None:
    record(action, actor=user, obj=event, organisation=event.organisation, data=data)


# -- the event ------------------------------------------------------------------------------------


def _check(org: Organisation, data: dict[str, Any], user: Any, *, was: Event | None = None) -> None:
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if starts is None or ends is None:
        raise InvalidAction(_("Give the event's date and times."), field="start")
    if ends <= starts:
        raise InvalidAction(_("The event ends before it starts."), field="end")
    closes = data.get("registration_closes_at")
    if closes is not None and closes > ends:
        raise InvalidAction(_("Registration must close before the event ends."), field="closes_day")
    capacity = data.get("capacity")
    if capacity is not None and not 1 <= capacity <= MAX_CAPACITY:
        raise InvalidAction(
            _("The number of places must be from 1 to %(n)s, or empty for no limit.") % {"n": MAX_CAPACITY},
            field="capacity",
        )
    if data.get("kind") not in Event.Kind.values:
        raise InvalidAction(_("Choose the kind of event from the list."), field="kind")
    if data.get("visibility") not in Community.Visibility.values:
        raise InvalidAction(_("Choose who may see the event from the list."), field="visibility")
    to_public = data.get("visibility") == Community.Visibility.PUBLIC and (
        was is None or was.visibility != Community.Visibility.PUBLIC
    )
    if to_public and not org_access.can_admin(user, org):
        raise ActionRefused(_("Only the organisation's administrators open an event to all of Platu."))
    community = data.get("community")
    if was is not None and community == was.community:
        return  # the community it already had stays
    if community is not None and community.pk not in {c.pk for c in manageable_communities(user, org)}:
        raise InvalidAction(_("Choose one of the organisation's communities you manage."), field="community")
    if community is None and not org_access.can_admin(user, org):
        raise InvalidAction(_("Choose the community holding the event."), field="community")


@transaction.atomic
def create_event(org: Organisation, data: dict[str, Any], *, acting_user: Any) -> Event:
    """A draft event of ``org``; it opens for registration when published."""
    if not can_create(acting_user, org):
        raise ActionRefused(
            _("Only the organisation's administrators and its communities' facilitators hold events.")
        )
    _check(org, data, acting_user)
    event = Event(
        organisation=org,
        network_path=org.network_path,
        created_by=acting_user,
        state=Event.State.DRAFT,
        **{k: data[k] for k in EVENT_FIELDS if k in data},
    )
    event.save()
    _log("community.event_create", acting_user, event, title=event.title, kind=event.kind)
    return event


@transaction.atomic
def update_event(event: Event, data: dict[str, Any], *, acting_user: Any, base_version: int) -> list[Person]:
    """Change the event; refuses (EditConflict) when someone else saved it since the form was
    loaded. More places move people up from the waiting list (returned); fewer places than
    people registered keep those registered (nobody loses a place they were given) and send
    newcomers to the waiting list until enough have cancelled."""
    _require_manage(acting_user, event)
    locked = _lock(event)
    if locked.version != base_version:
        raise EditConflict(locked.version)
    merged = {k: data.get(k, getattr(locked, k)) for k in EVENT_FIELDS}
    _check(locked.organisation, merged, acting_user, was=locked)
    changed = [k for k in EVENT_FIELDS if k in data and getattr(locked, k) != data[k]]
    for k in changed:
        setattr(locked, k, data[k])
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db(fields=["version"])
    promoted = _fill_places(locked, acting_user) if locked.state == Event.State.OPEN else []
    _log("community.event_edit", acting_user, locked, fields=changed, promoted=[p.pk for p in promoted])
    return promoted


@transaction.atomic
def set_state(event: Event, state: str, *, acting_user: Any) -> Event:
    """Publish (open registration), close registration, or cancel the event."""
    _require_manage(acting_user, event)
    locked = _lock(event)
    allowed: dict[str, tuple[str, ...]] = {
        Event.State.OPEN: (Event.State.DRAFT, Event.State.CLOSED),
        Event.State.CLOSED: (Event.State.OPEN,),
        Event.State.CANCELLED: (Event.State.DRAFT, Event.State.OPEN, Event.State.CLOSED),
    }
    if state not in allowed or locked.state not in allowed[state]:
        raise InvalidAction(_("This cannot be done to the event in its present state."))
    locked.state = state
    locked.version = F("version") + 1
    locked.save(update_fields=["state", "version"])
    locked.refresh_from_db(fields=["version"])
    action = {
        "open": "community.event_publish",
        "closed": "community.event_close",
        "cancelled": "community.event_cancel",
    }[state]
    _log(action, acting_user, locked)
    if state == Event.State.OPEN:
        _fill_places(locked, acting_user)
    if state == Event.State.CANCELLED:
        from platu.notify.send import notify

        people = Registration.objects.filter(event=locked).exclude(state=Registration.State.CANCELLED)
        notify(
            [r.person.user for r in people.select_related("person__user")],
            kind="community.event_cancelled",
            url=locked.get_absolute_url(),
            actor=acting_user,
            text=_("%(event)s has been cancelled.") % {"event": locked.title},
        )
    return locked


# -- registration ---------------------------------------------------------------------------------


def registration_problem(event: Event, now: dt.datetime | None = None) -> str:
    """Why nobody may register now (a message), or ""."""
    now = now or timezone.now()
    if event.state == Event.State.CANCELLED:
        return _("This event has been cancelled.")
    if event.state != Event.State.OPEN:
        return _("Registration for this event is not open.")
    if event.ends_at <= now:
        return _("This event is over.")
    if event.registration_closes_at is not None and event.registration_closes_at <= now:
        from platu.lib import thaidate

        local = timezone.localtime(event.registration_closes_at)
        return _("Registration closed on %(date)s.") % {
            "date": f"{thaidate.format_date(local.date(), 'medium')} {local:%H:%M}"
        }
    return ""


def registered_count(event: Event) -> int:
    return Registration.objects.filter(event=event, state=Registration.State.REGISTERED).count()


def places_left(event: Event, registered: int | None = None) -> int | None:
    """None when the event has no limit; never below 0 (fewer places than people registered)."""
    if event.capacity is None:
        return None
    registered = registered_count(event) if registered is None else registered
    return max(event.capacity - registered, 0)


def waiting_position(registration: Registration) -> int:
    """1 for the first on the waiting list."""
    return (
        Registration.objects.filter(event_id=registration.event_id, state=Registration.State.WAITLISTED)
        .filter(
            Q(registered_at__lt=registration.registered_at)
            | Q(registered_at=registration.registered_at, pk__lt=registration.pk)
        )
        .count()
        + 1
    )


@transaction.atomic
def register(event: Event, *, acting_user: Any) -> Registration:
    """Take a place, or join the waiting list when none is left. Registering twice is harmless."""
    person = _person(acting_user)
    locked = _lock(event)
    problem = registration_problem(locked)
    if problem:
        raise InvalidAction(problem)
    row = Registration.objects.filter(event=locked, person=person).first()
    if row is not None and row.state != Registration.State.CANCELLED:
        return row
    left = places_left(locked)
    state = Registration.State.REGISTERED if left is None or left > 0 else Registration.State.WAITLISTED
    if row is None:
        row = Registration.objects.create(event=locked, person=person, state=state)
    else:  # registering again after cancelling: to the back of the queue
        row.state, row.registered_at, row.attended = state, timezone.now(), False
        row.save(update_fields=["state", "registered_at", "attended", "changed_at"])
    _log("community.event_register", acting_user, locked, person=person.pk, state=state)
    return row


def _fill_places(event: Event, acting_user: Any) -> list[Person]:
    """Move people up from the waiting list, first come first served, while places remain.
    The caller holds the event's lock."""
    from platu.notify.send import notify

    left = places_left(event)
    waiting = Registration.objects.filter(event=event, state=Registration.State.WAITLISTED).order_by(
        "registered_at", "pk"
    )
    chosen = list((waiting if left is None else waiting[:left]).select_related("person__user"))
    if not chosen:
        return []
    Registration.objects.filter(pk__in=[r.pk for r in chosen]).update(
        state=Registration.State.REGISTERED, changed_at=timezone.now()
    )
    people = [r.person for r in chosen]
    for person in people:
        _log("community.event_promoted", acting_user, event, person=person.pk)
    notify(
        [p.user for p in people if p.user is not None],
        kind="community.event_promoted",
        url=event.get_absolute_url(),
        actor=acting_user,
        text=_("A place has become free at %(event)s: you are now registered.") % {"event": event.title},
    )
    return people


@transaction.atomic
def cancel_registration(event: Event, *, acting_user: Any, person: Person | None = None) -> list[Person]:
    """Give a place up (one's own, or, for a manager, anyone's); the first on the waiting list
    takes it and is told. Returns who moved up."""
    me = _person(acting_user)
    person = person or me
    if person.pk != me.pk:
        _require_manage(acting_user, event)
    locked = _lock(event)
    row = Registration.objects.filter(event=locked, person=person).first()
    if row is None or row.state == Registration.State.CANCELLED:
        raise InvalidAction(_("There is no registration to cancel."))
    was = row.state
    row.state, row.attended = Registration.State.CANCELLED, False
    row.save(update_fields=["state", "attended", "changed_at"])
    _log("community.event_unregister", acting_user, locked, person=person.pk, was=was)
    if was == Registration.State.REGISTERED and locked.state == Event.State.OPEN:
        return _fill_places(locked, acting_user)
    return []


@transaction.atomic
def mark_attended(event: Event, present: list[int], *, acting_user: Any) -> int:
    """Who came, among those registered (person ids); the others are marked absent."""
    _require_manage(acting_user, event)
    locked = _lock(event)
    if locked.state == Event.State.CANCELLED:
        raise InvalidAction(_("This event has been cancelled."))
    rows = Registration.objects.filter(event=locked, state=Registration.State.REGISTERED)
    chosen = set(rows.filter(person_id__in=present).values_list("person_id", flat=True))
    rows.filter(person_id__in=chosen).update(attended=True)
    rows.exclude(person_id__in=chosen).update(attended=False)
    _log("community.event_attendance", acting_user, locked, present=sorted(chosen))
    return len(chosen)


# -- programme: sessions and booths ---------------------------------------------------------------


@transaction.atomic
def add_slot(event: Event, data: dict[str, Any], *, acting_user: Any) -> EventSlot:
    _require_manage(acting_user, event)
    title = " ".join(str(data.get("title", "")).split())[:200]
    if not title:
        raise InvalidAction(_("Give the session or booth a title."), field="title")
    kind = data.get("kind") or EventSlot.Kind.SESSION
    if kind not in EventSlot.Kind.values:
        raise InvalidAction(_("Choose session or booth."), field="kind")
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if starts is not None and ends is not None and ends <= starts:
        raise InvalidAction(_("The session ends before it starts."), field="end")
    slot = EventSlot.objects.create(
        event=event,
        kind=kind,
        title=title,
        starts_at=starts,
        ends_at=ends,
        place=str(data.get("place", ""))[:200],
        presenters=str(data.get("presenters", ""))[:500],
        description=str(data.get("description", ""))[:5000],
    )
    _log("community.event_slot_add", acting_user, event, slot=slot.pk, title=title, kind=kind)
    return slot


@transaction.atomic
def remove_slot(event: Event, slot: EventSlot, *, acting_user: Any) -> None:
    _require_manage(acting_user, event)
    if slot.event_id != event.pk:
        raise InvalidAction(_("There is no such session or booth."))
    pk, title = slot.pk, slot.title
    slot.delete()  # its works stay, shown without a session or booth
    _log("community.event_slot_remove", acting_user, event, slot=pk, title=title)


# -- presented works ------------------------------------------------------------------------------


def presentable_items(user: Any) -> QuerySet[Any]:
    """Published knowledge the acting user may read: what an event may show. A draft would be
    a dead link for most of the event's audience, so it is presented once it is published."""
    from platu.knowledge.models import Item

    return Item.objects.visible_to(user).live()


@transaction.atomic
def add_work(
    event: Event,
    item_id: int,
    *,
    slot: EventSlot | None = None,
    presenters: str = "",
    acting_user: Any,
) -> PresentedWork:
    _require_manage(acting_user, event)
    item = presentable_items(acting_user).filter(pk=item_id).first()
    if item is None:
        raise InvalidAction(_("Choose a published knowledge item you may read."), field="item")
    if slot is not None and slot.event_id != event.pk:
        raise InvalidAction(_("There is no such session or booth."), field="slot")
    if PresentedWork.objects.filter(event=event, item=item).exists():
        raise InvalidAction(_("This work is already presented at the event."), field="item")
    work = PresentedWork.objects.create(
        event=event, item=item, slot=slot, presenters=presenters.strip()[:500], added_by=acting_user
    )
    _log("community.event_work_add", acting_user, event, item=item.pk, slot=slot.pk if slot else None)
    return work


@transaction.atomic
def remove_work(event: Event, work: PresentedWork, *, acting_user: Any) -> None:
    _require_manage(acting_user, event)
    if work.event_id != event.pk:
        raise InvalidAction(_("There is no such presented work."))
    item_id = work.item_id
    work.delete()
    _log("community.event_work_remove", acting_user, event, item=item_id)
