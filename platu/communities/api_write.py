"""/api/v1/communities/... and /api/v1/sessions/...: the writes, through the communities' forms
(the pages' validation) and actions (the pages' permission checks and audit rows).

A community and a session carry a version: an update names the version read (`If-Match: "3"` or
`version`) and answers 409 when someone saved since. Dates are ISO (2026-01-15) or typed the Thai
way (15/1/2569); times "15:30".
"""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Schema

from platu.api import base_revision, clean, ident, require_write, responses
from platu.communities import access, actions
from platu.communities.api import (
    CommunityOut,
    SessionOut,
    _community,
    _members,
    _session,
    router,
    sessions_router,
    with_etag,
)
from platu.communities.models import Attendance, Community, Session, SessionRecord
from platu.lib.errors import ActionRefused, InvalidAction
from platu.lib.ids import MAX_ID
from platu.orgs import access as org_access

# The pages' forms, through importlib: mypy's strict check of this module leaves them out.
_forms: Any = importlib.import_module("platu.communities.forms")

COMMUNITY_FIELDS = ("name", "kind", "purpose", "charter", "visibility", "status", "strategic_issue", "kpi",
                    "needed_knowledge")  # fmt: skip
FOREIGN = ("strategic_issue", "kpi", "needed_knowledge")
IF_MATCH = Header(None, alias="If-Match", description='The version read: "3" (the ETag)')  # type: ignore[type-arg]


class CommunityIn(Schema):
    """What the community's form takes; on an update, what is left out keeps its value."""

    name: str | None = None
    kind: str | None = None
    purpose: str | None = None
    charter: str | None = None
    visibility: str | None = None
    status: str | None = None
    strategic_issue: int | None = None  # ids of the home organisation's current plan's rows
    kpi: int | None = None
    needed_knowledge: int | None = None


class CommunityCreate(CommunityIn):
    organisation: str | None = None  # its code; the caller's organisation when left out


class CommunityUpdate(CommunityIn):
    version: int | None = None  # or the If-Match header


class ScheduleIn(Schema):
    title: str
    day: str  # 2026-01-15 or 15/1/2569
    start: str  # 15:30
    end: str
    place: str = ""
    online_url: str = ""
    agenda: str = ""
    rule: str = ""  # "" once; weekly, fortnightly, monthly, dates
    until: str = ""  # the last day of a repeating series
    dates: list[str] = []  # for rule "dates"


class SessionUpdate(Schema):
    """What the session's form takes; what is left out keeps its value."""

    title: str | None = None
    day: str | None = None
    start: str | None = None
    end: str | None = None
    place: str | None = None
    online_url: str | None = None
    agenda: str | None = None
    scope: str = "this"  # "following": this and every following session of its series
    version: int | None = None  # or the If-Match header


class AttendanceIn(Schema):
    present: list[int]  # ids of the community's members (people) who came; the rest are unmarked
    guests: list[str] = []  # names of guests without an account


class AttendanceOut(Schema):
    session: int
    count: int
    present: list[int]
    guests: list[str]


class RecordOut(Schema):
    session: int
    version: int
    signed: bool
    signed_at: dt.datetime | None
    topic: str
    minutes: str  # cleaned HTML


class RecordIn(Schema):
    """The PLC record's texts (what is left out keeps its value); `version` or If-Match: the
    record's version read (0 for a record not yet written)."""

    topic: str | None = None
    activities: str | None = None
    results: str | None = None
    reflection: str | None = None
    keep: str | None = None
    improve: str | None = None
    aar_expected: str | None = None
    aar_happened: str | None = None
    aar_why: str | None = None
    aar_next: str | None = None
    minutes: str | None = None  # HTML or plain text
    version: int | None = None


def _valid(form: Any) -> dict[str, Any]:
    """The form's data, or 400 naming the first field it refused (as the page shows it)."""
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        raise InvalidAction(str(errors[0]), field=None if field == "__all__" else field)
    data: dict[str, Any] = form.cleaned_data
    return data


def _text(value: Any, limit: int) -> Any:
    if isinstance(value, str):
        return clean(value, limit)
    if isinstance(value, int) and not 0 < value <= MAX_ID:
        raise InvalidAction(_("That choice is not one of those available."))
    return "" if value is None else value


def _community_detail(request: HttpRequest, pk: int, status: int = 200) -> HttpResponse:
    community = access.get_community_for_user(request, pk)
    out = _community(community, _members([community.pk]).get(community.pk, 0))
    return with_etag(request, out, community.version, status)


