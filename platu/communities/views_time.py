"""Time in communities: the teacher's PLC logbook and the organisation's hours, the month
calendar of sessions, and the iCalendar feeds (private, revocable addresses)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platu.communities import access
from platu.communities.models import CalendarToken, Community
from platu.lib.ids import MAX_ID, parse_int
from platu.orgs import access as org_access
from platu.orgs.models import Organisation, Person


def _fiscal_year(request: HttpRequest) -> int:
    from platu.lib import thaidate

    year = parse_int(str(request.GET.get("fy") or "").translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")))
    return year if year and 2400 <= year <= 2700 else thaidate.fiscal_year(timezone.localdate())


@login_required
def my_hours(request: HttpRequest, person_pk: int | None = None, code: str | None = None) -> HttpResponse:
    """A teacher's PLC logbook (their own; an administrator of their organisation may read it)."""
    from platu.communities import hours

    person = org_access.person_of(request.user)
    org = request.org if getattr(request, "org", None) else None  # type: ignore[attr-defined]
    if person_pk is not None and code is not None:
        org = org_access.get_organisation_for_user(request, code)
        if not org_access.can_admin(request.user, org):
            raise Http404
        person = Person.objects.filter(pk=person_pk, memberships__organisation=org).first()
    if person is None:
        raise Http404
    year = _fiscal_year(request)
    book = hours.logbook(person, year)
    if person_pk is not None:  # an administrator reading: communities they may not see stay unnamed
        visible = set(Community.objects.visible_to(request.user).values_list("pk", flat=True))
        for entry in book.entries:
            if entry.community_id not in visible:
                entry.community = entry.title = "–"
    fmt = request.GET.get("format", "")
    if fmt in ("pdf", "docx", "xlsx"):
        from platu.communities import documents
        from platu.exports.formats import CONTENT_TYPES

        response = HttpResponse(documents.render(book, org, fmt), content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="plc-logbook-{year}.{fmt}"'
        return response
    from platu.communities.records import can_approve

    return render(request, "communities/hours.html", {
        "book": book, "year": year, "minimum": hours.minimum(org) if org else None, "org": org,
        "own": person_pk is None, "terms": book.terms(),
        "can_approve": bool(org and person_pk is not None and can_approve(request.user, org, person)),
    })  # fmt: skip


@login_required
def org_hours(request: HttpRequest, code: str) -> HttpResponse:
    """Who in the organisation is below the yearly PLC minimum."""
    org = org_access.get_organisation_for_user(request, code)
    if not org_access.can_admin(request.user, org):
        raise Http404
    return render(request, "communities/org_hours.html", org_hours_context(request, org))


def org_hours_context(request: HttpRequest, org: Organisation) -> dict[str, object]:
    from platu.communities import hours

    year = _fiscal_year(request)
    return {"org": org, "year": year, "rows": hours.summary(org, year), "minimum": hours.minimum(org)}


def _month(request: HttpRequest) -> tuple[int, int]:
    text = request.GET.get("month", "")
    today = timezone.localdate()
    try:
        year, month = (int(x) for x in text.split("-"))
        if year > 2400:
            year -= 543
        if 1900 < year < 2200 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return today.year, today.month


@login_required
def calendar_view(request: HttpRequest) -> HttpResponse:
    """Month or week view of sessions (a list on phones): mine, a community's, or an
    organisation's (its subtree too)."""
    from platu.communities import calendar
    from platu.lib import thaidate

    scope = request.GET.get("scope", "me")
    community = org = None
    if scope == "community":
        community = access.get_community_for_user(
            request, parse_int(request.GET.get("community"), maximum=MAX_ID) or 0
        )
    elif scope == "org":
        org = org_access.get_organisation_for_user(request, request.GET.get("org", "")[:50])
    else:
        scope = "me"
    query = request.GET.copy()
    links = {}
    qs = calendar.sessions_for(request.user, scope=scope, community=community, org=org)
    if request.GET.get("view") == "week":
        # The week (Sunday to Saturday) of ?day= (B.E. or C.E. YYYY-MM-DD), or this week.
        from platu.lib.forms import parse_be_date

        try:
            day = parse_be_date(request.GET.get("day", "")[:20])
        except ValueError:
            day = timezone.localdate()
        first = calendar.week_start(day)
        start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
        sessions = list(qs.filter(starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=7)))
        weeks = calendar.week_grid(first, sessions)
        last = first + dt.timedelta(days=6)
        title = f"{thaidate.format_date(first, 'medium')} – {thaidate.format_date(last, 'medium')}"
        for key, shift in (("prev", -7), ("next", 7)):
            other = first + dt.timedelta(days=shift)
            query["day"] = f"{thaidate.to_be(other.year)}-{other.month:02d}-{other.day:02d}"
            links[key] = query.urlencode()
    else:
        year, month = _month(request)
        start, end = calendar.month_bounds(year, month)
        sessions = list(qs.filter(starts_at__gte=start, starts_at__lt=end))
        weeks = calendar.month_grid(year, month, sessions)
        title = f"{thaidate.MONTHS_FULL[month - 1]} {year + 543}"
        prev_month = (year - (month == 1), 12 if month == 1 else month - 1)
        next_month = (year + (month == 12), 1 if month == 12 else month + 1)
        for key, (y, m) in (("prev", prev_month), ("next", next_month)):
            query["month"] = f"{y + 543}-{m}"
            links[key] = query.urlencode()
    return render(request, "communities/calendar.html", {
        "weeks": weeks, "sessions": sessions, "scope": scope, "view": request.GET.get("view", "month"),
        "community": community, "org": org, "title": title,
        "links": links, "tokens": list(CalendarToken.objects.filter(user=request.user, revoked_at__isnull=True)),  # type: ignore[misc]
        "orgs": [m.organisation for m in org_access.memberships_of(request.user)],
    })  # fmt: skip


