"""The parent office's roll-up over the organisations under it."""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace

import pytest
from django.urls import reverse

from platu.dashboards import figures, refresh
from platu.orgs.models import Organisation
from tests.dashboards.conftest import client_for, plan_with_round, publish, session_with

pytestmark = pytest.mark.django_db


def url(org: Organisation, query: str = "") -> str:
    return reverse("dashboards:network", args=[org.code]) + (f"?{query}" if query else "")


@pytest.fixture
def counted(net: SimpleNamespace, fy: int) -> SimpleNamespace:
    publish(net.a, net.member, "เรื่องเล่าโรงเรียนเอ", fy)
    publish(net.a, net.owner, "บันทึกส่วนตัวของโรงเรียนเอ", fy, visibility="private")
    session_with(net.a, [net.owner, net.member], fy, hours="2.00")
    publish(net.sibling, net.sibling_teacher, "เรื่องเล่าโรงเรียนซี", fy, month=3)
    session_with(net.sibling, [net.sibling_teacher], fy, hours="1.00", month=3)
    publish(net.parent, net.supervisor, "คู่มือของเขต", fy, month=1)
    entries = plan_with_round(net.a, fy, [30, 50])
    entries[0].problems = "ปัญหาภายในที่ไม่ควรเห็น"
    entries[0].save()
    refresh.refresh([net.a.pk, net.sibling.pk, net.parent.pk], fy)
    return net


def test_it_rolls_up_each_school(counted: SimpleNamespace) -> None:
    response = client_for(counted.supervisor).get(url(counted.parent))

    assert response.status_code == 200
    rows = {r["name"]: r for r in response.context["rollup"].rows}
    assert rows[counted.a.name]["items_published"] == 2
    assert rows[counted.a.name]["plc_hours"] == 4
    assert rows[counted.a.name]["progress"] == 40
    assert rows[counted.sibling.name]["sessions"] == 1
    totals = response.context["rollup"].totals
    assert (totals["items_published"], totals["sessions"], totals["organisations"]) == (4, 2, 3)
    assert reverse("dashboards:dashboard", args=[counted.a.code]) in response.content.decode()  # drill down


def test_the_csv_rows_add_up_to_the_totals(counted: SimpleNamespace) -> None:
    response = client_for(counted.supervisor).get(url(counted.parent, "format=csv&table=network"))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    keys = [c.key for c in figures.network_columns()]
    body, total = rows[1:-1], rows[-1]
    assert len(body) == 3  # two schools and the office itself
    for key in ("organisations", "late", "at_risk", "items_written", "items_published", "applied", "sessions",
                "plc_hours"):  # fmt: skip
        i = keys.index(key)
        assert sum(float(r[i]) for r in body) == pytest.approx(float(total[i])), key
    assert float(total[keys.index("items_published")]) == 4
    assert float(total[keys.index("plc_hours")]) == 5
    assert total[keys.index("survey")] == ""  # no surveys yet


def test_it_never_shows_a_childs_private_titles_or_entry_texts(counted: SimpleNamespace) -> None:
    client = client_for(counted.supervisor)

    pages = [client.get(url(counted.parent)), client.get(reverse("dashboards:dashboard", args=[counted.parent.code])),
             client.get(reverse("dashboards:dashboard", args=[counted.a.code])),
             client.get(url(counted.parent, "format=csv&table=network"))]  # fmt: skip

    for page in pages:
        text = page.content.decode("utf-8-sig")
        assert "บันทึกส่วนตัวของโรงเรียนเอ" not in text
        assert "เรื่องเล่าโรงเรียนเอ" not in text
        assert "ปัญหาภายในที่ไม่ควรเห็น" not in text


def test_a_school_sees_nothing_of_its_siblings(counted: SimpleNamespace) -> None:
    client = client_for(counted.sibling_teacher)

    assert client.get(url(counted.parent)).status_code == 404
    assert client.get(reverse("dashboards:dashboard", args=[counted.a.code])).status_code == 404
    own = client.get(reverse("dashboards:dashboard", args=[counted.sibling.code]))
    assert own.status_code == 200
    assert "โรงเรียนบ้านเอ" not in own.content.decode()


def test_it_sorts_on_the_server(counted: SimpleNamespace) -> None:
    client = client_for(counted.supervisor)

    by_hours = client.get(url(counted.parent, "sort=-plc_hours")).context["rollup"].rows
    by_hours_up = client.get(url(counted.parent, "sort=plc_hours")).context["rollup"].rows
    by_progress = client.get(url(counted.parent, "sort=-progress")).context["rollup"].rows

    assert [r["name"] for r in by_hours] == [counted.a.name, counted.sibling.name]
    assert [r["name"] for r in by_hours_up] == [counted.sibling.name, counted.a.name]
    assert by_progress[-1]["progress"] is None  # without a round: last either way
    body = client.get(url(counted.parent, "sort=-plc_hours")).content.decode()
    assert 'aria-sort="descending"' in body and "sort=plc_hours" in body


