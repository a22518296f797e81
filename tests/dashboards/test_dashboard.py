"""The executive dashboard of an organisation."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from platu.dashboards import refresh
from platu.tracking.models import OrgIndicator
from tests.dashboards.conftest import client_for, plan_with_round, publish, session_with

pytestmark = pytest.mark.django_db


def url(org: object, **query: object) -> str:
    base = reverse("dashboards:dashboard", args=[org.code])  # type: ignore[attr-defined]
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_it_shows_the_schools_numbers(net: SimpleNamespace, fy: int) -> None:
    publish(net.a, net.member, "เทคนิคการสอนอ่าน", fy)
    session_with(net.a, [net.owner, net.member], fy, hours="1.50")
    refresh.refresh([net.a.pk], fy)

    response = client_for(net.owner).get(url(net.a))

    assert response.status_code == 200
    own = response.context["own"]
    assert (own.items_published, own.items_written, own.sessions, own.attendance) == (1, 1, 1, 2)
    assert own.plc_hours == 3
    body = response.content.decode()
    assert "<strong>3.0</strong>" in body  # PLC hours of the year
    nov = response.context["communities"].table.rows[1]
    assert (nov["month"], nov["sessions"], nov["plc_hours"]) == (f"พ.ย. {(fy - 1) % 100:02d}", 1, 3)
    assert f"ต.ค. {(fy - 1) % 100:02d}" in body  # months Oct→Sep with B.E. years
    assert "มานี" in body  # the top contributor, named for her own organisation
    assert 'role="img"' in body and "aria-label=" in body


def test_it_shows_plan_state_and_progress_in_thai(net: SimpleNamespace, fy: int) -> None:
    entries = plan_with_round(net.a, fy, [40, 10], status="in_progress")
    entries[1].status = "late"
    entries[1].save()

    response = client_for(net.owner).get(url(net.a))

    body = response.content.decode()
    assert "CEO อนุมัติแล้ว" in body  # the plan's state, translated
    assert "ล่าช้ากว่ากำหนด" in body  # the late entry's status
    assert response.context["summary"].progress == 25
    assert next(line.name for line in response.context["summary"].watch) == "กิจกรรมที่ 2"
    for code in ("in_progress", ">late<", ">approved<", ">draft<"):
        assert code not in body


def test_at_risk_counts_what_its_dates_call_for(net: SimpleNamespace, fy: int) -> None:
    # The 6-month round's period covers the whole activity: 100% was due; 60% is 40 points short.
    plan_with_round(net.a, fy, [60, 80, 100])
    refresh.refresh([net.a.pk], fy)

    response = client_for(net.owner).get(url(net.a))

    assert response.context["summary_at_risk"] == 1
    assert response.context["own"].at_risk == 1
    assert response.context["own"].entries == 3


@pytest.mark.parametrize("who", ["sibling_teacher", "outsider"])
def test_it_hides_the_dashboard_from_other_schools(net: SimpleNamespace, who: str, fy: int) -> None:
    publish(net.a, net.member, "ความลับของโรงเรียนเอ", fy)
    refresh.refresh([net.a.pk], fy)
    client = client_for(getattr(net, who))

    assert client.get(url(net.a)).status_code == 404
    assert client.get(url(net.a, format="csv", table="knowledge")).status_code == 404
    assert client.get(reverse("dashboards:network", args=[net.parent.code])).status_code == 404


def test_it_asks_to_log_in() -> None:
    response = Client().get(reverse("dashboards:dashboard", args=["anything"]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_parent_office_sees_its_schools_dashboard(net: SimpleNamespace, fy: int) -> None:
    session_with(net.a, [net.owner], fy)
    refresh.refresh([net.a.pk], fy)

    response = client_for(net.supervisor).get(url(net.a))

    assert response.status_code == 200
    assert response.context["own"].sessions == 1


def test_the_district_dashboard_shows_the_schools_progress(net: SimpleNamespace, fy: int) -> None:
    entries = plan_with_round(net.a, fy, [20])
    refresh.refresh([net.a.pk], fy)
    entries[0].percent = 70
    entries[0].save()
    refresh.refresh([net.a.pk], fy)

    response = client_for(net.supervisor).get(url(net.parent))

    rows = {r["name"]: r for r in response.context["network"].rows}
    assert rows[net.a.name]["progress"] == 70
    assert "70.0" in response.content.decode()


def test_it_downloads_each_table(net: SimpleNamespace, fy: int) -> None:
    publish(net.a, net.member, '=HYPERLINK("x")', fy)
    refresh.refresh([net.a.pk], fy)
    client = client_for(net.owner)

    csv_response = client.get(url(net.a, year=fy, format="csv", table="knowledge"))
    xlsx_response = client.get(url(net.a, year=fy, format="xlsx", table="knowledge"))

    assert csv_response["Content-Type"].startswith("text/csv")
    lines = csv_response.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 14  # header, twelve months, total
    assert lines[2].split(",")[3] == "1"  # November: one published
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert any(row[:1] == ["พ.ย. " + f"{(fy - 1) % 100:02d}"] and row[3] == 1 for row in values)
    assert client.get(url(net.a, format="csv", table="nope")).status_code == 404


def test_indicators_show_results_against_targets(net: SimpleNamespace, fy: int) -> None:
    publish(net.a, net.member, "หนึ่ง", fy)
    publish(net.a, net.member, "สอง", fy, month=12)
    OrgIndicator.objects.create(organisation=net.a, fiscal_year=fy, name="ความรู้ที่เผยแพร่",
                                measure="knowledge.published", target=4)  # fmt: skip
    refresh.refresh([net.a.pk], fy)

    response = client_for(net.owner).get(url(net.a))

    row = response.context["indicators"].table.rows[0]
    assert (row["value"], row["share"]) == (2, 50)


def test_the_organisation_page_and_the_reports_menu_lead_here(net: SimpleNamespace) -> None:
    client = client_for(net.owner)

    page = client.get(reverse("organisation_detail", args=[net.a.code]))
    menu = client.get(reverse("module", args=["reports"]))

    assert url(net.a) in page.content.decode()
    assert menu.status_code == 302 and menu["Location"] == url(net.a)


def test_query_count_does_not_grow_with_data(
    net: SimpleNamespace, fy: int, django_assert_max_num_queries: object
) -> None:
    client = client_for(net.supervisor)
    plan_with_round(net.a, fy, [10])
    refresh.refresh([net.a.pk], fy)
    client.get(url(net.parent))
    with django_assert_max_num_queries(24):  # type: ignore[operator]
        client.get(url(net.parent))
    for n in range(6):
        from platu.orgs.models import Organisation

        school = Organisation.objects.create(
            code=f"more-{n}", kind="school", name_th=f"โรงเรียน {n}", parent=net.parent
        )
        publish(school, net.member, f"เรื่อง {n}", fy)
        plan_with_round(school, fy, [n * 10, 50])
        refresh.refresh([school.pk], fy)
        publish(net.a, net.member, f"อีกเรื่อง {n}", fy)
    with django_assert_max_num_queries(24):  # type: ignore[operator]
        response = client.get(url(net.parent))
    assert len(response.context["network"].rows) == 8
