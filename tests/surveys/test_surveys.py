"""Surveys (issue 19): templates copied into drafts, questions frozen once open, audiences and who
may see what, answering with server-side checks (one response per person; anonymous answers
linked to no one), a survey that closed while someone answered, results with small groups hidden,
the answer counts kept equal to the answers, measures for monitoring, reminders and the export."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from platu.audit.models import AuditEntry
from platu.lib.errors import ActionRefused, InvalidAction
from platu.notify.models import Notification
from platu.orgs.models import Organisation
from platu.surveys import actions, housekeeping, results, tally
from platu.surveys.models import Answer, Draft, Invitation, Question, Response, Survey, SurveySettings
from platu.tracking import measures
from tests.conftest import make_person


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


@pytest.fixture
def district(world: SimpleNamespace) -> SimpleNamespace:
    """The parent office surveys its schools: school A (owner, member + 4 teachers), school C (1)."""
    w = world
    w.c = Organisation.objects.create(code="org-c", kind="school", name_th="โรงเรียนบ้านซี", parent=w.parent)
    w.teachers = [make_person(f"teacher{i}", f"ครู{i}", "ทดสอบ", org=w.a) for i in range(4)]
    w.lonely = make_person("lonely", "ครูคนเดียว", "ทดสอบ", org=w.c)
    w.office_staff = make_person("staff", "เจ้าหน้าที่", "เขต", org=w.parent)
    return w


def make_survey(w: SimpleNamespace, *, template: str = "atmosphere", anonymous: bool = True,
                audience: str = Survey.Audience.SUBTREE, org: Any = None, **extra: Any) -> Survey:  # fmt: skip
    today = timezone.localdate()
    data = {"audience": audience, "audience_org": extra.pop("audience_org", org or w.parent), "anonymous": anonymous,
            "opens_on": today, "closes_on": today + dt.timedelta(days=7), **extra}  # fmt: skip
    return actions.create_survey(org or w.parent, data, template=template, acting_user=w.supervisor.user)


def full_answers(survey: Survey, score: int = 4) -> dict[str, str]:
    post: dict[str, str] = {}
    for q in survey.questions.all():
        if q.kind == Question.Kind.LIKERT:
            post[f"q{q.pk}"] = str(score)
        elif q.kind == Question.Kind.SINGLE:
            post[f"q{q.pk}"] = "2"
        elif q.kind == Question.Kind.NUMBER:
            post[f"q{q.pk}"] = "๑๒"  # Thai digits are read
    return post


def test_a_template_is_copied_into_an_editable_draft_and_frozen_once_open(district: SimpleNamespace) -> None:
    w = district
    survey = make_survey(w)
    assert survey.title == "แบบสอบถามความพึงพอใจต่อบรรยากาศการจัดการความรู้" and survey.state == Survey.State.DRAFT
    questions = list(survey.questions.order_by("order"))
    assert len(questions) == 14 and sum(q.kind == Question.Kind.LIKERT for q in questions) == 11
    assert [q.order for q in questions] == list(range(1, 15))
    first = questions[2]
    actions.save_question(survey, first, {"kind": "likert", "text": "ผู้บริหารสนับสนุน KM", "required": True},
                          acting_user=w.supervisor.user)  # fmt: skip
    first.refresh_from_db()
    assert first.text == "ผู้บริหารสนับสนุน KM"
    with pytest.raises(InvalidAction):
        actions.save_question(survey, None, {"kind": "single", "text": "ข้อเดียว", "options": ["ก"]},
                              acting_user=w.supervisor.user)  # fmt: skip
    added = actions.save_question(survey, None, {"kind": "multiple", "text": "เลือกได้หลายข้อ", "options": ["ก", "ข", "ค"],
                                                 "section": survey.sections.first()}, acting_user=w.supervisor.user)  # fmt: skip
    assert added.order == 3  # the end of the first section, the others numbered after it
    actions.move_question(added, True, acting_user=w.supervisor.user)
    assert Question.objects.get(pk=added.pk).order == 2
    # A plain member of the office may not build it.
    with pytest.raises(ActionRefused):
        actions.save_question(survey, first, {"kind": "likert", "text": "x"}, acting_user=w.office_staff.user)
    invited = actions.open_survey(survey, acting_user=w.supervisor.user)
    assert invited == 7  # school A's 6 and school C's 1, not the office's own staff
    with pytest.raises(InvalidAction):
        actions.save_question(
            survey, first, {"kind": "likert", "text": "changed"}, acting_user=w.supervisor.user
        )
    copy = actions.copy_survey(survey, acting_user=w.supervisor.user)
    assert copy.state == Survey.State.DRAFT and copy.questions.count() == 15
    assert set(AuditEntry.objects.filter(object_id=str(survey.pk), object_type="surveys.survey")
               .values_list("action", flat=True)) >= {"survey.create", "survey.open", "survey.questions"}  # fmt: skip


def test_pages_answer_404_outside_the_audience_and_403_for_members_who_do_not_manage(
    district: SimpleNamespace,
) -> None:
    w = district
    survey = make_survey(w)
    actions.open_survey(survey, acting_user=w.supervisor.user)
    answer = reverse("surveys:answer", args=[survey.pk])
    assert client_for(w.member).get(answer).status_code == 200
    assert client_for(w.outsider).get(answer).status_code == 404
    assert client_for(w.office_staff).get(answer).status_code == 404  # not in the audience (the schools)
    res = reverse("surveys:results", args=[survey.pk])
    assert client_for(w.outsider).get(res).status_code == 404
    assert client_for(w.member).get(res).status_code == 404  # a school does not see the office's tree
    assert client_for(w.office_staff).get(res).status_code == 403
    assert client_for(w.supervisor).get(res).status_code == 200
    assert client_for(w.outsider).get(reverse("surveys:detail", args=[survey.pk])).status_code == 404
    assert (
        client_for(w.outsider).post(reverse("surveys:act", args=[survey.pk]), {"op": "close"}).status_code
        == 404
    )
    draft = make_survey(w, template="session")
    assert client_for(w.member).get(reverse("surveys:answer", args=[draft.pk])).status_code == 404


def test_answering_checks_on_the_server_and_keeps_no_link_to_an_anonymous_respondent(
    district: SimpleNamespace,
) -> None:
    w = district
    survey = make_survey(w)
    actions.open_survey(survey, acting_user=w.supervisor.user)
    client = client_for(w.member)
    url = reverse("surveys:answer", args=[survey.pk])
    post = full_answers(survey)
    likert = survey.questions.filter(kind=Question.Kind.LIKERT).first()
    number = survey.questions.get(kind=Question.Kind.NUMBER)
    missing = {k: v for k, v in post.items() if k != f"q{likert.pk}"} | {f"q{number.pk}": "สิบ"}
    page = client.post(url, missing).content.decode()
    assert "This question needs an answer." in page or "ข้อนี้ต้องตอบ" in page
    assert 'id="error-summary"' in page and f'href="#q{likert.pk}-box"' in page
    assert Response.objects.count() == 0
    assert 'value="สิบ"' in page  # what was typed comes back
    response = client.post(url, post)
    assert response.status_code == 302
    stored = Response.objects.get(survey=survey)
    assert stored.person is None and stored.submitted_at is None and stored.organisation == w.a
    assert Answer.objects.get(response=stored, question=number).number == Decimal("12.00")
    invitation = Invitation.objects.get(survey=survey, person=w.member)
    assert invitation.answered and invitation.answered_at is None
    audit = AuditEntry.objects.get(action="survey.answer")
    assert audit.actor is None and audit.ip is None and audit.actor_repr == "" and audit.data == {}
    assert 'id="answered"' in client.get(url).content.decode()
    client.post(url, post)
    assert Response.objects.filter(survey=survey).count() == 1  # once per person
    with pytest.raises(InvalidAction):
        actions.submit(survey, w.member, {f"{k[1:]}": v for k, v in post.items()}, acting_user=w.member.user)


def test_a_named_survey_has_one_response_per_person_by_constraint(district: SimpleNamespace) -> None:
    w = district
    today = timezone.localdate()
    survey = actions.create_survey(w.a, {"audience": "organisation", "audience_org": w.a, "anonymous": False,
                                         "opens_on": today, "closes_on": today},
                                   template="session", acting_user=w.owner.user)  # fmt: skip
    actions.open_survey(survey, acting_user=w.owner.user)
    raw = {k[1:]: v for k, v in full_answers(survey).items()}
    response = actions.submit(survey, w.member, raw, acting_user=w.member.user)
    assert response.person == w.member and response.submitted_at is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(survey=survey, person=w.member)


def test_a_survey_that_closed_while_someone_answered_keeps_their_answers(district: SimpleNamespace) -> None:
    w = district
    survey = make_survey(w, template="session")
    actions.open_survey(survey, acting_user=w.supervisor.user)
    client = client_for(w.member)
    url = reverse("surveys:answer", args=[survey.pk])
    assert client.get(url).status_code == 200  # the form is open on their phone...
    actions.close_survey(survey, acting_user=w.supervisor.user)  # ...and the office closes it
    post = full_answers(survey, score=5)
    response = client.post(url, post, follow=True)
    page = response.content.decode()
    assert Response.objects.count() == 0, page
    assert "late-draft" in page, page[page.find("<main") : page.find("</main>")]
    draft = Draft.objects.get(survey=survey, person=w.member)
    assert draft.late and all(draft.data[k[1:]] == v for k, v in post.items())
    actions.reopen_survey(survey, timezone.localdate() + dt.timedelta(days=2), acting_user=w.supervisor.user)
    assert Notification.objects.filter(recipient=w.member.user, kind="survey.reopened").exists()
    page = client.get(url).content.decode()
    assert 'id="draft-note"' in page and "checked" in page  # their answers are filled in
    assert client.post(url, post).status_code == 302
    assert Response.objects.filter(survey=survey).count() == 1 and not Draft.objects.exists()


def _answer_all(survey: Survey, people: list[Any], score: int = 4) -> None:
    for n, person in enumerate(people):
        raw = {k[1:]: v for k, v in full_answers(survey, score=score if n % 2 else 5).items()}
        actions.submit(survey, person, raw, acting_user=person.user)


def test_results_hide_small_groups_and_add_up(district: SimpleNamespace) -> None:
    w = district
    survey = make_survey(w)
    actions.open_survey(survey, acting_user=w.supervisor.user)
    _answer_all(survey, [w.lonely])
    client = client_for(w.supervisor)
    url = reverse("surveys:results", args=[survey.pk])
    page = client.get(url).content.decode()
    assert 'id="results-hidden"' in page and 'role="img"' not in page  # 1 answer of an anonymous survey
    assert client.get(url).context["r"].text["responses"] == "1"  # who answered is still counted
    long_q = survey.questions.get(kind=Question.Kind.LONG_TEXT)
    texts_url = reverse("surveys:texts", args=[survey.pk, long_q.pk])
    assert 'id="results-hidden"' in client.get(texts_url).content.decode()
    assert client_for(w.outsider).get(texts_url).status_code == 404
    assert client_for(w.office_staff).get(texts_url).status_code == 403
    _answer_all(survey, [w.owner, w.member, *w.teachers])
    r = results.compute(survey)
    assert r.responses == 7 and r.shown
    for qr in r.likert:
        assert sum(row.count for row in qr.rows) == 7 == qr.answered
    assert r.likert[0].mean == Decimal("4.57")  # four 5s and three 4s
    rows = {o.organisation.code: o for o in r.by_org}
    assert rows["org-a"].shown and rows["org-a"].responses == 6 and rows["org-a"].mean is not None
    assert not rows["org-c"].shown and rows["org-c"].mean is None and rows["org-c"].section_means == []
    page = client.get(url).content.decode()
    assert (
        page.count('role="img"') == 13 and "aria-label=" in page and "<script" not in page.split("<main")[1]
    )
    assert 'data-org="org-c"' in page and "org-hidden" in page
    ids = [q.pk for q in survey.questions.all()]
    assert tally.normalised(tally.read(ids)) == tally.normalised(tally.from_answers(ids))
    assert tally.turnout(survey.pk) == ({w.a.pk: 6, w.c.pk: 1}, {w.a.pk: 6, w.c.pk: 1})
    texts = client.get(texts_url).content.decode()
    assert 'id="texts"' in texts and 'id="results-hidden"' not in texts


def test_the_smallest_group_is_the_organisations_setting(district: SimpleNamespace) -> None:
    w = district
    url = reverse("surveys:settings", args=[w.parent.code])
    assert client_for(w.office_staff).get(url).status_code == 403
    assert client_for(w.supervisor).post(url, {"min_group": "2"}).status_code == 200  # below 3: refused
    assert client_for(w.supervisor).post(url, {"min_group": "3"}).status_code == 302
    assert SurveySettings.objects.get(organisation=w.parent).min_group == 3
    survey = make_survey(w)
    actions.open_survey(survey, acting_user=w.supervisor.user)
    _answer_all(survey, [w.owner, w.member, w.teachers[0]])
    assert results.compute(survey).shown


def test_choices_numbers_and_texts_are_checked(district: SimpleNamespace) -> None:
    w = district
    survey = make_survey(w, template="training")
    number = survey.questions.get(kind=Question.Kind.NUMBER)
    number.number_min, number.number_max = Decimal(0), Decimal(52)
    number.save()
    multi = actions.save_question(survey, None, {"kind": "multiple", "text": "หัวข้อ", "options": ["ก", "ข", "ค"],
                                                 "required": True}, acting_user=w.supervisor.user)  # fmt: skip
    qs = [number, multi, *survey.questions.filter(kind=Question.Kind.LONG_TEXT)]
    cleaned, errors = actions.clean_answers(qs, {str(number.pk): "60", str(multi.pk): ["1", "9"]})
    assert set(errors) == {number.pk, multi.pk}
    cleaned, errors = actions.clean_answers(qs, {str(number.pk): "๓.๕", str(multi.pk): ["1", "3"]})
    assert errors == {} and cleaned[number.pk] == Decimal("3.50") and cleaned[multi.pk] == [1, 3]
    _cleaned, errors = actions.clean_answers(qs, {str(number.pk): "1e999", str(multi.pk): ["1"]})
    assert number.pk in errors
    _cleaned, errors = actions.clean_answers(qs, {str(multi.pk): ["2"], str(qs[2].pk): "ก" * 5001})
    assert qs[2].pk in errors


def test_several_choices_count_their_respondents(district: SimpleNamespace) -> None:
    w = district
    survey = make_survey(w, template="understanding", anonymous=False)
    multi = survey.questions.get(kind=Question.Kind.MULTIPLE)
    actions.open_survey(survey, acting_user=w.supervisor.user)
    for n, person in enumerate([w.owner, w.member, w.lonely]):
        raw = {k[1:]: v for k, v in full_answers(survey).items()}
        raw[str(multi.pk)] = ["1", "2"] if n < 2 else ["2"]
        actions.submit(survey, person, raw, acting_user=person.user)
    r = results.compute(survey)
    qr = next(q for s in r.sections for q in s.questions if q.question.pk == multi.pk)
    assert qr.answered == 3 and [row.count for row in qr.rows][:2] == [2, 3]
    assert qr.rows[1].percent == 100.0
    ids = [q.pk for q in survey.questions.all()]
    assert tally.normalised(tally.read(ids)) == tally.normalised(tally.from_answers(ids))


def test_per_section_pages_without_javascript(district: SimpleNamespace) -> None:
    w = district
    survey = make_survey(w, one_page=False)
    actions.open_survey(survey, acting_user=w.supervisor.user)
    client = client_for(w.member)
    url = reverse("surveys:answer", args=[survey.pk])
    post = full_answers(survey)
    sections = list(survey.sections.order_by("order"))
    assert len(sections) == 5
    for n, section in enumerate(sections, start=1):
        page = client.get(f"{url}?page={n}").content.decode()
        assert f'name="page" value="{n}"' in page
        ids = set(section.questions.values_list("pk", flat=True))
        data = {k: v for k, v in post.items() if int(k[1:]) in ids} | {"page": str(n)}
        data["go"] = "send" if n == len(sections) else "next"
        response = client.post(url, data)
        assert response.status_code == 302
    assert Response.objects.filter(survey=survey).count() == 1


def test_measures_feed_monitoring_indicators(district: SimpleNamespace) -> None:
    w = district
    survey = make_survey(w)
    actions.open_survey(survey, acting_user=w.supervisor.user)
    _answer_all(survey, [w.owner, w.member, *w.teachers, w.lonely])
    actions.close_survey(survey, acting_user=w.supervisor.user)
    today = timezone.localdate()
    start, end = today - dt.timedelta(days=30), today + dt.timedelta(days=30)
    office = measures.compute("surveys.mean", measures.Scope(w.parent, False, start, end, {}))
    assert office is not None and office.value == Decimal("4.57") and office.ids == [survey.pk]
    n = measures.compute(
        "surveys.responses", measures.Scope(w.parent, False, start, end, {"kind": "atmosphere"})
    )
    assert n is not None and n.value == 7
    rate = measures.compute("surveys.response_rate", measures.Scope(w.parent, False, start, end, {}))
    assert rate is not None and rate.value == Decimal("100.00")
    # A school measures its own people's answers to the office's survey; school C is too small.
    a = measures.compute("surveys.mean", measures.Scope(w.a, False, start, end, {"survey": str(survey.pk)}))
    assert a is not None and a.count == 66  # 6 people × 11 ratings
    c = measures.compute("surveys.mean", measures.Scope(w.c, False, start, end, {"survey": str(survey.pk)}))
    assert c is not None and c.count == 0
    other = measures.compute(
        "surveys.responses", measures.Scope(w.b, False, start, end, {"survey": str(survey.pk)})
    )
    assert other is not None and other.value == 0  # not its survey, nor one of an office above it


def test_housekeeping_invites_on_the_opening_day_reminds_once_and_closes(district: SimpleNamespace) -> None:
    w = district
    today = timezone.localdate()
    survey = make_survey(w, opens_on=today + dt.timedelta(days=1), closes_on=today + dt.timedelta(days=3))
    actions.open_survey(survey, acting_user=w.supervisor.user)
    assert not Notification.objects.filter(kind="survey.invite").exists()  # not before its opening day
    Survey.objects.filter(pk=survey.pk).update(opens_on=today)
    housekeeping.invite()
    assert Notification.objects.filter(kind="survey.invite").count() == 7
    newcomer = make_person("newcomer", "ครูใหม่", "ย้ายมา", org=w.a)  # joins the school after it opened
    housekeeping.invite()
    assert Notification.objects.filter(kind="survey.invite").count() == 8
    assert Notification.objects.filter(kind="survey.invite", recipient=newcomer.user).exists()
    assert Invitation.objects.get(survey=survey, person=newcomer).organisation == w.a
    housekeeping.remind()
    assert not Notification.objects.filter(
        kind="survey.reminder"
    ).exists()  # not on the day of the invitation
    Survey.objects.filter(pk=survey.pk).update(invited_at=timezone.now() - dt.timedelta(days=2),
                                               closes_on=today + dt.timedelta(days=2))  # fmt: skip
    _answer_all(survey, [w.member])
    housekeeping.remind()
    housekeeping.remind()
    reminded = Notification.objects.filter(kind="survey.reminder")
    assert reminded.count() == 7 and not reminded.filter(recipient=w.member.user).exists()
    Survey.objects.filter(pk=survey.pk).update(
        closes_on=today - dt.timedelta(days=1), opens_on=today - dt.timedelta(days=3)
    )
    housekeeping.close()
    assert Survey.objects.get(pk=survey.pk).state == Survey.State.CLOSED
    assert AuditEntry.objects.filter(action="survey.close", actor__isnull=True).exists()


def test_the_home_panel_lists_surveys_waiting_for_my_answer(district: SimpleNamespace) -> None:
    w = district
    survey = make_survey(w, template="session")
    actions.open_survey(survey, acting_user=w.supervisor.user)
    client = client_for(w.member)
    page = client.get("/").content.decode()
    assert 'id="panel-surveys"' in page and reverse("surveys:answer", args=[survey.pk]) in page
    _answer_all(survey, [w.member])
    assert 'id="panel-surveys"' not in client.get("/").content.decode()
    manager = client_for(w.supervisor).get("/").content.decode()  # the office's CKO: the surveys it manages
    assert 'id="panel-managed-surveys"' in manager and survey.get_absolute_url() in manager
    assert 'id="panel-managed-surveys"' not in client.get("/").content.decode()


def test_the_export_is_anonymised_and_never_a_formula(district: SimpleNamespace) -> None:
    w = district
    survey = make_survey(w, template="session")
    text = survey.questions.filter(kind=Question.Kind.SHORT_TEXT).first()
    actions.open_survey(survey, acting_user=w.supervisor.user)
    for person in [w.owner, w.member, *w.teachers, w.lonely]:
        raw = {k[1:]: v for k, v in full_answers(survey).items()} | {str(text.pk): '=HYPERLINK("http://x")'}
        actions.submit(survey, person, raw, acting_user=person.user)
    response = client_for(w.supervisor).get(reverse("surveys:export", args=[survey.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert "ชื่อ-สกุล" not in header and header[1] == "หน่วยงาน"
    orgs = [row[1].value for row in sheet.iter_rows(min_row=2)]
    assert orgs.count("โรงเรียนบ้านเอ") == 6 and orgs.count(None) == 1  # school C's one answer: no school
    texts = [row[header.index(f"7. {text.text}")] for row in sheet.iter_rows(min_row=2)]
    assert all(c.data_type == "s" and c.value.startswith("=HYPERLINK") for c in texts)
    names = {p.first_name for p in [w.owner, w.member, *w.teachers, w.lonely]}
    cells = {str(c.value) for row in sheet.iter_rows() for c in row}
    assert not names & cells
    assert AuditEntry.objects.filter(action="survey.export").exists()


def test_a_community_or_a_session_as_the_audience(district: SimpleNamespace) -> None:
    from platu.communities.models import Attendance, Community, Member, Session

    w = district
    cop = Community.objects.create(
        organisation=w.a, name="PLC ภาษาไทย", kind="plc", network_path=w.a.network_path
    )
    Member.objects.create(community=cop, person=w.owner, role="facilitator")
    Member.objects.create(community=cop, person=w.member)
    Member.objects.create(
        community=cop, person=w.teachers[0], state=Member.State.REQUESTED
    )  # not yet a member
    now = timezone.now()
    session = Session.objects.create(community=cop, title="วง PLC ครั้งที่ 1", starts_at=now - dt.timedelta(hours=2),
                                     ends_at=now - dt.timedelta(hours=1), state="held")  # fmt: skip
    Attendance.objects.create(session=session, person=w.member, hours=Decimal(1))
    Attendance.objects.create(session=session, guest_name="วิทยากรรับเชิญ", hours=Decimal(1))
    today = timezone.localdate()
    dates = {"opens_on": today, "closes_on": today}
    by_cop = actions.create_survey(w.a, {"audience": "community", "community": cop, **dates}, template="session",
                                   acting_user=w.owner.user)  # fmt: skip
    assert actions.open_survey(by_cop, acting_user=w.owner.user) == 2
    by_session = actions.create_survey(w.a, {"audience": "session", "session": session, **dates}, template="session",
                                       acting_user=w.owner.user)  # fmt: skip
    assert actions.open_survey(by_session, acting_user=w.owner.user) == 1
    assert Invitation.objects.get(survey=by_session).person == w.member
    assert client_for(w.teachers[0]).get(reverse("surveys:answer", args=[by_cop.pk])).status_code == 404
    assert client_for(w.member).get(reverse("surveys:answer", args=[by_session.pk])).status_code == 200
    assert client_for(w.owner).get(reverse("surveys:answer", args=[by_session.pk])).status_code == 404
    # Another organisation's community is refused.
    other = Community.objects.create(organisation=w.b, name="ชุมชนอื่น", network_path=w.b.network_path)
    with pytest.raises(InvalidAction):
        actions.create_survey(
            w.a, {"audience": "community", "community": other, **dates}, acting_user=w.owner.user
        )


def test_a_large_export_is_prepared_in_the_background(
    district: SimpleNamespace, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from platu.surveys import views

    w = district
    monkeypatch.setattr(views, "SYNC_EXPORT_LIMIT", 3)
    survey = make_survey(w, template="session")
    actions.open_survey(survey, acting_user=w.supervisor.user)
    _answer_all(survey, [w.owner, w.member, *w.teachers])
    client = client_for(w.supervisor)
    url = reverse("surveys:export", args=[survey.pk])
    assert 'id="export-prepare"' in client.get(url).content.decode()
    assert client_for(w.outsider).post(url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    page = client.get(url).content.decode()
    assert 'id="export-download"' in page
    response = client.get(url, {"download": "1"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.worksheets[0].max_row == 7  # the header and six responses
    assert AuditEntry.objects.filter(action="survey.export").count() == 1


def test_editing_a_question_starts_from_what_it_says(district: SimpleNamespace) -> None:
    """The walk found the edit form empty: saving it as it came would have made a required
    question optional and blank."""
    w = district
    survey = make_survey(w)
    question = survey.questions.filter(required=True).first()
    assert question is not None
    url = reverse("surveys:question", args=[survey.pk, question.pk])
    form = client_for(w.supervisor).get(url).context["form"]
    assert form["text"].value() == question.text and form["required"].value() is True
