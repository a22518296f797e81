"""Event pages: the list of events I may see, an organisation's new event, an event's page
(programme, presented works, places, my registration or waiting-list place) and what its
managers do there (publish, close, cancel, registrations and attendance, sessions and booths,
works). Everything goes through ``platu.communities.events``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platu.communities import events
from platu.communities.forms_events import EventForm, SlotForm, WorkForm
from platu.communities.models.events import Event, EventSlot, PresentedWork, Registration
from platu.lib.errors import ActionRefused, EditConflict, InvalidAction
from platu.lib.ids import MAX_ID, parse_int
from platu.orgs import access as org_access

PICKER_LIMIT = 300


def _refused(request: HttpRequest) -> None:
    messages.error(
        request, _("Only the organiser's administrators and the community's facilitators may do this.")
    )


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    person = org_access.person_of(request.user)
    now = timezone.now()
    qs = (
        events.listable_events(request.user)
        .select_related("organisation", "community")
        .annotate(n_registered=Count("registrations", filter=Q(registrations__state=Registration.State.REGISTERED)))
    )  # fmt: skip
    upcoming = list(qs.filter(ends_at__gte=now).order_by("starts_at", "pk")[:100])
    past = list(qs.filter(ends_at__lt=now).order_by("-starts_at", "-pk")[:30])
    mine = (
        dict(
            Registration.objects.filter(person=person, event__in=[e.pk for e in upcoming + past]).values_list(
                "event_id", "state"
            )
        )
        if person
        else {}
    )
    labels = dict(Registration.State.choices)
    for e in upcoming + past:
        state = mine.get(e.pk, "")
        e.my_state = state  # type: ignore[attr-defined]
        e.my_state_label = labels.get(state, "") if state != Registration.State.CANCELLED else ""  # type: ignore[attr-defined]
        e.left = events.places_left(e, e.n_registered)  # type: ignore[attr-defined]
    orgs = [m.organisation for m in org_access.memberships_of(request.user)]
    return render(request, "communities/event_list.html", {
        "upcoming": upcoming, "past": past,
        "orgs": [o for o in orgs if events.can_create(request.user, o)],
    })  # fmt: skip


@login_required
def event_new(request: HttpRequest, code: str) -> HttpResponse:
    org = org_access.get_organisation_for_user(request, code)
    if not events.can_create(request.user, org):
        messages.error(
            request,
            _("Only the organisation's administrators and its communities' facilitators hold events."),
        )
        return redirect("communities:events")
    communities = events.manageable_communities(request.user, org)
    form = EventForm(request.POST or None, communities=communities, initial={"visibility": "network"})
    if request.method == "POST" and form.is_valid():
        try:
            event = events.create_event(org, form.cleaned_data, acting_user=request.user)
        except InvalidAction as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        except ActionRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("The event has been saved as a draft. Publish it to open registration.")
            )
            return redirect(event.get_absolute_url())
    return render(request, "communities/event_form.html", {"form": form, "org": org})


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = events.get_event_for_user(request, pk)
    if not events.can_manage(request.user, event):
        _refused(request)
        return redirect(event.get_absolute_url())
    communities = events.manageable_communities(request.user, event.organisation)
    if event.community is not None and event.community not in communities:
        communities.append(event.community)
    form = EventForm(request.POST or None, communities=communities, initial=EventForm.initial_for(event))
    version = parse_int(request.POST.get("version")) if request.method == "POST" else event.version
    if request.method == "POST" and form.is_valid():
        try:
            promoted = events.update_event(
                event, form.cleaned_data, acting_user=request.user, base_version=version or 0
            )
        except EditConflict:
            form.add_error(None, _("Someone else changed this event while you were editing it. "
                                   "Nothing was saved; your text is still below."))  # fmt: skip
        except InvalidAction as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        except ActionRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Saved."))
            if promoted:
                messages.info(
                    request,
                    _("%(n)s people moved up from the waiting list and have been told.")
                    % {"n": len(promoted)},
                )
            return redirect(event.get_absolute_url())
    return render(request, "communities/event_form.html", {
        "form": form, "org": event.organisation, "event": event, "version": version,
    })  # fmt: skip


def _picker(request: HttpRequest, event: Event) -> list[Any]:
    """The items a manager may present, not yet presented: the organiser's first."""
    return list(
        events.presentable_items(request.user)
        .exclude(pk__in=PresentedWork.objects.filter(event=event).values("item_id"))
        .select_related("organisation")
        .order_by("organisation__name_sort", "title")[:PICKER_LIMIT]
    )


