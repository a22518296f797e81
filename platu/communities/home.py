"""The communities module's panels on the home page: my next sessions, and requests to join
the communities I facilitate."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from platu.communities.models import Member, Session
from platu.core.home import Entry, Panel, register
from platu.orgs import access as org_access


@register
def panels(request: HttpRequest) -> list[Panel]:
    person = org_access.person_of(request.user)
    if person is None:
        return []
    mine = Member.objects.filter(person=person, state=Member.State.MEMBER)
    upcoming = (
        Session.objects.filter(community__in=mine.values("community_id"), ends_at__gte=timezone.now())
        .exclude(state=Session.State.CANCELLED)
        .select_related("community")
        .order_by("starts_at")[:5]
    )
    requests = (
        Member.objects.filter(
            state=Member.State.REQUESTED,
            community__in=mine.filter(role=Member.Role.FACILITATOR).values("community_id"),
        )
        .select_related("person", "community")
        .order_by("joined_at")[:10]
    )
    return [
        Panel("join-requests", _("Asking to join my communities"),
              [Entry(m.person.full_name, m.community.get_absolute_url(), note=m.community.name) for m in requests],
              order=15, urgent=True),
        Panel("sessions", _("My next PLC and CoP sessions"),
              [Entry(s.title, s.get_absolute_url(), note=s.community.name, when=s.starts_at) for s in upcoming],
              order=30, more_url=reverse("communities:calendar"), more_label=_("Calendar")),
    ]  # fmt: skip
