"""Erasure (PDPA section 33): asked by the person, decided by an administrator; afterwards no table
holds their names, user name or e-mail, while the knowledge they wrote stays published."""

from __future__ import annotations

import datetime as dt
import json
import os
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from platu.accounts.models import ApiToken, User
from platu.audit.log import record
from platu.audit.models import AuditEntry
from platu.communities.models import Attendance, Community, Session
from platu.knowledge import actions as knowledge_actions
from platu.knowledge import engage, workflow
from platu.knowledge.models import Comment, Item, Revision
from platu.notify.models import Notification
from platu.orgs.models import Person, Team, TeamMember
from platu.privacy import registry
from platu.privacy.models import ErasureRequest
from platu.surveys import actions as survey_actions
from platu.surveys.models import Question, Response, Survey
from tests.conftest import make_person
from tests.privacy.conftest import EMAIL, FIRST, LAST, USERNAME, client_for


def scan(needles: list[str]) -> list[str]:
    """Every column of every table (read from the database itself, so tables no model knows,
    such as the search index, are read too) that holds one of ``needles``."""
    found = []
    wanted = [n.lower() for n in needles] + [json.dumps(n)[1:-1].lower() for n in needles]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor, include_views=False):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=False):
                    if isinstance(value, (bytes, memoryview)):
                        value = bytes(value).decode("utf-8", "ignore")
                    if not isinstance(value, str):
                        value = (
                            json.dumps(value, ensure_ascii=False, default=str) if value is not None else ""
                        )
                    text = value.lower()
                    for needle in wanted:
                        if needle in text:
                            found.append(
                                f"{table}.{column}: …{value[max(text.find(needle) - 30, 0) :][:90]}…"
                            )
    return found


def live(pw: SimpleNamespace) -> SimpleNamespace:
    """The person writes and publishes knowledge, reviews, comments, is mentioned, attends, answers."""
    w = pw
    me = w.subject.user
    reviewers = [
        w.subject,
        make_person("rev2", "ขวัญ", "ศรีสุข", org=w.a),
        make_person("rev3", "คณิน", "ทองมา", org=w.a),
    ]
    bank = Team.objects.create(organisation=w.a, kind="brain_bank", name="คลังสมอง")
    for i, person in enumerate(reviewers, start=1):
        TeamMember.objects.create(team=bank, person=person, role="chair" if i == 1 else "member", order=i)
    # Their own item, reviewed by the two others and published.
    mine = knowledge_actions.create_item(w.a, acting_user=me, title="เทคนิคสอนอ่านของครูผู้ช่วย",
                                         body=f"<p>เขียนโดย {FIRST} {LAST} ติดต่อ {EMAIL}</p>")  # fmt: skip
    workflow.submit(mine, acting_user=me)
    for reviewer in reviewers[1:]:
        workflow.vote(mine, acting_user=reviewer.user, choice="approve")
    workflow.publish(mine, acting_user=me)
    # The owner's item, which they review (a vote) and comment on.
    theirs = knowledge_actions.create_item(w.a, acting_user=w.owner.user, title="การนิเทศภายใน",
                                           body="<p>แนวทางการนิเทศ</p>")  # fmt: skip
    workflow.submit(theirs, acting_user=w.owner.user)
    workflow.vote(theirs, acting_user=me, choice="approve", comment="ดีมาก")
    workflow.vote(theirs, acting_user=reviewers[1].user, choice="approve")
    workflow.publish(theirs, acting_user=w.owner.user)
    engage.add_comment(theirs, acting_user=me, body="นำไปใช้ที่ห้อง ป.2 แล้วได้ผล")
    engage.add_comment(theirs, acting_user=w.owner.user, body=f"ขอบคุณ @{USERNAME} และคุณ{FIRST} {LAST} มากครับ")
    engage.toggle_useful(theirs, acting_user=me)
    # An administrator edits their details (an audit row about them), an API token.
    record(
        "person.update", actor=w.owner.user, obj=w.subject, organisation=w.a, data={"name": f"{FIRST} {LAST}"}
    )
    ApiToken.issue(me, "สคริปต์ของทดสอบลบ")
    # A community session they attended.
    community = Community.objects.create(organisation=w.a, name="PLC ภาษาไทย", kind="plc")
    start = timezone.now() - dt.timedelta(days=1)
    session = Session.objects.create(community=community, title="วง PLC", starts_at=start,
                                     ends_at=start + dt.timedelta(hours=1))  # fmt: skip
    Attendance.objects.create(session=session, person=w.subject, hours=1, recorded_by=w.owner.user)
    # A survey that is not anonymous, answered.
    today = timezone.localdate()
    survey = survey_actions.create_survey(
        w.a, {"audience": Survey.Audience.ORGANISATION, "audience_org": w.a, "anonymous": False, "opens_on": today,
              "closes_on": today + dt.timedelta(days=7)},
        template="atmosphere", acting_user=w.owner.user,
    )  # fmt: skip
    survey_actions.open_survey(survey, acting_user=w.owner.user)
    answers: dict[str, Any] = {}
    for q in survey.questions.all():
        if q.kind == Question.Kind.LIKERT:
            answers[str(q.pk)] = "4"
        elif q.kind == Question.Kind.SINGLE:
            answers[str(q.pk)] = "2"
        elif q.kind == Question.Kind.NUMBER:
            answers[str(q.pk)] = "12"
        elif q.kind in (Question.Kind.SHORT_TEXT, Question.Kind.LONG_TEXT):
            answers[str(q.pk)] = f"ความเห็นของ{FIRST}"
    survey_actions.submit(survey, w.subject, answers, acting_user=me)
    w.mine, w.theirs, w.survey, w.session = mine, theirs, survey, session
    return w


