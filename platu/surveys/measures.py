"""Survey measures for monitoring indicators (registered with platu/tracking/measures.py).

Which surveys: the one named in the filters ("survey": its id), else the organisation's (or its
subtree's) surveys that close in the period, optionally of one template ("kind": atmosphere,
understanding, session, training). Which answers: all of them when the organisation made the
survey or is above the one that did; when an office above surveyed it (a district's survey of its
schools, measured for one school), only its own people's answers.

"surveys.mean" leaves out an anonymous survey whose counted answers are fewer than its
organisation's minimum group, as the results pages do."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from platu.lib.ids import MAX_ID, parse_int
from platu.surveys.models import Answer, Invitation, Question, Response, Survey, min_group_for
from platu.tracking.measures import Counted, Measure, Scope, register

FILTERS = ("survey", "kind")


def _surveys(scope: Scope) -> list[Survey]:
    path = scope.organisation.path
    qs = Survey.objects.exclude(state=Survey.State.DRAFT).select_related("organisation")
    if scope.filters.get("survey"):
        pk = parse_int(scope.filters["survey"], maximum=MAX_ID) or 0
        found = [
            s
            for s in qs.filter(pk=pk)
            if s.organisation.path.startswith(path) or path.startswith(s.organisation.path)
        ]
        return found
    qs = qs.filter(closes_on__gte=scope.start, closes_on__lte=scope.end, **scope.org_q("organisation"))
    if scope.filters.get("kind"):
        qs = qs.filter(template=str(scope.filters["kind"]))
    return list(qs.order_by("closes_on", "pk"))


def _own_people(survey: Survey, scope: Scope, field: str = "organisation") -> Q:
    """All answers, or only the scope's organisation's when an office above made the survey."""
    if survey.organisation.path.startswith(scope.organisation.path):
        return Q()
    if scope.subtree:
        return Q(**{f"{field}__path__startswith": scope.organisation.path})
    return Q(**{field: scope.organisation})


def _per_survey(scope: Scope) -> list[tuple[Survey, Q, int]]:
    out = []
    for survey in _surveys(scope):
        q = _own_people(survey, scope)
        out.append((survey, q, Response.objects.filter(q, survey=survey).count()))
    return out


def _counted(value: Decimal, count: int, surveys: list[Survey]) -> Counted:
    url = reverse("surveys:results", args=[surveys[0].pk]) if len(surveys) == 1 else ""
    return Counted(value, count, [s.pk for s in surveys], url)


def _mean(scope: Scope) -> Counted:
    total = Decimal(0)
    n = 0
    used = []
    for survey, q, responses in _per_survey(scope):
        if responses == 0 or (survey.anonymous and responses < min_group_for(survey.organisation)):
            continue
        row: dict[str, Any] = Answer.objects.filter(
            q, question__survey=survey, question__kind=Question.Kind.LIKERT, value__isnull=False
        ).aggregate(s=Sum("value"), c=Count("*"))
        if row["c"]:
            total += Decimal(row["s"])
            n += row["c"]
            used.append(survey)
    value = (total / n).quantize(Decimal("0.01")) if n else Decimal(0)
    return _counted(value, n, used)


def _responses(scope: Scope) -> Counted:
    rows = _per_survey(scope)
    n = sum(r for _s, _q, r in rows)
    return _counted(Decimal(n), n, [s for s, _q, _r in rows])


def _rate(scope: Scope) -> Counted:
    rows = _per_survey(scope)
    answered = sum(r for _s, _q, r in rows)
    invited = sum(Invitation.objects.filter(q, survey=s).count() for s, q, _r in rows)
    value = (Decimal(answered) * 100 / invited).quantize(Decimal("0.01")) if invited else Decimal(0)
    return _counted(value, answered, [s for s, _q, _r in rows])


register(Measure("surveys.mean", _("Mean rating in surveys (5 = มากที่สุด)"), _("of 5"), _mean, FILTERS))
register(Measure("surveys.responses", _("Survey responses"), _("responses"), _responses, FILTERS))
register(Measure("surveys.response_rate", _("Survey response rate"), _("%"), _rate, FILTERS))