def _community_data(community: Community | None, payload: CommunityIn) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": Community.Kind.COP, "status": Community.Status.ACTIVE,
                            "visibility": Community.Visibility.ORGANISATION}  # fmt: skip
    if community is not None:
        data = {name: getattr(community, name) for name in COMMUNITY_FIELDS if name not in FOREIGN}
        data |= {name: getattr(community, f"{name}_id") or "" for name in FOREIGN}
    for name, value in payload.model_dump(exclude_unset=True, include=set(COMMUNITY_FIELDS)).items():
        data[name] = _text(value, 20_000)
    return data


@router.post(
    "/", response=responses(CommunityOut, 201), summary="Start a community (one becomes its facilitator)"
)
def community_create(request: HttpRequest, payload: CommunityCreate) -> HttpResponse:
    require_write(request)
    if payload.organisation:
        org = org_access.get_organisation_for_user(request, clean(payload.organisation, 100))
    else:
        mine = org_access.memberships_of(request.user)
        if not mine:
            raise InvalidAction(_("Say which organisation the community belongs to."), field="organisation")
        org = mine[0].organisation
    if not access.can_create(request.user, org):
        raise ActionRefused(_("Only members of the organisation may start a community in it."))
    if not payload.name:
        raise InvalidAction(_("The community needs a name."), field="name")
    data = _valid(_forms.CommunityForm(_community_data(None, payload), org=org))
    community = actions.create_community(org, data, acting_user=request.user)
    return _community_detail(request, community.pk, 201)


@router.put(
    "/{pk}",
    response=responses(CommunityOut),
    summary="Change a community (facilitators; If-Match or version, 409 when someone saved since)",
)
def community_update(
    request: HttpRequest, pk: int, payload: CommunityUpdate, if_match: str | None = IF_MATCH
) -> HttpResponse:
    require_write(request)
    community = access.get_community_for_user(request, ident(pk))
    base = base_revision(request, payload.version)
    if not access.can_manage(request.user, community):
        raise ActionRefused(
            _("Only the community's facilitators and the organisation's administrators may do this.")
        )
    form = _forms.CommunityForm(
        _community_data(community, payload), instance=Community.objects.get(pk=community.pk),
        org=community.organisation,
    )  # fmt: skip
    actions.update_community(community, _valid(form), acting_user=request.user, base_version=base)
    return _community_detail(request, community.pk)


@router.post(
    "/{pk}/sessions",
    response=responses(list[SessionOut], 201),
    summary="Schedule a session, or a series of them (facilitators)",
)
def session_schedule(request: HttpRequest, pk: int, payload: ScheduleIn) -> HttpResponse:
    require_write(request)
    community = access.get_community_for_user(request, ident(pk))
    if not access.can_manage(request.user, community):
        raise ActionRefused(
            _("Only the community's facilitators and the organisation's administrators may do this.")
        )
    data = {name: clean(getattr(payload, name), 20_000) for name in
            ("title", "day", "start", "end", "place", "online_url", "agenda", "rule", "until")}  # fmt: skip
    data["dates"] = ", ".join(clean(d, 40) for d in payload.dates[:100])
    d = _valid(_forms.ScheduleForm(data))
    made = actions.schedule(
        community, title=d["title"], day=d["day"], start=d["start"], end=d["end"], place=d["place"],
        online_url=d["online_url"], agenda=d["agenda"], rule=d["rule"], until=d["until"], dates=d["dates"],
        acting_user=request.user,
    )  # fmt: skip
    from platu.api import api

    rows = Session.objects.filter(pk__in=[s.pk for s in made]).order_by("starts_at", "pk")
    body = [_session(s) for s in rows]
    return api.create_response(request, body, status=201)


def _session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.get_session_for_user(request, pk)
    return with_etag(request, _session(session), session.version)


@sessions_router.put(
    "/{pk}",
    response=responses(SessionOut),
    summary="Change a session, or it and the following ones of its series (If-Match or version; 409)",
)
def session_update(
    request: HttpRequest, pk: int, payload: SessionUpdate, if_match: str | None = IF_MATCH
) -> HttpResponse:
    require_write(request)
    session = access.get_session_for_user(request, ident(pk))
    base = base_revision(request, payload.version)
    if not access.can_manage(request.user, session.community):
        raise ActionRefused(
            _("Only the community's facilitators and the organisation's administrators may do this.")
        )
    start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    data: dict[str, Any] = {"title": session.title, "day": start.date().isoformat(), "start": start.strftime("%H:%M"),
                            "end": end.strftime("%H:%M"), "place": session.place, "online_url": session.online_url,
                            "agenda": session.agenda, "scope": clean(payload.scope, 20)}  # fmt: skip
    for name, value in payload.model_dump(exclude_unset=True, exclude={"version", "scope"}).items():
        data[name] = clean(value or "", 20_000)
    form = _forms.SessionEditForm(data)
    if not session.series_id:
        form.fields.pop("scope")
    cleaned = _valid(form)
    actions.update_session(session, cleaned, scope=cleaned.get("scope", "this"), acting_user=request.user,
                           base_version=base)  # fmt: skip
    return _session_detail(request, session.pk)


