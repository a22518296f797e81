"""The 3-year plan: built from the gaps, items pushed into the KM plan's Form 2 (refused while
the plan is approved), the sessions that carried them out counted back as hours, the record."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from platu.audit.models import AuditEntry
from platu.communities.models import Attendance, Community, Session
from platu.competency import actions
from platu.competency.models import DevItem, DevPlan, Push
from platu.knowledge.models import Item
from platu.planning.models import Activity, Plan
from tests.competency.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def pw(cw: SimpleNamespace) -> SimpleNamespace:
    actions.save_assessment(cw.cycle, cw.teacher, "self", {cw.core.pk: 3, cw.measure.pk: 1},
                            acting_user=cw.teacher.user, base_version=1, submit=True)  # fmt: skip
    plan = actions.start_plan(cw.a, 2570, "แผนพัฒนาทรัพยากรบุคคล 3 ปี", acting_user=cw.owner.user, cycle=cw.cycle)
    return SimpleNamespace(**vars(cw), plan=plan, item=plan.items.get())


def test_a_plan_from_the_gaps_has_an_item_for_each_gap(pw: SimpleNamespace) -> None:
    assert pw.plan.years == [2570, 2571, 2572]
    assert pw.item.title == "พัฒนาการวัดและประเมินผลตามสภาพจริง"
    assert list(pw.item.people.all()) == [pw.teacher] and pw.item.years == [2570]
    page = login(Client(), pw.owner).get("/orgs/org-a/competency/plans/2570/")
    assert page.status_code == 200 and "ธีรภัทร" in page.content.decode()
    parent = login(Client(), pw.supervisor).get("/orgs/org-a/competency/plans/2570/")
    assert parent.status_code == 200 and "ธีรภัทร" not in parent.content.decode()  # numbers, not names


def test_adding_an_item_checks_what_was_typed(pw: SimpleNamespace) -> None:
    client = login(Client(), pw.km)  # the KM team plans
    data = {"op": "item", "title": "PLC การประเมินตามสภาพจริง", "way": "plc", "positions": "ครู", "years": ["2570", "2571"],
            "hours": "abc", "budget": "", "base_version": pw.plan.version}  # fmt: skip
    response = client.post("/orgs/org-a/competency/plans/2570/", data)
    assert response.status_code == 200 and response.context["item_form"]["title"].value() == data["title"]
    assert DevItem.objects.count() == 1
    response = client.post("/orgs/org-a/competency/plans/2570/", data | {"hours": "12.5", "budget": "15,000"})
    assert response.status_code == 302
    item = DevItem.objects.get(way="plc")
    assert item.hours == Decimal("12.5") and item.budget == Decimal("15000") and item.years == [2570, 2571]
    assert {p.pk for p in actions.target_people(item)} == {
        pw.teacher.pk,
        pw.km.pk,
        pw.senior.pk,
    }  # ครู… all teachers
    member = login(Client(), pw.member)
    assert member.post("/orgs/org-a/competency/plans/2570/", data | {"hours": "1"}).status_code == 403


def test_push_is_refused_while_the_plan_is_approved_and_works_on_the_amendment(pw: SimpleNamespace) -> None:
    km_plan = Plan.objects.create(organisation=pw.a, fiscal_year=2570, state="approved")
    client = login(Client(), pw.km)
    url = pw.item.get_absolute_url()
    response = client.post(url, {"op": "push", "year": "2570"}, follow=True)
    assert "amendment" in response.content.decode() or "แก้ไข" in response.content.decode()
    assert not Activity.objects.exists() and not Push.objects.exists()
    from platu.planning.actions import amend

    new = amend(km_plan, acting_user=pw.km.user)
    version = new.version
    response = client.post(url, {"op": "push", "year": "2570"})
    assert response.status_code == 302
    push = Push.objects.get()
    activity = push.activity
    assert activity is not None and activity.plan == new and activity.name == pw.item.title
    assert (activity.start, activity.end, activity.target) == (
        dt.date(2026, 10, 1),
        dt.date(2027, 9, 30),
        "1 คน",
    )
    new.refresh_from_db()
    assert new.version == version + 1
    assert AuditEntry.objects.filter(action="competency.push").exists()
    assert AuditEntry.objects.filter(action="plan.edit", object_id=str(new.pk)).exists()
    form2 = client.get("/orgs/org-a/plans/2570/action-plan/")
    assert pw.item.title in form2.content.decode()
    # Twice: refused.
    client.post(url, {"op": "push", "year": "2570"})
    assert Activity.objects.filter(plan=new).count() == 1
    # A year the item is not planned for, and someone outside the KM team.
    client.post(url, {"op": "push", "year": "2572"})
    assert Push.objects.count() == 1
    ceo = login(Client(), pw.owner)  # the CEO is no KM team member: the plan's edit right decides
    DevItem.objects.filter(pk=pw.item.pk).update(years=[2570, 2571])
    Plan.objects.create(organisation=pw.a, fiscal_year=2571)
    ceo.post(url, {"op": "push", "year": "2571"})
    assert Push.objects.count() == 1


def test_sessions_of_the_activity_count_as_hours_on_the_item_and_the_record(pw: SimpleNamespace) -> None:
    Plan.objects.create(organisation=pw.a, fiscal_year=2570)
    actions.push(pw.item, 2570, acting_user=pw.km.user)
    activity = Push.objects.get().activity
    community = Community.objects.create(organisation=pw.a, name="PLC วัดผล")
    start = timezone.make_aware(dt.datetime(2026, 11, 12, 13, 0))
    session = Session.objects.create(community=community, title="วง PLC เกณฑ์การให้คะแนน", starts_at=start,
                                     ends_at=start + dt.timedelta(hours=3), state="held")  # fmt: skip
    session.activities.add(activity)
    Attendance.objects.create(session=session, person=pw.teacher, hours=Decimal("3"))
    owner = login(Client(), pw.owner)
    page = owner.get(pw.item.get_absolute_url())
    assert page.status_code == 200 and page.context["attended_total"] == Decimal("3")
    assert "วง PLC เกณฑ์การให้คะแนน" in page.content.decode()
    Item.objects.create(owner=pw.teacher, organisation=pw.a, title="เกณฑ์การให้คะแนนงานวิทยาศาสตร์", state="published",
                        visibility="organisation")  # fmt: skip
    teacher = login(Client(), pw.teacher)
    record = teacher.get(f"/orgs/org-a/competency/people/{pw.teacher.pk}/")
    assert record.status_code == 200
    rec = record.context["rec"]
    year = next(y for y in rec.years if y.fiscal_year == 2570)
    assert year.by_way == {"training": Decimal("3")} and year.plc == Decimal("3")
    assert [k.title for k in rec.knowledge] == ["เกณฑ์การให้คะแนนงานวิทยาศาสตร์"]
    assert rec.cycles and rec.cycles[0].rows
    pdf = teacher.get(f"/orgs/org-a/competency/people/{pw.teacher.pk}/record.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    docx = teacher.get(f"/orgs/org-a/competency/people/{pw.teacher.pk}/record.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


def test_a_yearly_review_keeps_who_and_when(pw: SimpleNamespace) -> None:
    client = login(Client(), pw.owner)
    response = client.post(
        "/orgs/org-a/competency/plans/2570/", {"op": "review", "year": "2573", "note": "x"}
    )
    assert response.status_code == 200 and not pw.plan.reviews.exists()
    response = client.post(
        "/orgs/org-a/competency/plans/2570/", {"op": "review", "year": "2570", "note": "คงแผนเดิม"}
    )
    assert response.status_code == 302
    review = pw.plan.reviews.get()
    assert review.reviewed_by == pw.owner and review.reviewed_at and review.note == "คงแผนเดิม"


@pytest.mark.parametrize("method", ["get", "post"])
def test_other_organisations_get_404_on_the_plan(pw: SimpleNamespace, method: str) -> None:
    outsider = login(Client(), pw.outsider)
    for url in ("/orgs/org-a/competency/plans/2570/", pw.item.get_absolute_url()):
        assert getattr(outsider, method)(url, {"op": "push", "year": "2570"}).status_code == 404, url
    assert DevPlan.objects.count() == 1 and not Push.objects.exists()


def test_the_record_lists_announced_awards(pw: SimpleNamespace) -> None:
    from platu.awards.models import Award, Category, Nomination, Programme

    day = dt.date(2026, 12, 1)
    programme = Programme.objects.create(organisation=pw.a, title="ครูต้นแบบ", fiscal_year=2570, nominations_open=day,
                                         nominations_close=day, scoring_deadline=day, state="announced")  # fmt: skip
    category = Category.objects.create(programme=programme, kind="person", name="บุคคลต้นแบบ")
    nomination = Nomination.objects.create(programme=programme, category=category, kind="head", target="person",
                                           person=pw.teacher)  # fmt: skip
    Award.objects.create(programme=programme, nomination=nomination, category=category, rank=1, score=9,
                         placement="รางวัลชนะเลิศ", winner_name=pw.teacher.full_name)  # fmt: skip
    page = login(Client(), pw.teacher).get(f"/orgs/org-a/competency/people/{pw.teacher.pk}/")
    assert "รางวัลชนะเลิศ บุคคลต้นแบบ — ครูต้นแบบ" in page.content.decode()
    Programme.objects.filter(pk=programme.pk).update(state="draft")
    page = login(Client(), pw.teacher).get(f"/orgs/org-a/competency/people/{pw.teacher.pk}/")
    assert "รางวัลชนะเลิศ" not in page.content.decode()
