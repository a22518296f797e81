"""Demo surveys (``platu_demo``): the district office's KM-atmosphere survey of its schools, closed,
answered by every member of บ้านหนองบัวทอง (5), three of อนุบาลศรีนครา and one of บ้านโคกสะอาด
(whose results by school stay hidden: fewer than 5); and บ้านหนองบัวทอง's open feedback survey of
its PLC's last session, answered by two of its attendees, waiting for the others. Dates follow
today's. Idempotent."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from platu.orgs.models import Organisation, Person
from platu.surveys import actions
from platu.surveys.models import Invitation, Question, Survey
from platu.surveys.templates_data import TEMPLATES

ATMOSPHERE_ANSWERS = {  # username: how warm they are about the KM atmosphere (a mean to draw around)
    "wichai.p": 4.6, "kannika.s": 4.4, "pranee.k": 4.8, "teerapat.n": 3.9, "natthapong.w": 4.2,
    "ubonrat.s": 3.6, "patcharee.w": 3.2, "kanokwan.t": 3.8,
    "duangjai.p": 4.0,
}  # fmt: skip
SUGGESTIONS = [
    "อยากให้มีเวลาแลกเปลี่ยนเรียนรู้ในชั่วโมงทำงานมากขึ้น",
    "ควรยกย่องครูที่แบ่งปันความรู้ให้เห็นชัดเจนในที่ประชุม",
    "อยากให้คลังความรู้ค้นหาง่ายขึ้นบนโทรศัพท์",
]


def _answers(survey: Survey, warmth: float, rng: random.Random) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for q in survey.questions.all():
        if q.kind == Question.Kind.LIKERT:
            raw[str(q.pk)] = str(max(1, min(5, round(rng.gauss(warmth, 0.6)))))
        elif q.kind == Question.Kind.SINGLE:
            raw[str(q.pk)] = str(1 if rng.random() < 0.2 else 2)
        elif q.kind == Question.Kind.NUMBER:
            raw[str(q.pk)] = str(rng.randint(2, 25))
        elif q.kind == Question.Kind.MULTIPLE:
            raw[str(q.pk)] = [str(rng.randint(1, 3))]
        elif rng.random() < 0.5:
            raw[str(q.pk)] = rng.choice(SUGGESTIONS)
    return raw


def _survey(org: Organisation, template: str, author: Person, **fields: Any) -> tuple[Survey, bool]:
    title = TEMPLATES[template]["title"]
    survey = Survey.objects.filter(organisation=org, title=title, template=template).first()
    if survey is not None:
        return survey, False
    survey = Survey.objects.create(organisation=org, title=title, template=template,
                                   description=TEMPLATES[template]["description"],
                                   created_by=author.user, **fields)  # fmt: skip
    actions._copy_template(survey, template)
    return survey, True


def _answer(survey: Survey, people: dict[str, Person], who: dict[str, float], seed: int) -> None:
    rng = random.Random(seed)
    questions = list(survey.questions.order_by("order", "pk"))
    for username, warmth in who.items():
        person = people[username]
        cleaned, errors = actions.clean_answers(questions, _answers(survey, warmth, rng))
        assert not errors, errors
        actions._store(survey, person, questions, cleaned, person.user)


def build(people: dict[str, Person]) -> None:
    today = timezone.localdate()
    now = timezone.now()
    district = Organisation.objects.get(code="snk-pesa1")
    survey, created = _survey(
        district, "atmosphere", people["somporn.j"], audience=Survey.Audience.SUBTREE, audience_org=district,
        anonymous=True, opens_on=today - dt.timedelta(days=40), closes_on=today - dt.timedelta(days=10),
    )  # fmt: skip
    if created:
        Survey.objects.filter(pk=survey.pk).update(
            state=Survey.State.OPEN, opened_at=now - dt.timedelta(days=40)
        )
        survey.refresh_from_db()
        actions._invite_audience(survey)
        Survey.objects.filter(pk=survey.pk).update(invited_at=now - dt.timedelta(days=40))
        _answer(survey, people, ATMOSPHERE_ANSWERS, seed=19)
        Survey.objects.filter(pk=survey.pk).update(state=Survey.State.CLOSED, closed_at=now - dt.timedelta(days=9),
                                                   reminded_at=now - dt.timedelta(days=12))  # fmt: skip

    from platu.communities.models import Attendance, Community, Session

    school = Organisation.objects.get(code="sch-nongbua")
    plc = Community.objects.filter(organisation=school, kind=Community.Kind.PLC).order_by("pk").first()
    last = (
        Session.objects.filter(community=plc, ends_at__lt=now, attendance__isnull=False).order_by("-starts_at").first()
        if plc else None
    )  # fmt: skip
    if last is None:
        return
    feedback, created = _survey(
        school, "session", people["pranee.k"], audience=Survey.Audience.SESSION, session=last, anonymous=True,
        opens_on=today - dt.timedelta(days=1), closes_on=today + dt.timedelta(days=6),
    )  # fmt: skip
    if created:
        Survey.objects.filter(pk=feedback.pk).update(state=Survey.State.OPEN, opened_at=now, invited_at=now)
        feedback.refresh_from_db()
        actions._invite_audience(feedback)
        came = set(
            Attendance.objects.filter(session=last, person__isnull=False).values_list("person_id", flat=True)
        )
        who = {u: w for u, w in (("kannika.s", 4.5), ("natthapong.w", 4.1)) if people[u].pk in came}
        _answer(feedback, people, who, seed=7)
        assert Invitation.objects.filter(survey=feedback, answered=False).exists()
