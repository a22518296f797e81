"""The calendar of sessions: who sees which (me, a community, an organisation and the offices
under it), a month's grid, and iCalendar feeds that Google Calendar, Outlook and Thunderbird
accept (RFC 5545, through the icalendar library)."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import secrets
from typing import Any

import icalendar
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from platu.audit.log import record
from platu.communities.models import CalendarToken, Community, Member, Session
from platu.orgs.models import Organisation


def sessions_for(user: Any, *, scope: str, community: Community | None = None,
                 org: Organisation | None = None) -> QuerySet[Session]:  # fmt: skip
    visible = Community.objects.visible_to(user)
    qs = Session.objects.filter(community__in=visible)
    if scope == "community" and community is not None:
        qs = qs.filter(community=community)
    elif scope == "org" and org is not None:
        qs = qs.filter(community__organisation__path__startswith=org.path)  # its subtree too
    else:  # "me": the communities I am a member of
        qs = qs.filter(community__members__person__user=user, community__members__state=Member.State.MEMBER)
    return qs.select_related("community").order_by("starts_at", "pk")


Grid = list[list[tuple[dt.date | None, list[Session]]]]


def _by_day(sessions: list[Session]) -> dict[dt.date, list[Session]]:
    days: dict[dt.date, list[Session]] = {}
    for s in sessions:
        days.setdefault(timezone.localtime(s.starts_at).date(), []).append(s)
    return days


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)  # Sunday, as Thai calendars


def week_grid(first: dt.date, sessions: list[Session]) -> Grid:
    by_day = _by_day(sessions)
    days = [first + dt.timedelta(days=i) for i in range(7)]
    return [[(d, by_day.get(d, [])) for d in days]]


def month_grid(year: int, month: int, sessions: list[Session]) -> Grid:
    by_day = _by_day(sessions)
    weeks = []
    for week in pycalendar.Calendar(firstweekday=6).monthdatescalendar(
        year, month
    ):  # Sunday first, as Thai calendars
        weeks.append(
            [(d if d.month == month else None, by_day.get(d, []) if d.month == month else []) for d in week]
        )
    return weeks


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime(year, month, 1))
    nxt = dt.datetime(year + (month == 12), month % 12 + 1, 1)
    return start, timezone.make_aware(nxt)


def ical(sessions: list[Session], *, name: str, base_url: str) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Platu//Communities//TH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for s in sessions:
        event = icalendar.Event()
        event.add("uid", f"session-{s.pk}@platu")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", s.starts_at)
        event.add("dtend", s.ends_at)
        event.add("summary", f"{s.title} · {s.community.name}")
        if s.place:
            event.add("location", s.place)
        description = "\n".join(x for x in (s.agenda, s.online_url, base_url + s.get_absolute_url()) if x)
        event.add("description", description)
        event.add("url", base_url + s.get_absolute_url())
        event.add("sequence", s.version)
        event.add("status", "CANCELLED" if s.state == Session.State.CANCELLED else "CONFIRMED")
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data


@transaction.atomic
def new_token(user: Any) -> CalendarToken:
    token = CalendarToken.objects.create(user=user, token=secrets.token_urlsafe(32))
    record("calendar.token", actor=user, obj=user)
    return token


@transaction.atomic
def revoke(user: Any, pk: int) -> bool:
    count = CalendarToken.objects.filter(user=user, pk=pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if count:
        record("calendar.token_revoked", actor=user, obj=user)
    return bool(count)


def user_of(token: str) -> Any:
    row = CalendarToken.objects.filter(token=token, revoked_at__isnull=True).select_related("user").first()
    return row.user if row is not None and row.user.is_active else None
