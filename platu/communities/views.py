"""Communities: the list, a community's page, starting and editing one, its members; sessions:
scheduling, a session's page with RSVP and attendance, and the QR check-in."""

from __future__ import annotations

import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platu.communities import access, actions
from platu.communities.forms import CommunityForm, RecordForm, ScheduleForm, SessionEditForm
from platu.communities.models import (
    Attendance,
    Community,
    Member,
    Rsvp,
    Session,
    SessionRecord,
)
from platu.communities.views_records import RecordFileForm
from platu.knowledge.files import allowed_types_text
from platu.lib.errors import ActionRefused, EditConflict, InvalidAction
from platu.lib.ids import MAX_ID, parse_int
from platu.orgs import access as org_access
from platu.orgs.models import Person


@login_required
def community_list(request: HttpRequest) -> HttpResponse:
    person = org_access.person_of(request.user)
    visible = Community.objects.visible_to(request.user).select_related("organisation")
    mine_ids = set(
        Member.objects.filter(person=person, state=Member.State.MEMBER).values_list("community_id", flat=True)
    ) if person else set()  # fmt: skip
    communities = list(
        visible.annotate(n_members=Count("members", filter=Q(members__state=Member.State.MEMBER)))
    )
    orgs = [m.organisation for m in org_access.memberships_of(request.user)]
    return render(request, "communities/list.html", {
        "mine": [c for c in communities if c.pk in mine_ids],
        "others": [c for c in communities if c.pk not in mine_ids],
        "orgs": orgs,
    })  # fmt: skip


