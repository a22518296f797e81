"""Monitoring pages: a plan's rounds, a round's entries, one entry with its evidence, and the
evidence files. Everything through platu/tracking/access.py (404 for what the user may not see)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Avg, Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platu.knowledge.files import allowed_types_text, file_response
from platu.lib.errors import ActionRefused, EditConflict, InvalidAction
from platu.lib.ids import MAX_ID, parse_int
from platu.orgs import access as org_access
from platu.orgs.models import Person
from platu.planning import access as plan_access
from platu.planning.models import Plan
from platu.tracking import access, actions, measures
from platu.tracking.forms import BindingForm, EntryForm, EvidenceFileForm, OpenRoundForm
from platu.tracking.models import ActivityOwner, Binding, Correction, Entry, Evidence, Round

R = "orgs/<slug:code>/plans/<int:year>/monitoring/"


def _approved_plan(request: HttpRequest, code: str, year: int) -> Plan:
    plan = plan_access.get_plan_for_user(request, code, year)
    approved = (
        Plan.objects.filter(organisation=plan.organisation, fiscal_year=year, state=Plan.State.APPROVED)
        .select_related("organisation")
        .order_by("-revision")
        .first()
    )
    return approved or plan


@login_required
def rounds(request: HttpRequest, code: str, year: int) -> HttpResponse:
    plan = _approved_plan(request, code, year)
    org = plan.organisation
    rows = list(
        Round.objects.filter(plan__organisation=org, plan__fiscal_year=year)
        .annotate(n=Count("entries"), avg=Avg("entries__percent"),
                  done=Count("entries", filter=Q(entries__status=Entry.Status.DONE)),
                  late=Count("entries", filter=Q(entries__status=Entry.Status.LATE)))
        .select_related("plan", "closed_by", "acknowledged_by")
    )  # fmt: skip
    can_open = access.is_km_team(request.user, plan) and plan.state == Plan.State.APPROVED
    form = None
    if can_open and len(rows) < 3:
        form = OpenRoundForm(request.POST or None, open_months={r.months for r in rows})
        if request.method == "POST" and form.is_valid():
            try:
                row = actions.open_round(plan, form.cleaned_data["months"], form.cleaned_data["due_date"],
                                         acting_user=request.user)  # fmt: skip
            except (InvalidAction, ActionRefused) as exc:
                field = getattr(exc, "field", None)
                form.add_error(field if field in form.fields else None, exc.message)
            else:
                messages.success(
                    request, _("The round is open. Name who reports on each activity, if not yet.")
                )
                return redirect(row.get_absolute_url())
    return render(request, "tracking/rounds.html", {
        "plan": plan, "org": org, "rounds": rows, "form": form, "can_open": can_open,
    })  # fmt: skip


def _live_values(entries: Sequence[Entry]) -> dict[int, measures.Counted]:
    """What Platu counts now for the bound indicators of an open round (frozen at close)."""
    bindings = {
        b.activity_id: b for b in Binding.objects.filter(activity_id__in=[e.activity_id for e in entries])
    }
    out = {}
    for e in entries:
        if e.activity_id in bindings and e.round.is_open:
            counted = actions.compute_entry(e, bindings[e.activity_id])
            if counted is not None:
                out[e.pk] = counted
    return out


@login_required
def round_detail(request: HttpRequest, code: str, year: int, months: int) -> HttpResponse:
    row = access.get_round_for_user(request, code, year, months)
    plan = row.plan
    from platu.tracking.documents import activity_key

    entries = sorted(
        Entry.objects.filter(round=row)
        .select_related("activity", "round__plan", "checked_by", "entered_by")
        .annotate(n_evidence=Count("evidence")),
        key=lambda e: activity_key(e.activity),
    )  # Form 2's order, as the printed report numbers them
    owners: dict[int, list[str]] = {}
    for o in ActivityOwner.objects.filter(activity__plan=plan).select_related("person"):
        owners.setdefault(o.activity_id, []).append(o.person.full_name)
    live = _live_values(entries)
    for e in entries:
        e.owner_names = owners.get(e.activity_id, [])  # type: ignore[attr-defined]
        e.live = live.get(e.pk)  # type: ignore[attr-defined]
    person = org_access.person_of(request.user)
    mine = set(ActivityOwner.objects.filter(activity__plan=plan, person=person).values_list("activity_id", flat=True)) if person else set()  # fmt: skip
    n = len(entries)
    summary = {
        "n": n,
        "done": sum(e.status == Entry.Status.DONE for e in entries),
        "late": sum(e.status == Entry.Status.LATE for e in entries),
        "avg": round(sum(e.percent for e in entries) / n) if n else 0,
        "checked": sum(bool(e.checked_at) for e in entries),
    }
    return render(request, "tracking/round.html", {
        "round": row, "plan": plan, "org": plan.organisation, "entries": entries, "summary": summary, "mine": mine,
        "is_km_team": access.is_km_team(request.user, plan), "can_close": access.can_close(request.user, plan),
        "can_acknowledge": access.can_acknowledge(request.user, plan),
        "can_check": access.can_check(request.user, plan), "today": timezone.localdate(),
    })  # fmt: skip


@login_required
@require_POST
def round_action(request: HttpRequest, code: str, year: int, months: int) -> HttpResponse:
    row = access.get_round_for_user(request, code, year, months)
    op = request.POST.get("op", "")
    try:
        if op == "close":
            actions.close_round(row, acting_user=request.user)
            messages.success(
                request, _("The round is closed. Computed indicators were counted and frozen with it.")
            )
        elif op == "acknowledge":
            actions.acknowledge(row, request.POST.get("comment", ""), acting_user=request.user)
            messages.success(request, _("You have acknowledged the round."))
        else:
            raise InvalidAction(_("Unknown request."))
    except (InvalidAction, ActionRefused) as exc:
        messages.error(request, exc.message)
    return redirect(row.get_absolute_url())


def _evidence_choices(request: HttpRequest, entry: Entry) -> dict[str, Any]:
    """Knowledge items and sessions to offer as evidence: those linked to the activity, and the
    organisation's of the round's period, that the user may see."""
    from platu.communities.models import Community, Session
    from platu.knowledge.models import Item

    row = entry.round
    org = row.plan.organisation
    items = (
        Item.objects.visible_to(request.user)
        .filter(
            Q(plan_activities=entry.activity) | Q(organisation=org, created_at__date__gte=row.period_start)
        )
        .distinct()
        .order_by("-created_at")
        .only("pk", "title")[:200]
    )
    sessions = (
        Session.objects.filter(community__in=Community.objects.visible_to(request.user))
        .filter(Q(activities=entry.activity) | Q(community__organisation=org, starts_at__date__gte=row.period_start,
                                                  starts_at__date__lte=row.period_end))
        .exclude(state=Session.State.CANCELLED)
        .distinct()
        .order_by("-starts_at")
        .only("pk", "title", "starts_at")[:200]
    )  # fmt: skip
    return {"evidence_items": list(items), "evidence_sessions": list(sessions)}


@login_required
def entry_detail(request: HttpRequest, code: str, year: int, months: int, pk: int) -> HttpResponse:
    entry = access.get_entry_for_user(request, code, year, months, pk)
    row, plan = entry.round, entry.round.plan
    binding = Binding.objects.filter(activity_id=entry.activity_id).first()
    can_enter = access.can_enter(request.user, entry)
    initial = {name: getattr(entry, name) for name in Entry.TEXT_FIELDS} | {"version": entry.version}
    form = EntryForm(
        request.POST or None, initial=initial, closed=not row.is_open, bound_indicator=binding is not None
    )
    conflict = False
    if request.method == "POST":
        if not can_enter:
            messages.error(
                request, _("Only the activity's responsible people and the KM team enter its progress.")
            )
            return redirect(request.path)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.save_entry(entry, data, acting_user=request.user, base_version=data["version"],
                                   reason=data.get("reason", ""))  # fmt: skip
            except EditConflict:
                conflict = True
                form.add_error(None, _("Someone else saved this entry while you were writing. Nothing was saved; your text is still below. Compare with theirs, then save again."))  # fmt: skip
                data_copy = request.POST.copy()
                data_copy["version"] = str(Entry.objects.get(pk=entry.pk).version)
                form.data = data_copy
            except (InvalidAction, ActionRefused) as exc:
                field = getattr(exc, "field", None)
                form.add_error(field if field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Saved."))
                return redirect(reverse("tracking:entry", args=[code, year, months, entry.pk]))
    theirs = Entry.objects.get(pk=entry.pk) if conflict else None
    from platu.communities.models import Community

    communities = list(Community.objects.visible_to(request.user).filter(organisation=plan.organisation)
                       .values_list("pk", "name"))  # fmt: skip
    binding_form = None
    if access.is_km_team(request.user, plan):
        binding_form = BindingForm(initial={"measure": binding.measure if binding else "",
                                            "scope": binding.scope if binding else Binding.Scope.ORGANISATION,
                                            **(binding.filters if binding else {})}, communities=communities)  # fmt: skip
    counted = actions.compute_entry(entry, binding) if binding and row.is_open else None
    measure = measures.get(binding.measure) if binding else None
    ids = counted.ids if counted else list(entry.computed_detail.get("ids") or [])
    counted_rows = measures.counted_rows(measure, ids[: measures.DETAIL_IDS], request.user, plan.organisation)
    people = (
        Person.objects.filter(memberships__organisation=plan.organisation).distinct().order_by("sort_key")
    )
    return render(request, "tracking/entry.html", {
        "entry": entry, "round": row, "plan": plan, "org": plan.organisation, "form": form, "can_enter": can_enter,
        "theirs": theirs, "binding": binding, "binding_form": binding_form, "counted": counted, "measure": measure, "counted_rows": counted_rows,
        "evidence": list(entry.evidence.select_related("item", "session")), "file_form": EvidenceFileForm(),
        "upload_types": allowed_types_text(), "is_km_team": access.is_km_team(request.user, plan),
        "can_check": access.can_check(request.user, plan) and row.is_open,
        "owners": list(ActivityOwner.objects.filter(activity_id=entry.activity_id).select_related("person")),
        "people": people if access.is_km_team(request.user, plan) else [],
        "corrections": list(Correction.objects.filter(entry=entry).select_related("by")),
        **(_evidence_choices(request, entry) if can_enter and row.is_open else {}),
    })  # fmt: skip


@login_required
@require_POST
def entry_action(request: HttpRequest, code: str, year: int, months: int, pk: int) -> HttpResponse:
    """Evidence, the check, the binding and the responsible people of one entry."""
    from platu.communities.models import Session
    from platu.knowledge.models import Item

    entry = access.get_entry_for_user(request, code, year, months, pk)
    op = request.POST.get("op", "")
    back = reverse("tracking:entry", args=[code, year, months, entry.pk])
    try:
        if op == "file":
            form = EvidenceFileForm(request.POST, request.FILES)
            if not form.is_valid():
                raise InvalidAction(_("Choose a file to upload."))
            actions.add_evidence_file(
                entry, form.cleaned_data["file"], form.cleaned_data["note"], acting_user=request.user
            )
            messages.success(request, _("The evidence was added."))
        elif op in ("item", "session", "link"):
            target = parse_int(request.POST.get(op), maximum=MAX_ID)
            kwargs: dict[str, Any] = {"note": request.POST.get("note", "")}
            if op == "item":
                kwargs["item"] = Item.objects.filter(pk=target).first() if target else None
                if kwargs["item"] is None:
                    raise InvalidAction(_("Choose a knowledge item you may read."))
            elif op == "session":
                kwargs["session"] = Session.objects.filter(pk=target).first() if target else None
                if kwargs["session"] is None:
                    raise InvalidAction(_("Choose a session you may see."))
            else:
                kwargs["url"] = request.POST.get("url", "")
            actions.add_evidence_link(entry, acting_user=request.user, **kwargs)
            messages.success(request, _("The evidence was added."))
        elif op == "remove":
            uid = request.POST.get("uid", "")
            try:
                evidence = Evidence.objects.filter(entry=entry, uid=uuid.UUID(uid)).first()
            except ValueError:
                evidence = None
            if evidence is None:
                raise Http404
            actions.remove_evidence(evidence, acting_user=request.user)
            messages.success(request, _("The evidence was removed."))
        elif op in ("check", "uncheck"):
            actions.check_entry(entry, acting_user=request.user, comment=request.POST.get("comment", ""),
                                undo=op == "uncheck")  # fmt: skip
            messages.success(request, _("Saved."))
        elif op == "bind":
            community = parse_int(request.POST.get("community"), maximum=MAX_ID)
            filters = {"kind": request.POST.get("kind", ""), "tag": request.POST.get("tag", ""),
                       "community": str(community) if community else ""}  # fmt: skip
            actions.bind(entry.activity, request.POST.get("measure", ""), filters,
                         request.POST.get("scope", Binding.Scope.ORGANISATION), acting_user=request.user)  # fmt: skip
            messages.success(request, _("Saved."))
        elif op == "owners":
            ids = [n for n in (parse_int(x, maximum=MAX_ID) for x in request.POST.getlist("people")) if n]
            actions.set_owners(
                entry.activity, list(Person.objects.filter(pk__in=ids)), acting_user=request.user
            )
            messages.success(request, _("Saved."))
        else:
            raise InvalidAction(_("Unknown request."))
    except (InvalidAction, ActionRefused) as exc:
        messages.error(request, exc.message)
    return redirect(back)


def evidence_file(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    """Served to who may see the round (the organisation and the offices above it)."""
    row = (
        Evidence.objects.filter(uid=uid, kind=Evidence.Kind.FILE)
        .select_related("entry__round__plan__organisation")
        .first()
    )
    if row is None or not org_access.can_see(request.user, row.entry.round.plan.organisation):
        raise Http404
    response: HttpResponse = file_response(row.file, row.name, row.content_type, inline=False)
    return response


urlpatterns = [
    path(R, rounds, name="rounds"),
    path(R + "<int:months>/", round_detail, name="round"),
    path(R + "<int:months>/do/", round_action, name="round_action"),
    path(R + "<int:months>/entries/<int:pk>/", entry_detail, name="entry"),
    path(R + "<int:months>/entries/<int:pk>/do/", entry_action, name="entry_action"),
    path("monitoring/evidence/<uuid:uid>/", evidence_file, name="evidence_file"),
]
