"""Awards on the home page ("what needs me"): my scoring to do, the nominations I review and
the results I announce as a chair."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from platu.awards import scoring
from platu.awards.models import CommitteeMember, Nomination, Programme
from platu.core.home import Entry as HomeEntry
from platu.core.home import Panel, register
from platu.orgs import access as org_access


@register
def panels(request: HttpRequest) -> list[Panel]:
    person = org_access.person_of(request.user)
    if person is None:
        return []
    seats = list(
        CommitteeMember.objects.filter(
            person=person, programme__state__in=(Programme.State.OPEN, Programme.State.SCORING)
        )
        .select_related("programme__organisation")
        .annotate(
            waiting=Count(
                "programme__nominations", filter=Q(programme__nominations__state=Nomination.State.SUBMITTED)
            )
        )
        .order_by("programme__scoring_deadline", "pk")[:20]
    )
    entries: list[HomeEntry] = []
    for seat in seats:
        programme = seat.programme
        note = programme.organisation.name
        if programme.state == Programme.State.SCORING and not scoring.build(
            programme, viewer=person
        ).finished.get(person.pk, False):
            entries.append(HomeEntry(_("Nominations to score: %(title)s") % {"title": programme.title},
                                     reverse("awards:scores", args=[programme.pk]), note=note,
                                     when=programme.scoring_deadline))  # fmt: skip
        if seat.is_chair and bool(getattr(seat, "waiting", 0)):
            entries.append(HomeEntry(_("Nominations to review: %(title)s (%(n)s)") % {"title": programme.title, "n": seat.waiting},
                                     programme.get_absolute_url() + "#nominations", note=note,
                                     when=programme.nominations_close))  # fmt: skip
        if seat.is_chair and programme.state == Programme.State.SCORING:
            entries.append(HomeEntry(_("Results to announce: %(title)s") % {"title": programme.title},
                                     programme.get_absolute_url() + "#announce", note=note,
                                     when=programme.scoring_deadline))  # fmt: skip
    if not entries:
        return []
    return [Panel("awards-waiting", _("Awards waiting for me"), entries, order=7, urgent=True)]