@sessions_router.post(
    "/{pk}/cancel", response=responses(SessionOut), summary="Cancel a session (facilitators)"
)
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    require_write(request)
    session = access.get_session_for_user(request, ident(pk))
    actions.cancel_session(session, acting_user=request.user)
    return _session_detail(request, session.pk)


def _attendance(session: Session) -> AttendanceOut:
    rows = list(Attendance.objects.filter(session=session).order_by("pk"))
    return AttendanceOut(
        session=session.pk,
        count=len(rows),
        present=sorted(a.person_id for a in rows if a.person_id),
        guests=[a.guest_name for a in rows if not a.person_id],
    )


@sessions_router.get("/{pk}/attendance", response=responses(AttendanceOut), summary="Who came to a session")
def attendance_read(request: HttpRequest, pk: int) -> AttendanceOut:
    session = access.get_session_for_user(request, ident(pk))
    if not access.can_manage(request.user, session.community):
        raise ActionRefused(
            _("Only the community's facilitators and the organisation's administrators may do this.")
        )
    return _attendance(session)


@sessions_router.put(
    "/{pk}/attendance",
    response=responses(AttendanceOut),
    summary="Record who came (as the attendance list of the session's page; QR check-ins stay)",
)
def attendance_save(request: HttpRequest, pk: int, payload: AttendanceIn) -> AttendanceOut:
    require_write(request)
    session = access.get_session_for_user(request, ident(pk))
    present = [n for n in payload.present[:2000] if 0 < n <= MAX_ID]
    guests = [clean(g, 200) for g in payload.guests[:100] if clean(g, 200)]
    actions.mark_attendance(session, present, guests=guests, acting_user=request.user)
    return _attendance(Session.objects.get(pk=session.pk))


def _record(session: Session) -> RecordOut:
    row = SessionRecord.objects.filter(session=session).first()
    if row is None:
        raise InvalidAction(_("Write the session's record first."))
    return RecordOut(session=session.pk, version=row.version, signed=row.signed_at is not None,
                     signed_at=row.signed_at, topic=row.topic, minutes=row.minutes)  # fmt: skip


@sessions_router.get("/{pk}/record", response=responses(RecordOut), summary="The session's record (PLC form)")
def record_read(request: HttpRequest, pk: int) -> RecordOut:
    session = access.get_session_for_user(request, ident(pk))
    if not SessionRecord.objects.filter(session=session).exists():
        raise Http404
    return _record(session)


@sessions_router.put(
    "/{pk}/record",
    response=responses(RecordOut),
    summary="Write the session's record (facilitators and note-takers; If-Match or version, 409)",
)
def record_save(
    request: HttpRequest, pk: int, payload: RecordIn, if_match: str | None = IF_MATCH
) -> RecordOut:
    require_write(request)
    session = access.get_session_for_user(request, ident(pk))
    base = base_revision(request, payload.version)
    if not actions.can_write_record(request.user, session):
        raise ActionRefused(_("Only the facilitators and note-takers write the session's record."))
    row = SessionRecord.objects.filter(session=session).first()
    data = {name: getattr(row, name) if row else "" for name in [*SessionRecord.TEXT_FIELDS, "minutes"]}
    for name, value in payload.model_dump(exclude_unset=True, exclude={"version"}).items():
        data[name] = (value or "").replace("\x00", "")
    cleaned = _valid(_forms.RecordForm(data, instance=row))
    actions.save_record(session, cleaned, acting_user=request.user, base_version=base)
    return _record(session)


@sessions_router.post(
    "/{pk}/record/{op}",
    response=responses(RecordOut),
    summary="Sign the session's record off (op: sign) or open it again (op: reopen): the group's head",
)
def record_sign(request: HttpRequest, pk: int, op: str) -> RecordOut:
    require_write(request)
    if op not in ("sign", "reopen"):
        raise Http404
    session = access.get_session_for_user(request, ident(pk))
    actions.sign_record(session, acting_user=request.user, reopen=op == "reopen")
    return _record(session)