def test_it_drills_down_through_the_levels(net: SimpleNamespace, fy: int) -> None:
    area = Organisation.objects.create(code="area", kind="regional_office", name_th="สำนักงานภาค")
    net.parent.parent = area
    net.parent.save()
    publish(net.a, net.member, "เรื่องหนึ่ง", fy)
    refresh.refresh([net.a.pk], fy)
    from platu.dashboards.models import OrgYear

    response = client_for(net.supervisor).get(url(net.parent))
    assert response.status_code == 200
    area_row = OrgYear.objects.get(organisation=area, scope="subtree", fiscal_year=fy)
    assert area_row.items_published == 1 and area_row.organisations == 4

    from tests.conftest import make_person

    chief = make_person("chief", "ใหญ่", "ที่สุด", org=area, roles=["ceo"])
    page = client_for(chief).get(url(area))
    assert url(net.parent) in page.content.decode()  # the district has schools: its roll-up


def test_it_shows_thai_months_and_no_raw_codes(counted: SimpleNamespace, fy: int) -> None:
    body = client_for(counted.supervisor).get(url(counted.parent)).content.decode()

    assert f"มี.ค. {fy % 100:02d}" in body
    assert "CEO อนุมัติแล้ว" in body
    for code in ("in_progress", ">approved<", ">draft<", ">items_published<", ">plc_hours<"):
        assert code not in body


def test_the_xlsx_download_has_the_numbers(counted: SimpleNamespace) -> None:
    from openpyxl import load_workbook

    response = client_for(counted.supervisor).get(url(counted.parent, "format=xlsx&table=network"))

    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert any(row[0] == counted.a.name and 4 in row for row in values)


def test_query_count_is_constant_as_children_grow(
    counted: SimpleNamespace, fy: int, django_assert_max_num_queries: object
) -> None:
    client = client_for(counted.supervisor)
    client.get(url(counted.parent))
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        client.get(url(counted.parent))
    for n in range(10):
        school = Organisation.objects.create(
            code=f"s-{n}", kind="school", name_th=f"โรงเรียนที่ {n}", parent=counted.parent
        )
        Organisation.objects.create(code=f"s-{n}-unit", kind="division", name_th="หน่วยย่อย", parent=school)
        publish(school, counted.member, f"เรื่อง {n}", fy)
        refresh.refresh([school.pk], fy)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        response = client.get(url(counted.parent))
    assert len(response.context["rollup"].rows) == 12


def test_survey_scores_roll_up_and_small_anonymous_groups_stay_hidden(net: SimpleNamespace, fy: int) -> None:
    """The district's survey of its schools: school A's people rated 4 and 5 (mean 4.50); in an
    anonymous survey the sibling's single answer is below the minimum group and counts nowhere."""
    from platu.surveys.models import Answer, Question, Response, Section, Survey
    from tests.dashboards.conftest import moment

    day = moment(fy, 12).date()

    def survey(anonymous: bool) -> Question:
        s = Survey.objects.create(organisation=net.parent, title="บรรยากาศการจัดการความรู้", anonymous=anonymous,
                                  state="closed", opens_on=day, closes_on=day)  # fmt: skip
        section = Section.objects.create(survey=s)
        return Question.objects.create(survey=s, section=section, kind=Question.Kind.LIKERT, text="บรรยากาศ")

    def answer(question: Question, org: Organisation, person: object, value: int) -> None:
        response = Response.objects.create(survey=question.survey, organisation=org, person=person,
                                           submitted_at=moment(fy, 12))  # fmt: skip
        Answer.objects.create(response=response, question=question, organisation=org, value=value)

    named = survey(anonymous=False)
    answer(named, net.a, net.owner, 4)
    answer(named, net.a, net.member, 5)
    anonymous = survey(anonymous=True)
    answer(anonymous, net.sibling, None, 1)
    refresh.refresh([net.a.pk, net.sibling.pk, net.parent.pk], fy)

    rows = {r["name"]: r for r in client_for(net.supervisor).get(url(net.parent)).context["rollup"].rows}
    assert str(rows[net.a.name]["survey"]) == "4.50"
    assert rows[net.sibling.name]["survey"] is None
    page = client_for(net.supervisor).get(url(net.parent)).content.decode()
    assert "4.50" in page