@login_required
def community_new(request: HttpRequest, code: str) -> HttpResponse:
    org = org_access.get_organisation_for_user(request, code)
    if not access.can_create(request.user, org):
        messages.error(request, _("Only members of the organisation may start a community in it."))
        return redirect("communities:list")
    form = CommunityForm(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        try:
            community = actions.create_community(org, form.cleaned_data, acting_user=request.user)
        except (ActionRefused, InvalidAction) as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The community has been started. You are its facilitator."))
            return redirect(community.get_absolute_url())
    return render(request, "communities/form.html", {"form": form, "org": org})


@login_required
def community_detail(request: HttpRequest, pk: int) -> HttpResponse:
    community = access.get_community_for_user(request, pk)
    members = list(
        Member.objects.filter(community=community)
        .select_related("person")
        .order_by("state", "role", "person__first_name")
    )
    now = timezone.now()
    sessions = Session.objects.filter(community=community)
    return render(request, "communities/detail.html", {
        "community": community,
        "org": community.organisation,
        "members": [m for m in members if m.state == Member.State.MEMBER],
        "requests": [m for m in members if m.state == Member.State.REQUESTED],
        "invited": [m for m in members if m.state == Member.State.INVITED],
        "guests": list(community.guests.all()),
        "upcoming": list(sessions.filter(ends_at__gte=now).order_by("starts_at")[:10]),
        "past": list(sessions.filter(ends_at__lt=now).order_by("-starts_at")[:10]),
        "me": access.membership(request.user, community),
        "can_manage": access.can_manage(request.user, community),
        "roles": Member.Role.choices,
        "candidates": list(
            org_access.network_people(community.organisation, request.user)
            .exclude(pk__in=[m.person_id for m in members]).distinct().order_by("first_name", "last_name")[:500]
        ) if access.can_manage(request.user, community) else [],
    })  # fmt: skip


@login_required
def community_edit(request: HttpRequest, pk: int) -> HttpResponse:
    community = access.get_community_for_user(request, pk)
    if not access.can_manage(request.user, community):
        messages.error(
            request, _("Only the community's facilitators and the organisation's administrators may do this.")
        )
        return redirect(community.get_absolute_url())
    form = CommunityForm(request.POST or None, instance=community, org=community.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_community(community, form.cleaned_data, acting_user=request.user,
                                     base_version=parse_int(request.POST.get("version")) or 0)  # fmt: skip
        except EditConflict:
            messages.error(request, _("Someone else changed this community while you were editing it. "
                                      "Nothing was saved; your text is still below."))  # fmt: skip
        else:
            messages.success(request, _("Saved."))
            return redirect(community.get_absolute_url())
    return render(
        request,
        "communities/form.html",
        {"form": form, "org": community.organisation, "community": community},
    )


@login_required
@require_POST
def community_membership(request: HttpRequest, pk: int) -> HttpResponse:
    """Join, leave, or (facilitators) accept, invite, set a role, remove, add a guest."""
    community = access.get_community_for_user(request, pk)
    op = request.POST.get("op", "")
    try:
        if op == "join":
            member = actions.join(community, acting_user=request.user)
            messages.success(request, _("You have joined the community.") if member.state == Member.State.MEMBER
                             else _("Your request has been sent to the facilitators."))  # fmt: skip
        elif op == "leave":
            actions.leave(community, acting_user=request.user)
            messages.success(request, _("You have left the community."))
        elif op in ("accept", "invite", "role"):
            person = _person_in_reach(request, community)
            state = Member.State.INVITED if op == "invite" else Member.State.MEMBER
            actions.set_member(community, person, role=request.POST.get("role", Member.Role.PRACTITIONER),
                               state=state, acting_user=request.user)  # fmt: skip
            messages.success(request, _("Saved."))
        elif op == "decline":
            member = Member.objects.filter(
                community=community, pk=parse_int(request.POST.get("member"), maximum=MAX_ID) or 0
            ).first()
            if member is None:
                raise InvalidAction(_("There is no such member."))
            actions.decline_member(community, member, acting_user=request.user)
            messages.success(request, _("Saved."))
        elif op == "remove":
            member = Member.objects.filter(
                community=community, pk=parse_int(request.POST.get("member"), maximum=MAX_ID) or 0
            ).first()
            if member is None:
                raise InvalidAction(_("There is no such member."))
            actions.remove_member(community, member, acting_user=request.user)
            messages.success(request, _("Saved."))
        elif op == "guest":
            actions.add_guest(community, request.POST.get("name", ""), request.POST.get("organisation_name", ""),
                              acting_user=request.user)  # fmt: skip
            messages.success(request, _("Saved."))
        else:
            raise InvalidAction(_("Unknown request."))
    except (ActionRefused, InvalidAction) as exc:
        messages.error(request, exc.message)
    return redirect(community.get_absolute_url())


def _person_in_reach(request: HttpRequest, community: Community) -> Person:
    pk = parse_int(request.POST.get("person"), maximum=MAX_ID) or 0
    person = org_access.network_people(community.organisation, request.user).filter(pk=pk).first()
    if person is None:
        raise InvalidAction(_("Choose a person from the list."))
    return person


@login_required
def session_new(request: HttpRequest, pk: int) -> HttpResponse:
    community = access.get_community_for_user(request, pk)
    if not access.can_manage(request.user, community):
        messages.error(
            request, _("Only the community's facilitators and the organisation's administrators may do this.")
        )
        return redirect(community.get_absolute_url())
    form = ScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            sessions = actions.schedule(
                community, title=d["title"], day=d["day"], start=d["start"], end=d["end"], place=d["place"],
                online_url=d["online_url"], agenda=d["agenda"], rule=d["rule"], until=d["until"],
                dates=d["dates"], acting_user=request.user,
            )  # fmt: skip
        except InvalidAction as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        except ActionRefused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(n)s sessions scheduled.") % {"n": len(sessions)})
            return redirect(sessions[0].get_absolute_url())
    return render(
        request,
        "communities/session_form.html",
        {"form": form, "community": community, "org": community.organisation},
    )


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.get_session_for_user(request, pk)
    community = session.community
    person = org_access.person_of(request.user)
    can_manage = access.can_manage(request.user, community)
    rows = list(Attendance.objects.filter(session=session))
    present = {a.person_id: a for a in rows if a.person_id}
    guests = [a for a in rows if not a.person_id]
    members = list(
        Member.objects.filter(community=community, state=Member.State.MEMBER)
        .select_related("person")
        .order_by("person__first_name")
    )
    answers = dict(Rsvp.objects.filter(session=session).values_list("person_id", "answer"))
    if session.series_id:
        for pid, answer in Rsvp.objects.filter(series_id=session.series_id).values_list(
            "person_id", "answer"
        ):
            answers.setdefault(pid, answer)
    qr = ""
    checkin_url = ""
    if can_manage and session.state != Session.State.CANCELLED:
        token = actions.checkin_token(session)
        checkin_url = request.build_absolute_uri(reverse("communities:checkin", args=[session.pk, token]))
        buffer = io.BytesIO()
        segno.make(checkin_url, error="m").save(buffer, kind="svg", scale=5, xmldecl=False, svgns=True,
                                                   title=_("Check-in code"))  # fmt: skip
        qr = mark_safe(buffer.getvalue().decode())
    return render(request, "communities/session_detail.html", {
        "session": session, "community": community, "org": community.organisation,
        "can_manage": can_manage, "is_member": access.is_member(request.user, community),
        "my_answer": actions.answer_of(person, session), "answers": answers,
        "members": [(m, present.get(m.person_id), answers.get(m.person_id, "")) for m in members],
        "guests": guests, "attended": len(present) + len(guests),
        "qr": qr, "checkin_url": checkin_url, "answer_choices": Rsvp.Answer.choices,
        "linked": list(session.activities.select_related("plan")),
        "plan_activities": list(actions.plan_activities(session)[:300]) if can_manage else [],
    })  # fmt: skip


@login_required
@require_POST
def session_rsvp(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.get_session_for_user(request, pk)
    try:
        actions.rsvp(session, request.POST.get("answer", ""), whole_series=request.POST.get("series") == "1",
                     acting_user=request.user)  # fmt: skip
        messages.success(request, _("Your answer has been saved."))
    except (ActionRefused, InvalidAction) as exc:
        messages.error(request, exc.message)
    return redirect(session.get_absolute_url())


@login_required
@require_POST
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.get_session_for_user(request, pk)
    present = [n for n in (parse_int(x, maximum=MAX_ID) for x in request.POST.getlist("present")) if n]
    guests = [g for g in request.POST.get("guests", "").replace(",", "\n").splitlines() if g.strip()][:100]
    try:
        count = actions.mark_attendance(session, present, guests=guests, acting_user=request.user)
        messages.success(request, _("Attendance saved: %(n)s present.") % {"n": count})
    except (ActionRefused, InvalidAction) as exc:
        messages.error(request, exc.message)
    return redirect(session.get_absolute_url())


@login_required
@require_POST
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.get_session_for_user(request, pk)
    try:
        actions.cancel_session(session, acting_user=request.user)
        messages.success(request, _("The session has been cancelled."))
    except ActionRefused as exc:
        messages.error(request, exc.message)
    return redirect(session.get_absolute_url())


@login_required
def checkin(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """The page the QR code opens on a phone: GET shows the session and a button; POST checks in."""
    session = access.get_session_for_user(request, pk)
    if request.method == "POST":
        try:
            actions.check_in(session, token, acting_user=request.user)
        except (ActionRefused, InvalidAction) as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("You are checked in. Thank you."))
            return redirect(session.get_absolute_url())
    return render(
        request,
        "communities/checkin.html",
        {"session": session, "community": session.community, "org": session.community.organisation},
    )


@login_required
def session_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The session's record in the PLC form: written by the facilitator or note-taker, read by
    anyone who may see the community, signed off by the head."""
    session = access.get_session_for_user(request, pk)
    row = SessionRecord.objects.filter(session=session).first()
    editable = actions.can_write_record(request.user, session) and not (row and row.signed_at)
    form = RecordForm(request.POST or None, instance=row)
    if request.method == "POST":
        if not editable:
            messages.error(request, _("Only the facilitators and note-takers write the session's record."))
            return redirect(reverse("communities:record", args=[session.pk]))
        if form.is_valid():
            try:
                actions.save_record(session, form.cleaned_data, acting_user=request.user,
                                    base_version=parse_int(request.POST.get("version")) or 0)  # fmt: skip
            except EditConflict:
                messages.error(
                    request,
                    _(
                        "Someone else saved this record while you were writing. Nothing was saved; your text is still below."
                    ),
                )
            except (ActionRefused, InvalidAction) as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Saved."))
                return redirect(reverse("communities:record", args=[session.pk]))
    return render(request, "communities/record.html", {
        "session": session, "community": session.community, "org": session.community.organisation,
        "row": row, "form": form, "editable": editable, "can_sign": actions.can_sign(request.user, session),
        "items": list(row.items.visible_to(request.user)) if row else [],
        "files": list(session.files.all()), "file_form": RecordFileForm(), "upload_types": allowed_types_text(),
        "files_editable": editable and actions.can_write_record(request.user, session),
    })  # fmt: skip


@login_required
@require_POST
def session_record_action(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.get_session_for_user(request, pk)
    op = request.POST.get("op", "")
    try:
        if op in ("sign", "reopen"):
            actions.sign_record(session, acting_user=request.user, reopen=op == "reopen")
            messages.success(
                request,
                _("The record has been signed off.") if op == "sign" else _("The record is open again."),
            )
        elif op == "knowledge":
            item = actions.record_to_knowledge(session, acting_user=request.user)
            messages.success(
                request,
                _("A knowledge draft has been made from the record. Finish it and submit it for review."),
            )
            return redirect(item.get_absolute_url())
        else:
            raise InvalidAction(_("Unknown request."))
    except (ActionRefused, InvalidAction) as exc:
        messages.error(request, exc.message)
    return redirect(reverse("communities:record", args=[session.pk]))


@login_required
@require_POST
def session_activities(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.get_session_for_user(request, pk)
    ids = [n for n in (parse_int(x, maximum=MAX_ID) for x in request.POST.getlist("activities")) if n]
    try:
        actions.link_activities(session, ids, acting_user=request.user)
        messages.success(request, _("Saved."))
    except ActionRefused as exc:
        messages.error(request, exc.message)
    return redirect(session.get_absolute_url())


@login_required
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change one session, or it and every following one of its series."""
    session = access.get_session_for_user(request, pk)
    if not access.can_manage(request.user, session.community):
        messages.error(
            request, _("Only the community's facilitators and the organisation's administrators may do this.")
        )
        return redirect(session.get_absolute_url())
    local_start, local_end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    initial = {"title": session.title, "day": local_start.date(), "start": local_start.strftime("%H:%M"), "end": local_end.strftime("%H:%M"),
               "place": session.place, "online_url": session.online_url, "agenda": session.agenda, "scope": "this"}  # fmt: skip
    form = SessionEditForm(request.POST or None, initial=initial)
    if not session.series_id:
        form.fields.pop("scope")
    if request.method == "POST" and form.is_valid():
        try:
            n = actions.update_session(session, form.cleaned_data, scope=form.cleaned_data.get("scope", "this"),
                                       acting_user=request.user)  # fmt: skip
        except InvalidAction as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("%(n)s sessions changed.") % {"n": n})
            return redirect(session.get_absolute_url())
    return render(request, "communities/session_form.html", {
        "form": form, "community": session.community, "org": session.community.organisation, "session": session,
    })  # fmt: skip
