"""/api/v1/communities/...: communities of practice and their sessions the caller may see
(`Community.objects.visible_to` and the access helpers, as the pages; anything else is 404)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Schema

from platu.api import PageParams, clean, ident, moment, page, require_write, responses
from platu.communities import access, actions
from platu.communities.models import Community, Member, Session

router = Router(tags=["communities"])


class CommunityOut(Schema):
    id: int
    organisation: str
    name: str
    purpose: str
    kind: str
    status: str
    visibility: str
    members: int
    url: str
    version: int  # the ETag; an update names it (If-Match)


class CommunityPage(Schema):
    count: int
    limit: int
    offset: int
    results: list[CommunityOut]


class CommunityFilter(PageParams):
    organisation: str = ""  # the home organisation's code
    kind: str = ""
    status: str = ""
    q: str = ""


class SessionOut(Schema):
    id: int
    community: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    online_url: str
    agenda: str
    state: str
    url: str
    version: int  # the ETag; an update names it (If-Match)


class SessionPage(Schema):
    count: int
    limit: int
    offset: int
    results: list[SessionOut]


class SessionFilter(PageParams):
    starts_after: dt.datetime | None = None
    starts_before: dt.datetime | None = None
    state: str = ""


def _community(c: Community, members: int) -> CommunityOut:
    return CommunityOut(
        id=c.pk,
        organisation=c.organisation.code,
        name=c.name,
        purpose=c.purpose,
        kind=c.kind,
        status=c.status,
        visibility=c.visibility,
        members=members,
        url=reverse("communities:detail", args=[c.pk]),
        version=c.version,
    )


def _session(s: Session) -> SessionOut:
    return SessionOut(
        id=s.pk,
        community=s.community_id,
        title=s.title,
        starts_at=s.starts_at,
        ends_at=s.ends_at,
        place=s.place,
        online_url=s.online_url,
        agenda=s.agenda,
        state=s.state,
        url=reverse("communities:session", args=[s.pk]),
        version=s.version,
    )


def _members(community_ids: list[int]) -> dict[int, int]:
    from django.db.models import Count

    rows = (
        Member.objects.filter(community_id__in=community_ids, state=Member.State.MEMBER)
        .values("community_id")
        .annotate(n=Count("pk"))
    )
    return {r["community_id"]: r["n"] for r in rows}


@router.get("/", response=responses(CommunityPage), summary="Communities the caller may see")
def community_list(request: HttpRequest, params: Query[CommunityFilter]) -> CommunityPage:
    found = Community.objects.visible_to(request.user).select_related("organisation")
    if code := clean(params.organisation, 100):
        found = found.filter(organisation__code=code)
    if kind := clean(params.kind, 40):
        found = found.filter(kind=kind)
    if status := clean(params.status, 40):
        found = found.filter(status=status)
    for word in clean(params.q).split()[:8]:
        found = found.filter(name__icontains=word)
    total, rows, limit, offset = page(found.order_by("name", "pk"), params)
    counts = _members([c.pk for c in rows])
    return CommunityPage(
        count=total, limit=limit, offset=offset, results=[_community(c, counts.get(c.pk, 0)) for c in rows]
    )


def with_etag(request: HttpRequest, body: Schema, version: int, status: int = 200) -> HttpResponse:
    from platu.api import api

    response = api.create_response(request, body, status=status)
    response["ETag"] = f'"{version}"'
    return response


@router.get("/{pk}", response=responses(CommunityOut), summary="One community (its ETag is its version)")
def community_detail(request: HttpRequest, pk: int) -> HttpResponse:
    community = access.get_community_for_user(request, ident(pk))
    return with_etag(request, _community(community, _members([community.pk]).get(community.pk, 0)),
                     community.version)  # fmt: skip


@router.get("/{pk}/sessions", response=responses(SessionPage), summary="A community's sessions, by start")
def session_list(request: HttpRequest, pk: int, params: Query[SessionFilter]) -> SessionPage:
    community = access.get_community_for_user(request, ident(pk))
    sessions = Session.objects.filter(community=community)
    if params.starts_after is not None:
        sessions = sessions.filter(starts_at__gte=moment(params.starts_after))
    if params.starts_before is not None:
        sessions = sessions.filter(starts_at__lt=moment(params.starts_before))
    if state := clean(params.state, 40):
        sessions = sessions.filter(state=state)
    total, rows, limit, offset = page(sessions.order_by("starts_at", "pk"), params)
    return SessionPage(count=total, limit=limit, offset=offset, results=[_session(s) for s in rows])


class MembershipOut(Schema):
    community: int
    state: str  # member, requested, invited; "none" after leaving
    role: str


@router.post(
    "/{pk}/membership",
    response=responses(MembershipOut),
    summary="Join a community (or ask to, where the facilitators accept members)",
)
def community_join(request: HttpRequest, pk: int) -> MembershipOut:
    require_write(request)
    community = access.get_community_for_user(request, ident(pk))
    member = actions.join(community, acting_user=request.user)
    return MembershipOut(community=community.pk, state=member.state, role=member.role)


@router.delete("/{pk}/membership", response=responses(MembershipOut), summary="Leave a community")
def community_leave(request: HttpRequest, pk: int) -> MembershipOut:
    require_write(request)
    community = access.get_community_for_user(request, ident(pk))
    actions.leave(community, acting_user=request.user)
    return MembershipOut(community=community.pk, state="none", role="")


sessions_router = Router(tags=["communities"])


class RsvpIn(Schema):
    answer: str  # going, maybe, no
    whole_series: bool = False


class RsvpOut(Schema):
    session: int
    answer: str


@sessions_router.post(
    "/{pk}/rsvp", response=responses(RsvpOut), summary="Answer whether one comes to a session"
)
def session_rsvp(request: HttpRequest, pk: int, payload: RsvpIn) -> RsvpOut:
    require_write(request)
    session = access.get_session_for_user(request, ident(pk))
    row = actions.rsvp(
        session, clean(payload.answer, 20), whole_series=payload.whole_series, acting_user=request.user
    )
    return RsvpOut(session=session.pk, answer=row.answer)


@sessions_router.get("/{pk}", response=responses(SessionOut), summary="One session (its ETag is its version)")
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.get_session_for_user(request, ident(pk))
    return with_etag(request, _session(session), session.version)


# The writes (create, update, schedule, attendance, sign-off) add their calls to these routers.
from platu.communities import api_write as _api_write  # noqa: E402,F401