NEEDLES = [FIRST, LAST, USERNAME, EMAIL]


def test_it_erases_every_trace_and_keeps_the_knowledge(pw: SimpleNamespace) -> None:
    w = live(pw)
    assert scan(NEEDLES), "the scan must see the person before the erasure"
    subject_pk, user_pk = w.subject.pk, w.subject.user.pk

    own = client_for(w.subject.user)
    response = own.post(reverse("privacy:my_data"), {"reason": "ย้ายไปทำงานที่อื่น", "confirm": "on"})
    assert response.status_code == 302
    req = ErasureRequest.objects.get(user_id=user_pk)
    # The installation staff and the organisation's CEO are told; the text does not name the person.
    told = Notification.objects.filter(kind="privacy.erasure").values_list("recipient_id", flat=True)
    assert set(told) == {w.staff.pk, w.owner.user.pk}
    response = client_for(w.staff).post(
        reverse("privacy:decide", args=[req.pk]), {"decision": "approve", "note": ""}
    )
    assert response.status_code == 302
    # Their sessions are ended.
    assert own.get(reverse("privacy:my_data")).status_code == 302

    assert scan(NEEDLES) == []
    req.refresh_from_db()
    assert req.state == ErasureRequest.State.DONE and req.pseudonym == f"อดีตบุคลากร #{user_pk}"
    user = User.objects.get(pk=user_pk)
    assert user.username == f"erased-{user_pk}" and not user.is_active and not user.has_usable_password()
    assert user.email == "" and not ApiToken.objects.filter(user=user).exists()
    person = Person.objects.get(pk=subject_pk)
    assert (
        person.full_name == f"อดีตบุคลากร #{user_pk}" and person.phone == person.email == person.position == ""
    )
    # The knowledge stays, published, by the pseudonym; so do the vote, the comments, the attendance.
    mine = Item.objects.get(pk=w.mine.pk)
    assert mine.state == Item.State.PUBLISHED and mine.owner_id == subject_pk
    assert f"อดีตบุคลากร #{user_pk}" in mine.body
    assert Revision.objects.filter(item=mine, author_id=user_pk).exists()
    assert Comment.objects.filter(author_id=user_pk).count() == 2  # the review vote's and the comment
    assert f"อดีตบุคลากร #{user_pk}" in Comment.objects.get(item=w.theirs, author=w.owner.user).body
    assert Attendance.objects.filter(session=w.session, person_id=subject_pk).exists()
    assert Response.objects.filter(survey=w.survey, person_id=subject_pk).exists()
    assert AuditEntry.objects.filter(action="privacy.erasure_done", actor=w.staff).exists()
    # They can no longer sign in; the item page names the pseudonym.
    page = client_for(w.owner.user).get(reverse("knowledge:item", args=[mine.pk]))
    assert page.status_code == 200 and f"อดีตบุคลากร #{user_pk}" in page.content.decode()


def refused_without_reason(html: str) -> bool:
    """The message, in Thai once the integrator has merged var/po_privacy.json."""
    return "โปรดระบุเหตุผลที่ปฏิเสธคำขอ" in html or "Say why the request is refused." in html