def _render_event(
    request: HttpRequest,
    event: Event,
    *,
    slot_form: SlotForm | None = None,
    work_form: WorkForm | None = None,
    status: int = 200,
) -> HttpResponse:
    from platu.knowledge.models import Item

    user = request.user
    person = org_access.person_of(user)
    can_manage = events.can_manage(user, event)
    slots = list(EventSlot.objects.filter(event=event).order_by(F("starts_at").asc(nulls_last=True), "pk"))
    works = list(PresentedWork.objects.filter(event=event).select_related("item__organisation", "slot"))
    readable = set(
        Item.objects.visible_to(user).filter(pk__in=[w.item_id for w in works]).values_list("pk", flat=True)
    )
    rows = list(
        Registration.objects.filter(event=event)
        .exclude(state=Registration.State.CANCELLED)
        .select_related("person")
        .order_by("registered_at", "pk")
    )
    registered = [r for r in rows if r.state == Registration.State.REGISTERED]
    waiting = [r for r in rows if r.state == Registration.State.WAITLISTED]
    mine = Registration.objects.filter(event=event, person=person).first() if person else None
    position = waiting.index(mine) + 1 if mine is not None and mine in waiting else None
    context: dict[str, Any] = {
        "event": event, "org": event.organisation, "can_manage": can_manage,
        "slots": slots, "works": [(w, w.item_id in readable) for w in works],
        "hidden_works": sum(1 for w in works if w.item_id not in readable),
        "n_registered": len(registered), "n_waiting": len(waiting),
        "places_left": events.places_left(event, len(registered)),
        "over": max(len(registered) - event.capacity, 0) if event.capacity is not None else 0,
        "mine": mine if mine is not None and mine.state != Registration.State.CANCELLED else None,
        "position": position, "problem": events.registration_problem(event), "has_person": person is not None,
    }  # fmt: skip
    if can_manage:
        context.update({
            "registered": registered, "waiting": waiting,
            "slot_form": slot_form or SlotForm(event=event),
            "work_form": work_form or WorkForm(items=_picker(request, event), slots=slots),
        })  # fmt: skip
    return render(request, "communities/event_detail.html", context, status=status)


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_event(request, events.get_event_for_user(request, pk))


@login_required
@require_POST
def event_register(request: HttpRequest, pk: int) -> HttpResponse:
    """Register (or join the waiting list), or give one's place up."""
    event = events.get_event_for_user(request, pk)
    op = request.POST.get("op", "register")
    try:
        if op == "register":
            row = events.register(event, acting_user=request.user)
            if row.state == Registration.State.REGISTERED:
                messages.success(request, _("You are registered."))
            else:
                messages.info(
                    request,
                    _("All places are taken: you are number %(n)s on the waiting list. We will tell you "
                      "if a place becomes free.") % {"n": events.waiting_position(row)},
                )  # fmt: skip
        elif op == "cancel":
            events.cancel_registration(event, acting_user=request.user)
            messages.success(request, _("Your registration has been cancelled."))
        else:
            raise InvalidAction(_("Unknown request."))
    except (ActionRefused, InvalidAction) as exc:
        messages.error(request, exc.message)
    return redirect(event.get_absolute_url())


