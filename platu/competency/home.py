"""Competency on the home page: my self-assessment and needs survey while a cycle is open, and
the supervisor assessments waiting for me."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from platu.competency.models import Assessment, Cycle, Supervisor
from platu.core.home import Entry as HomeEntry
from platu.core.home import Panel, register
from platu.orgs import access as org_access
from platu.orgs.models import ADMIN_ROLES


@register
def panels(request: HttpRequest) -> list[Panel]:
    person = org_access.person_of(request.user)
    if person is None:
        return []
    today = timezone.localdate()
    waiting: list[HomeEntry] = []
    memberships = org_access.memberships_of(request.user)
    org_ids = [m.organisation_id for m in memberships]
    cycles = Cycle.objects.filter(state=Cycle.State.OPEN, opens_on__lte=today, closes_on__gte=today)
    for cycle in cycles.filter(organisation_id__in=org_ids).select_related("organisation"):
        done = Assessment.objects.filter(cycle=cycle, person=person, kind=Assessment.Kind.SELF,
                                         submitted_at__isnull=False).exists()  # fmt: skip
        if not done:
            url = reverse("competency:assess", args=[cycle.organisation.code, cycle.year, person.pk, "self"])
            waiting.append(HomeEntry(_("My competency self-assessment %(year)s") % {"year": cycle.year}, url,
                                     note=cycle.organisation.name, when=cycle.closes_on))  # fmt: skip
    # Supervisor assessments: people named to me, and, for administrators, handed-in
    # self-assessments without a supervisor's assessment.
    named = Supervisor.objects.filter(supervisor=person, cycle__in=cycles).select_related(
        "cycle__organisation", "person"
    )
    pending = {(s.cycle_id, s.person_id): s for s in named}
    admin_orgs = [m.organisation_id for m in memberships if any(r in ADMIN_ROLES for r in m.roles)]
    for a in (
        Assessment.objects.filter(
            cycle__in=cycles.filter(organisation_id__in=admin_orgs),
            kind=Assessment.Kind.SELF,
            submitted_at__isnull=False,
        )
        .exclude(person=person)
        .select_related("cycle__organisation", "person")[:50]
    ):
        if not Supervisor.objects.filter(cycle=a.cycle, person=a.person).exclude(supervisor=person).exists():
            pending.setdefault(
                (a.cycle_id, a.person_id), Supervisor(cycle=a.cycle, person=a.person, supervisor=person)
            )
    done_keys = set(
        Assessment.objects.filter(kind=Assessment.Kind.SUPERVISOR, submitted_at__isnull=False,
                                  cycle_id__in={k[0] for k in pending}).values_list("cycle_id", "person_id")
    )  # fmt: skip
    for key, s in pending.items():
        if key in done_keys:
            continue
        url = reverse(
            "competency:assess", args=[s.cycle.organisation.code, s.cycle.year, s.person.pk, "supervisor"]
        )
        waiting.append(HomeEntry(_("Supervisor assessment: %(person)s") % {"person": s.person.full_name}, url,
                                 note=s.cycle.organisation.name, when=s.cycle.closes_on))  # fmt: skip
    if not waiting:
        return []
    return [
        Panel(
            "competency-waiting",
            _("Competency assessments waiting for me"),
            waiting[:20],
            order=8,
            urgent=True,
        )
    ]