@login_required
@require_POST
def calendar_tokens(request: HttpRequest) -> HttpResponse:
    from platu.communities import calendar

    if request.POST.get("op") == "revoke":
        calendar.revoke(request.user, parse_int(request.POST.get("token"), maximum=MAX_ID) or 0)
        messages.success(request, _("The feed address no longer works."))
    else:
        calendar.new_token(request.user)
        messages.success(request, _("A private feed address has been made. Keep it to yourself."))
    return redirect("communities:calendar")


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A private iCalendar feed: the token's owner's communities, one community, or an
    organisation (?community=<id>, ?org=<code>); no log-in (calendar apps send no cookies)."""
    from platu.communities import calendar

    user = calendar.user_of(token[:100])
    if user is None:
        raise Http404
    community = org = None
    scope = "me"
    if request.GET.get("community"):
        community = (
            Community.objects.visible_to(user)
            .filter(pk=parse_int(request.GET["community"], maximum=MAX_ID) or 0)
            .first()
        )
        if community is None:
            raise Http404
        scope = "community"
    elif request.GET.get("org"):
        org = Organisation.objects.filter(code=request.GET["org"][:50]).first()
        if org is None or not org_access.can_see(user, org):
            raise Http404
        scope = "org"
    since = timezone.now() - dt.timedelta(days=90)
    sessions = list(
        calendar.sessions_for(user, scope=scope, community=community, org=org).filter(starts_at__gte=since)[
            :2000
        ]
    )
    name = community.name if community else org.name if org else _("My PLC and CoP sessions")
    data = calendar.ical(sessions, name=str(name), base_url=settings.PLATU_BASE_URL.rstrip("/"))
    return HttpResponse(data, content_type="text/calendar; charset=utf-8")


@login_required
def session_ics(request: HttpRequest, pk: int) -> HttpResponse:
    from platu.communities import calendar

    session = access.get_session_for_user(request, pk)
    data = calendar.ical([session], name=session.community.name, base_url=settings.PLATU_BASE_URL.rstrip("/"))
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}.ics"'
    return response