@login_required
@require_POST
def event_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """The managers' buttons: publish, close or reopen registration, cancel the event, mark who
    came, cancel someone's registration."""
    event = events.get_event_for_user(request, pk)
    op = request.POST.get("op", "")
    try:
        if op in ("publish", "close", "cancel"):
            state = {
                "publish": Event.State.OPEN,
                "close": Event.State.CLOSED,
                "cancel": Event.State.CANCELLED,
            }[op]
            events.set_state(event, state, acting_user=request.user)
            messages.success(request, {
                "publish": _("The event is published: registration is open."),
                "close": _("Registration is closed."),
                "cancel": _("The event has been cancelled; those registered have been told."),
            }[op])  # fmt: skip
        elif op == "attendance":
            present = [
                n for n in (parse_int(x, maximum=MAX_ID) for x in request.POST.getlist("present")) if n
            ]
            n = events.mark_attended(event, present, acting_user=request.user)
            messages.success(request, _("Attendance saved: %(n)s present.") % {"n": n})
        elif op == "unregister":
            row = (
                Registration.objects.filter(
                    event=event, pk=parse_int(request.POST.get("registration"), maximum=MAX_ID) or 0
                )
                .select_related("person")
                .first()
            )
            if row is None:
                raise InvalidAction(_("There is no registration to cancel."))
            events.cancel_registration(event, person=row.person, acting_user=request.user)
            messages.success(request, _("The registration has been cancelled."))
        else:
            raise InvalidAction(_("Unknown request."))
    except (ActionRefused, InvalidAction) as exc:
        messages.error(request, exc.message)
    return redirect(event.get_absolute_url())


def _remove(request: HttpRequest, event: Any, row: Any, remove: Any, missing: str) -> HttpResponse:
    """Take a session, booth or presented work off the event (the same steps for each)."""
    try:
        if row is None:
            raise InvalidAction(missing)
        remove(event, row, acting_user=request.user)
        messages.success(request, _("Removed."))
    except (ActionRefused, InvalidAction) as exc:
        messages.error(request, exc.message)
    return redirect(event.get_absolute_url())


@login_required
@require_POST
def event_slot(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a session or booth to the programme (a bad form is shown again, as typed), or remove one."""
    event = events.get_event_for_user(request, pk)
    if not events.can_manage(request.user, event):
        _refused(request)
        return redirect(event.get_absolute_url())
    if request.POST.get("op") == "remove":
        slot = EventSlot.objects.filter(
            event=event, pk=parse_int(request.POST.get("slot"), maximum=MAX_ID) or 0
        )
        return _remove(
            request, event, slot.first(), events.remove_slot, _("There is no such session or booth.")
        )
    form = SlotForm(request.POST, event=event)
    if form.is_valid():
        try:
            events.add_slot(event, form.cleaned_data, acting_user=request.user)
        except InvalidAction as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Added to the programme."))
            return redirect(event.get_absolute_url() + "#programme")
    return _render_event(request, event, slot_form=form, status=400)


@login_required
@require_POST
def event_work(request: HttpRequest, pk: int) -> HttpResponse:
    """Present a knowledge item at the event (picked from those the manager may read), or remove one."""
    event = events.get_event_for_user(request, pk)
    if not events.can_manage(request.user, event):
        _refused(request)
        return redirect(event.get_absolute_url())
    if request.POST.get("op") == "remove":
        work = PresentedWork.objects.filter(
            event=event, pk=parse_int(request.POST.get("work"), maximum=MAX_ID) or 0
        )
        return _remove(
            request, event, work.first(), events.remove_work, _("There is no such presented work.")
        )
    slots = list(EventSlot.objects.filter(event=event))
    form = WorkForm(request.POST, items=_picker(request, event), slots=slots)
    if form.is_valid():
        slot = next((s for s in slots if s.pk == form.cleaned_data["slot"]), None)
        try:
            events.add_work(event, form.cleaned_data["item"], slot=slot,
                            presenters=form.cleaned_data["presenters"], acting_user=request.user)  # fmt: skip
        except InvalidAction as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The work has been added."))
            return redirect(event.get_absolute_url() + "#works")
    return _render_event(request, event, work_form=form, status=400)


urlpatterns: list[URLPattern] = [
    path("events/", event_list, name="events"),
    path("orgs/<slug:code>/events/new/", event_new, name="event_new"),
    path("events/<int:pk>/", event_detail, name="event"),
    path("events/<int:pk>/edit/", event_edit, name="event_edit"),
    path("events/<int:pk>/register/", event_register, name="event_register"),
    path("events/<int:pk>/manage/", event_manage, name="event_manage"),
    path("events/<int:pk>/slots/", event_slot, name="event_slot"),
    path("events/<int:pk>/works/", event_work, name="event_work"),
]
