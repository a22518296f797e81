"""The framework (inherited, versioned), the cycle's self and supervisor assessments, the
gap, the needs survey, the summary, and who may see what."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from platu.audit.models import AuditEntry
from platu.competency import frameworks, gaps
from platu.competency.models import Assessment, Competency, Framework, Need, Rating, Supervisor
from tests.competency.conftest import login

pytestmark = pytest.mark.django_db


def _self(
    client: Client, cw: SimpleNamespace, levels: dict[int, Any], *, submit: bool, version: int = 1
) -> Any:
    data = {f"c{k}": v for k, v in levels.items()} | {
        "base_version": version,
        "submit": "1" if submit else "0",
    }
    return client.post(f"/orgs/org-a/competency/cycles/2569/people/{cw.teacher.pk}/self/", data)


def test_it_inherits_the_parent_offices_framework(cw: SimpleNamespace) -> None:
    assert frameworks.effective(cw.a) == cw.fw
    client = login(Client(), cw.member)
    response = client.get("/orgs/org-a/competency/framework/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "กรอบสมรรถนะครูเขตทดสอบ" in text and "การวัดและประเมินผลตามสภาพจริง" in text
    assert "สำนักงานเขตพื้นที่ทดสอบ" in text  # inherited from
    # A school's own published framework takes its place.
    own = Framework.objects.create(organisation=cw.a, name="กรอบของโรงเรียน", state="published")
    assert frameworks.effective(cw.a) == own


def test_it_maps_positions_to_the_longest_matching_name(cw: SimpleNamespace) -> None:
    exp = frameworks.Expectations(cw.fw)
    assert exp.for_position("ครู") == {cw.core.pk: 3, cw.measure.pk: 3}
    assert exp.for_position("ครูชำนาญการพิเศษ") == {cw.core.pk: 3, cw.measure.pk: 4}
    assert exp.for_position("เจ้าหน้าที่ธุรการ") == {cw.core.pk: 3}


def test_self_then_supervisor_assessment_gives_the_gap(cw: SimpleNamespace) -> None:
    teacher = login(Client(), cw.teacher)
    response = _self(teacher, cw, {cw.core.pk: 3, cw.measure.pk: 9}, submit=True)
    assert response.status_code == 200  # a level not on the scale: back with the message
    assert teacher_input(response, f"c{cw.core.pk}") == "3"
    assert not Rating.objects.exists()
    response = _self(teacher, cw, {cw.core.pk: 3}, submit=True)
    assert response.status_code == 200 and not Assessment.objects.filter(submitted_at__isnull=False).exists()
    response = _self(teacher, cw, {cw.core.pk: 3, cw.measure.pk: 3}, submit=True)
    assert response.status_code == 302
    own = Assessment.objects.get(kind="self")
    assert own.submitted_at and own.assessor == cw.teacher and own.version == 2
    # The CEO assesses as supervisor (no supervisor was named).
    ceo = login(Client(), cw.owner)
    url = f"/orgs/org-a/competency/cycles/2569/people/{cw.teacher.pk}/supervisor/"
    page = ceo.get(url)
    assert page.status_code == 200 and "ระดับปฏิบัติได้ดี" in page.content.decode()
    response = ceo.post(url, {f"c{cw.core.pk}": 3, f"c{cw.measure.pk}": 1, "base_version": 1, "submit": "1"})
    assert response.status_code == 302
    result = gaps.results(cw.cycle, [cw.teacher])[0]
    assert result.agreed == {cw.core.pk: 3, cw.measure.pk: 1}
    assert result.gaps == {cw.core.pk: 0, cw.measure.pk: 2}
    page = teacher.get(f"/orgs/org-a/competency/cycles/2569/people/{cw.teacher.pk}/")
    assert page.status_code == 200 and "table-warning" in page.content.decode()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"competency.assess_self", "competency.assess_supervisor"} <= actions


def teacher_input(response: Any, name: str) -> str:
    form = response.context["form"]
    return str(form[name].value())


def test_the_person_cannot_supervise_themself_nor_a_member_assess_others(cw: SimpleNamespace) -> None:
    ceo = login(Client(), cw.owner)
    assert ceo.get(f"/orgs/org-a/competency/cycles/2569/people/{cw.owner.pk}/supervisor/").status_code == 404
    member = login(Client(), cw.member)
    assert member.get(f"/orgs/org-a/competency/cycles/2569/people/{cw.teacher.pk}/self/").status_code == 404
    assert member.post(f"/orgs/org-a/competency/cycles/2569/people/{cw.teacher.pk}/supervisor/",
                       {f"c{cw.core.pk}": 1, "base_version": 1}).status_code == 404  # fmt: skip
    assert not Assessment.objects.exists()


def test_a_named_supervisor_assesses_and_sees_only_their_people(cw: SimpleNamespace) -> None:
    Supervisor.objects.create(cycle=cw.cycle, person=cw.teacher, supervisor=cw.km)
    km = login(Client(), cw.km)
    page = km.get("/orgs/org-a/competency/cycles/2569/")
    text = page.content.decode()
    assert "ธีรภัทร" in text and "มานี" not in text
    response = km.post(f"/orgs/org-a/competency/cycles/2569/people/{cw.teacher.pk}/supervisor/",
                       {f"c{cw.core.pk}": 2, "base_version": 1, "submit": "0"})  # fmt: skip
    assert response.status_code == 302 and Assessment.objects.get().assessor == cw.km
    assert km.get(f"/orgs/org-a/competency/people/{cw.member.pk}/").status_code == 404


def test_two_saves_of_one_assessment_do_not_overwrite(cw: SimpleNamespace) -> None:
    teacher = login(Client(), cw.teacher)
    assert _self(teacher, cw, {cw.core.pk: 2}, submit=False).status_code == 302
    response = _self(teacher, cw, {cw.core.pk: 4}, submit=False, version=1)  # loaded before the first save
    assert response.status_code == 200 and response.context["form"].errors
    assert Rating.objects.get().level == 2


def test_a_closed_cycle_takes_no_assessment(cw: SimpleNamespace) -> None:
    cw.cycle.state = "closed"
    cw.cycle.save()
    teacher = login(Client(), cw.teacher)
    response = _self(teacher, cw, {cw.core.pk: 3, cw.measure.pk: 3}, submit=True)
    assert response.status_code == 200 and not Assessment.objects.filter(submitted_at__isnull=False).exists()


def test_the_needs_survey_and_the_summary(cw: SimpleNamespace) -> None:
    teacher = login(Client(), cw.teacher)
    url = "/orgs/org-a/competency/cycles/2569/needs/"
    response = teacher.post(url, {"topics": "การวัดผลตามสภาพจริง", "base_version": 1})
    assert response.status_code == 200 and not Need.objects.exists()  # no way chosen
    assert response.context["form"]["topics"].value() == "การวัดผลตามสภาพจริง"
    response = teacher.post(url, {"topics": "การวัดผลตามสภาพจริง", "ways": ["training", "plc"],
                                  "competencies": [cw.measure.pk], "base_version": 1})  # fmt: skip
    assert response.status_code == 302
    need = Need.objects.get()
    assert need.ways == ["training", "plc"] and list(need.competencies.all()) == [cw.measure]
    _self(teacher, cw, {cw.core.pk: 2, cw.measure.pk: 1}, submit=True)
    supervisor = login(Client(), cw.supervisor)  # the parent office: numbers only
    page = supervisor.get("/orgs/org-a/competency/cycles/2569/summary/")
    assert page.status_code == 200
    s = page.context["s"]
    assert s.self_done == 1 and s.needs_done == 1
    row = next(r for r in s.rows if r.competency == cw.measure)
    assert (row.expected, row.assessed, row.below, row.average_gap) == (3, 1, 1, 2)
    assert "ธีรภัทร" not in page.content.decode()
    # One person assessed: the levels would be theirs, so outside the school's administrators
    # the page shows no levels or gaps (the minimum group, 5 by default).
    assert page.context["hidden"] and 'id="summary-hidden"' in page.content.decode()
    assert 'id="gaps"' not in page.content.decode()
    mine = login(Client(), cw.owner).get("/orgs/org-a/competency/cycles/2569/summary/")  # the school's CEO
    assert not mine.context["hidden"] and 'id="gaps"' in mine.content.decode()


def test_editing_a_framework_in_use_makes_a_new_version(cw: SimpleNamespace) -> None:
    chief = login(Client(), cw.supervisor)  # CKO of the parent office: its administrator
    url = f"/orgs/office/competency/frameworks/{cw.fw.number}/edit/"
    response = chief.post(
        url, {"op": "level", "value": 5, "name": "ระดับเชี่ยวชาญ", "base_version": cw.fw.version}
    )
    assert response.status_code == 302 and cw.fw.levels.count() == 5  # not in use: changed in place
    cw.fw.refresh_from_db()
    teacher = login(Client(), cw.teacher)
    _self(teacher, cw, {cw.core.pk: 3, cw.measure.pk: 3}, submit=True)
    response = chief.post(
        url, {"op": "competency", "kind": "core", "name": "การบริการที่ดี", "base_version": cw.fw.version}
    )
    assert response.status_code == 302
    assert not Competency.objects.filter(framework=cw.fw, name="การบริการที่ดี").exists()
    new = Framework.objects.get(organisation=cw.parent, number=2)
    assert new.state == "draft" and new.based_on == cw.fw and new.competencies.count() == 3
    assert new.expectations.count() == 3 and new.levels.count() == 5
    response = chief.post("/orgs/office/competency/frameworks/2/edit/",
                          {"op": "competency", "kind": "core", "name": "การบริการที่ดี", "base_version": new.version})  # fmt: skip
    assert response.status_code == 302 and new.competencies.filter(name="การบริการที่ดี").exists()
    chief.post(
        "/orgs/office/competency/frameworks/2/edit/", {"op": "publish", "base_version": new.version + 1}
    )
    new.refresh_from_db()
    assert new.state == "published" and frameworks.effective(cw.a) == new
    cw.cycle.refresh_from_db()
    assert cw.cycle.framework == cw.fw  # the cycle keeps the version it was assessed against
    assert AuditEntry.objects.filter(action="competency.framework_version").exists()
    # A member of the school cannot edit the district's framework.
    assert login(Client(), cw.owner).post(url, {"op": "texts", "name": "x"}).status_code == 404


def test_opening_a_cycle_uses_the_newest_published_framework(cw: SimpleNamespace) -> None:
    ceo = login(Client(), cw.owner)
    response = ceo.post("/orgs/org-a/competency/", {"op": "cycle_open", "year": "2569", "opens_on": "1/7/2569",
                                                     "closes_on": "31/7/2569"})  # fmt: skip
    assert response.status_code == 200 and "2569" in str(response.context["cycle_form"].errors)
    response = ceo.post("/orgs/org-a/competency/", {"op": "cycle_open", "year": "2570", "opens_on": "31/7/2570",
                                                     "closes_on": "1/7/2570"})  # fmt: skip
    assert response.status_code == 200 and response.context["cycle_form"].errors
    response = ceo.post("/orgs/org-a/competency/", {"op": "cycle_open", "year": "2570", "opens_on": "1/7/2570",
                                                     "closes_on": "31/7/2570"})  # fmt: skip
    assert response.status_code == 302
    assert cw.a.competency_cycles.get(year=2570).framework == cw.fw
    member = login(Client(), cw.member)
    assert member.post("/orgs/org-a/competency/", {"op": "cycle_open", "year": "2571", "opens_on": "1/7/2571",
                                                    "closes_on": "31/7/2571"}).status_code in (200, 403)  # fmt: skip
    assert not cw.a.competency_cycles.filter(year=2571).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_other_organisations_get_404_everywhere(cw: SimpleNamespace, method: str) -> None:
    outsider = login(Client(), cw.outsider)
    urls = [
        "/orgs/org-a/competency/", "/orgs/org-a/competency/framework/", "/orgs/office/competency/frameworks/1/",
        "/orgs/office/competency/frameworks/1/edit/", "/orgs/org-a/competency/cycles/2569/",
        "/orgs/org-a/competency/cycles/2569/do/", "/orgs/org-a/competency/cycles/2569/summary/",
        "/orgs/org-a/competency/cycles/2569/needs/", f"/orgs/org-a/competency/cycles/2569/people/{cw.teacher.pk}/",
        f"/orgs/org-a/competency/cycles/2569/people/{cw.teacher.pk}/self/",
        f"/orgs/org-a/competency/cycles/2569/people/{cw.teacher.pk}/supervisor/",
        f"/orgs/org-a/competency/people/{cw.teacher.pk}/", f"/orgs/org-a/competency/people/{cw.teacher.pk}/record.pdf",
    ]  # fmt: skip
    for url in urls:
        response = getattr(outsider, method)(url, {"op": "close", "base_version": 1})
        assert response.status_code in (404, 405), url
        if method == "get":
            assert response.status_code == 404 or url.endswith(("/edit/", "/do/")), url


def test_the_parent_office_sees_numbers_not_people(cw: SimpleNamespace) -> None:
    supervisor = login(Client(), cw.supervisor)
    assert supervisor.get("/orgs/org-a/competency/cycles/2569/summary/").status_code == 200
    page = supervisor.get("/orgs/org-a/competency/cycles/2569/")
    assert page.status_code == 200 and not page.context["people"]
    for url in (f"/orgs/org-a/competency/people/{cw.teacher.pk}/", f"/orgs/org-a/competency/cycles/2569/people/{cw.teacher.pk}/",
                f"/orgs/org-a/competency/people/{cw.teacher.pk}/record.pdf"):  # fmt: skip
        assert supervisor.get(url).status_code == 404, url
    member = login(Client(), cw.member)  # a colleague: only their own record
    assert member.get(f"/orgs/org-a/competency/people/{cw.teacher.pk}/").status_code == 404
    assert member.get(f"/orgs/org-a/competency/people/{cw.member.pk}/").status_code == 200
