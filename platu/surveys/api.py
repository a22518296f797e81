"""/api/v1/surveys/{pk}/results: a survey's results as its results page computes them
(platu/surveys/results.py: small groups hidden), for those who may see them (the survey's managers
and the administrators above); a survey the caller's organisation may not see is 404."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from platu.api import ident, responses
from platu.lib.errors import ActionRefused
from platu.surveys import access, results

router = Router(tags=["surveys"])


class ChoiceOut(Schema):
    value: int
    label: str
    count: int
    percent: float


class QuestionOut(Schema):
    id: int
    number: int
    kind: str
    text: str
    answered: int
    mean: float | None
    minimum: float | None
    maximum: float | None
    rows: list[ChoiceOut]
    texts: list[str]


class SectionOut(Schema):
    title: str
    mean: float | None
    questions: list[QuestionOut]


class OrgOut(Schema):
    organisation: str
    responses: int
    invited: int
    shown: bool
    mean: float | None


class ResultsOut(Schema):
    survey: int
    title: str
    state: str
    anonymous: bool
    responses: int
    invited: int
    rate: float | None
    min_group: int
    shown: bool
    mean: float | None
    sections: list[SectionOut]
    by_organisation: list[OrgOut]


def _n(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


@router.get("/{pk}/results", response=responses(ResultsOut), summary="A survey's results")
def survey_results(request: HttpRequest, pk: int) -> ResultsOut:
    survey = access.get_survey_for_results(request, ident(pk))
    if not access.can_see_results(request.user, survey):
        raise ActionRefused(
            _("Only the survey's managers and the administrators of the offices above see its results.")
        )
    r = results.compute(survey)
    return ResultsOut(
        survey=survey.pk,
        title=survey.title,
        state=survey.state,
        anonymous=survey.anonymous,
        responses=r.responses,
        invited=r.invited,
        rate=_n(r.rate),
        min_group=r.min_group,
        shown=r.shown,
        mean=_n(r.mean),
        sections=[
            SectionOut(
                title=s.section.title,
                mean=_n(s.mean),
                questions=[
                    QuestionOut(
                        id=q.question.pk,
                        number=q.number,
                        kind=q.question.kind,
                        text=q.question.text,
                        answered=q.answered,
                        mean=_n(q.mean),
                        minimum=_n(q.minimum),
                        maximum=_n(q.maximum),
                        rows=[
                            ChoiceOut(value=c.value, label=c.label, count=c.count, percent=c.percent)
                            for c in q.rows
                        ],
                        texts=list(q.texts),
                    )
                    for q in s.questions
                ],
            )
            for s in (r.sections if r.shown else [])
        ],
        by_organisation=[
            OrgOut(
                organisation=o.organisation.code,
                responses=o.responses,
                invited=o.invited,
                shown=o.shown,
                mean=_n(o.mean) if o.shown else None,
            )
            for o in r.by_org
        ],
    )