def test_an_administrator_refuses_with_a_reason_and_nothing_is_erased(pw: SimpleNamespace) -> None:
    w = pw
    client_for(w.subject.user).post(reverse("privacy:my_data"), {"reason": "", "confirm": "on"})
    req = ErasureRequest.objects.get(user=w.subject.user)
    # The organisation's CEO may decide; the refusal needs a reason, kept on the page.
    owner = client_for(w.owner.user)
    page = owner.post(reverse("privacy:decide", args=[req.pk]), {"decision": "refuse", "note": ""})
    assert page.status_code == 200 and refused_without_reason(page.content.decode())
    page = owner.post(
        reverse("privacy:decide", args=[req.pk]), {"decision": "refuse", "note": "อยู่ระหว่างตรวจสอบวินัย"}
    )
    assert page.status_code == 302
    req.refresh_from_db()
    assert req.state == ErasureRequest.State.REFUSED and req.decided_by == w.owner.user
    assert Notification.objects.filter(recipient=w.subject.user, kind="privacy.erasure").exists()
    w.subject.refresh_from_db()
    assert w.subject.first_name == FIRST
    assert AuditEntry.objects.filter(action="privacy.erasure_refused").exists()


def test_people_of_other_organisations_and_members_get_404(pw: SimpleNamespace) -> None:
    w = pw
    client_for(w.subject.user).post(reverse("privacy:my_data"), {"reason": "", "confirm": "on"})
    req = ErasureRequest.objects.get(user=w.subject.user)
    for person in (w.outsider, w.member):
        client = client_for(person.user)
        assert client.get(reverse("privacy:decide", args=[req.pk])).status_code == 404
        assert (
            client.post(reverse("privacy:decide", args=[req.pk]), {"decision": "approve"}).status_code == 404
        )
        assert client.get(reverse("privacy:breaches")).status_code == 404
        assert client.get(reverse("privacy:ropa")).status_code == 404
        for name in ("settings", "breach_new", "notice_edit"):
            assert client.get(reverse(f"privacy:{name}")).status_code == 404
    assert client_for(w.outsider.user).get(reverse("privacy:requests")).status_code == 200  # their own (none)
    assert "ทดสอบลบ" not in client_for(w.outsider.user).get(reverse("privacy:requests")).content.decode()
    assert client_for(w.member.user).get(reverse("privacy:requests")).status_code == 404
    # The organisation's CEO sees it in the list.
    assert "ทดสอบลบ" in client_for(w.owner.user).get(reverse("privacy:requests")).content.decode()
    req.refresh_from_db()
    assert req.state == ErasureRequest.State.PENDING


def test_every_model_that_refers_to_a_person_is_declared() -> None:
    assert registry.undeclared() == []
    labels = {d.model.lower() for d in registry.declarations()}
    assert {"knowledge.item", "audit.auditentry", "surveys.response", "communities.attendance"} <= labels


@pytest.mark.parametrize("field", ["username"])
def test_the_pseudonymised_account_cannot_sign_in(pw: SimpleNamespace, field: str) -> None:
    from tests.conftest import PASSWORD

    w = pw
    client_for(w.subject.user).post(reverse("privacy:my_data"), {"reason": "", "confirm": "on"})
    req = ErasureRequest.objects.get(user=w.subject.user)
    client_for(w.staff).post(reverse("privacy:decide", args=[req.pk]), {"decision": "approve"})
    from django.test import Client

    assert not Client().login(username=USERNAME, password=PASSWORD)
    assert not Client().login(username=f"erased-{w.subject.user.pk}", password=PASSWORD)


def test_a_family_name_alone_is_replaced_only_in_their_own_rows(
    pw: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.cache import cache

    from platu.privacy.erase import erase

    w = pw
    short = make_person("kru.dee", "อี", "ดี", org=w.a)
    spouse = make_person("kru.dee2", "มานพ", "ดี", org=w.a)  # the same family name
    engage_text = record("org.update", actor=spouse.user, obj=w.a, data={"by": "มานพ ดี"})
    note = record("org.update", actor=w.owner.user, obj=w.a, data={"note": "ผลงานดีมาก"})
    cache.set("throttle", 3)
    from django.core.files.base import ContentFile

    from platu.exports.models import Export

    booklet = Export(organisation=w.a, key="plan-1-v1", filename="plan.pdf", content_type="application/pdf")
    booklet.file.save("plan.pdf", ContentFile("%PDF team: นายอี ดี".encode()), save=True)
    stored = booklet.file.path
    with django_capture_on_commit_callbacks(execute=True):
        erase(short.user)
    assert cache.get("throttle") == 3  # log-in throttling and API limits are not reset
    # documents rendered with the name are dropped, files too (rendered again when asked for)
    assert not Export.objects.exists() and not os.path.exists(stored)
    spouse.refresh_from_db()
    assert spouse.full_name == "นายมานพ ดี" and spouse.user.username == "kru.dee2"
    assert AuditEntry.objects.get(pk=engage_text.pk).data == {"by": "มานพ ดี"}
    short.refresh_from_db()
    assert short.full_name.startswith("อดีตบุคลากร")
    assert AuditEntry.objects.get(pk=note.pk).data == {"note": "ผลงานดีมาก"}
