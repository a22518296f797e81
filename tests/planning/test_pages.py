"""The plan's pages: who sees them, editing tables in place, scoring, bad input, conflicts."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse

from platu.planning.models import Activity, Criterion, Kpi, Plan, Score, StrategicIssue
from platu.planning.pages import PAGES
from tests.planning.conftest import client_for, reload

PAGE_KEYS = list(PAGES)


def url(plan: Plan, view: str, **kw: object) -> str:
    return reverse(
        f"planning:{view}", kwargs={"code": plan.organisation.code, "year": plan.fiscal_year, **kw}
    )


def form_data(client, page_url: str, key: str) -> dict[str, str]:
    """The table's form as the browser would post it (from the rendered page)."""
    import re
    from html import unescape

    html = client.get(page_url).content.decode()
    start = html.index(f'id="table-{key}"')
    form = html[start : html.index("</form>", start)]
    data: dict[str, str] = {}
    for m in re.finditer(r"<input([^>]*)>", form):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', m[1]))
        if attrs.get("type") in ("checkbox",) and "checked" not in m[1]:
            continue
        if "name" in attrs:
            data[attrs["name"]] = unescape(attrs.get("value", ""))
    for m in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        data[m[1]] = unescape(m[2]).lstrip("\n")
    for m in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        selected = re.findall(r'<option value="([^"]*)"[^>]*selected', m[2])
        if selected:
            data[m[1]] = selected[0]
    return data


@pytest.mark.parametrize("page", PAGE_KEYS)
def test_every_page_renders_for_the_team_and_members_and_the_parent(pw: SimpleNamespace, page: str) -> None:
    for who in (pw.lead, pw.member, pw.supervisor):
        response = client_for(who).get(url(pw.plan, "sheet", page=page))
        assert response.status_code == 200, who
    body = client_for(pw.lead).get(url(pw.plan, "sheet", page=page)).content.decode()
    assert 'name="op" value="save"' in body or page in ("ws2", "ws4")


@pytest.mark.parametrize("page", ["", *PAGE_KEYS])
def test_another_organisation_gets_404_everywhere(pw: SimpleNamespace, page: str) -> None:
    target = url(pw.plan, "sheet", page=page) if page else url(pw.plan, "plan")
    assert client_for(pw.outsider).get(target).status_code == 404


def test_another_organisation_cannot_change_or_export(pw: SimpleNamespace) -> None:
    outsider = client_for(pw.outsider)
    assert outsider.post(url(pw.plan, "table", key="issues"), {"op": "save"}).status_code == 404
    assert outsider.post(url(pw.plan, "transition", name="submit")).status_code == 404
    assert outsider.post(url(pw.plan, "score", sheet=2), {"value": "5"}).status_code == 404
    assert outsider.get(url(pw.plan, "export", document="action-plan", fmt="pdf")).status_code == 404
    assert outsider.get(url(pw.plan, "booklet", fmt="pdf")).status_code == 404
    assert client_for(pw.outsider).get(reverse("planning:list", args=[pw.a.code])).status_code == 404
    assert reload(pw.plan).state == Plan.State.DRAFT


def test_members_and_the_parent_read_but_cannot_edit(pw: SimpleNamespace) -> None:
    page = url(pw.plan, "sheet", page="ws1")
    for who in (pw.member, pw.supervisor):
        client = client_for(who)
        body = client.get(page).content.decode()
        assert "พัฒนาคุณภาพผู้เรียน" in body
        assert 'name="op" value="save"' not in body
        data = form_data(client_for(pw.lead), page, "issues")
        data["issues-0-name"] = "ชื่อใหม่"
        client.post(url(pw.plan, "table", key="issues"), data)
    assert StrategicIssue.objects.get(pk=pw.issue1.pk).name == "พัฒนาคุณภาพผู้เรียน"


def test_rows_are_added_edited_moved_and_deleted_in_place(pw: SimpleNamespace) -> None:
    client = client_for(pw.lead)
    page = url(pw.plan, "sheet", page="ws1")
    save = url(pw.plan, "table", key="kpis")
    data = form_data(client, page, "kpis")
    data["op"] = "add"
    response = client.post(save, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="kpis-TOTAL_FORMS" value="5"' in body  # a blank row to fill
    data = form_data(client, page, "kpis")
    data.update({"kpis-TOTAL_FORMS": "5", "kpis-4-issue": str(pw.issue2.pk), "kpis-4-number": "2.2",
                 "kpis-4-name": "ครูสร้างสื่อการสอนใหม่", "kpis-4-target": "20 ชิ้น", "op": "save"})  # fmt: skip
    response = client.post(save, data)
    assert response.status_code == 302
    assert Kpi.objects.filter(plan=pw.plan, name="ครูสร้างสื่อการสอนใหม่", issue=pw.issue2).exists()
    names = lambda: list(Kpi.objects.filter(plan=pw.plan).order_by("order").values_list("number", flat=True))  # noqa: E731
    assert names() == ["1.1", "1.2", "1.3", "2.1", "2.2"]
    data = form_data(client, page, "kpis")
    data["op"] = "up:1"
    client.post(save, data)
    assert names() == ["1.2", "1.1", "1.3", "2.1", "2.2"]
    data = form_data(client, page, "kpis")
    data["op"] = "delete:2"
    client.post(save, data)
    assert names() == ["1.2", "1.1", "2.1", "2.2"]
    # htmx: the table comes back alone, re-rendered.
    data = form_data(client, page, "kpis")
    data["op"] = "down:0"
    response = client.post(save, data, headers={"HX-Request": "true"})
    assert response.status_code == 200 and response.content.decode().lstrip().startswith("<section")
    assert names() == ["1.1", "1.2", "2.1", "2.2"]


def test_bad_input_comes_back_with_a_message_and_nothing_lost(pw: SimpleNamespace) -> None:
    client = client_for(pw.lead)
    page = url(pw.plan, "sheet", page="action-plan")
    data = form_data(client, page, "activities")
    data["activities-0-start"] = "31/2/2568"
    data["activities-0-budget"] = "หนึ่งหมื่น"
    data["activities-0-method"] = "ข้อความที่พิมพ์ไว้ต้องไม่หาย"
    data["op"] = "save"
    response = client.post(url(pw.plan, "table", key="activities"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "วันที่ไม่ถูกต้อง" in body and "invalid date" not in body
    assert "จำนวนเงินไม่ถูกต้อง" in body
    assert "ข้อความที่พิมพ์ไว้ต้องไม่หาย" in body
    assert Activity.objects.get(pk=pw.act1.pk).method == "จัดวงเล่าเรื่อง"


def test_be_dates_and_baht_are_read_as_typed(pw: SimpleNamespace) -> None:
    client = client_for(pw.lead)
    page = url(pw.plan, "sheet", page="action-plan")
    data = form_data(client, page, "activities")
    assert data["activities-0-start"] == "1/10/2568"  # shown in B.E.
    data.update(
        {
            "activities-0-start": "๑/๑๑/๒๕๖๘",
            "activities-0-end": "31 มี.ค. 69",
            "activities-0-budget": "20,000",
            "op": "save",
        }
    )
    assert client.post(url(pw.plan, "table", key="activities"), data).status_code == 302
    act = Activity.objects.get(pk=pw.act1.pk)
    assert (act.start.isoformat(), act.end.isoformat(), str(act.budget)) == (
        "2025-11-01",
        "2026-03-31",
        "20000.00",
    )
    body = client.get(page).content.decode()
    assert "1 พ.ย. 68 – 31 มี.ค. 69" in body


def test_a_table_changed_by_someone_else_is_not_overwritten(pw: SimpleNamespace) -> None:
    page = url(pw.plan, "sheet", page="ws1")
    mine = form_data(client_for(pw.lead), page, "issues")
    theirs = form_data(client_for(pw.km), page, "issues")
    theirs["issues-0-name"] = "ชื่อของอีกคน"
    assert client_for(pw.km).post(url(pw.plan, "table", key="issues"), theirs).status_code == 302
    mine["issues-0-name"] = "ชื่อของฉัน"
    response = client_for(pw.lead).post(url(pw.plan, "table", key="issues"), mine)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this table" in body or "มีผู้อื่นบันทึกตารางนี้" in body
    assert "ชื่อของฉัน" in body  # still in the form
    assert StrategicIssue.objects.get(pk=pw.issue1.pk).name == "ชื่อของอีกคน"


def test_scoring_a_cell_with_htmx_updates_totals_and_ranks(pw: SimpleNamespace) -> None:
    client = client_for(pw.lead)
    criterion = Criterion.objects.filter(plan=pw.plan, sheet=2).first()
    response = client.post(url(pw.plan, "score", sheet=2),
                           {"criterion": criterion.pk, "column": pw.kpi2.pk, "value": "5", "issue": pw.issue1.pk},
                           headers={"HX-Request": "true"})  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200
    assert f'class="text-center my-total" data-col="{pw.kpi2.pk}">5<' in body
    assert f'class="text-center fw-bold rank" data-col="{pw.kpi2.pk}">1<' in body
    assert Score.objects.get(criterion=criterion, kpi=pw.kpi2, scorer=pw.lead).value == 5
    response = client.post(url(pw.plan, "score", sheet=2),
                           {"criterion": criterion.pk, "column": pw.kpi2.pk, "value": "7"}, headers={"HX-Request": "true"})  # fmt: skip
    assert response.status_code == 400 and "5" in response.content.decode()


def test_start_a_plan_copying_last_years(pw: SimpleNamespace) -> None:
    client = client_for(pw.lead)
    Activity.objects.filter(pk=pw.act1.pk).update(status="done")
    response = client.post(reverse("planning:start", args=[pw.a.code]), {"year": "2570", "copy": "1"})
    new = Plan.objects.get(organisation=pw.a, fiscal_year=2570)
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
    assert new.issues.count() == 2 and new.kpis.count() == 4 and new.activities.count() == 2
    assert new.criteria.count() == Criterion.objects.filter(plan=pw.plan).count()
    copied = new.activities.get(name=pw.act1.name)
    assert copied.status == "planned" and copied.start.isoformat() == "2026-10-01"
    response = client.post(reverse("planning:start", args=[pw.a.code]), {"year": "ปีหน้า"}, follow=True)
    assert "ปีไม่ถูกต้อง" in response.content.decode()
    response = client.post(reverse("planning:start", args=[pw.a.code]), {"year": "2570"}, follow=True)
    assert "already a plan" in response.content.decode() or "มีแผนของปีงบประมาณ" in response.content.decode()
    assert (
        client_for(pw.member).post(reverse("planning:start", args=[pw.a.code]), {"year": "2571"}).status_code
        == 302
    )
    assert not Plan.objects.filter(fiscal_year=2571).exists()


def test_transitions_through_the_pages(pw: SimpleNamespace) -> None:
    assert client_for(pw.lead).post(url(pw.plan, "transition", name="submit")).status_code == 302
    client_for(pw.member).post(url(pw.plan, "transition", name="review"))
    assert reload(pw.plan).state == Plan.State.SUBMITTED
    response = client_for(pw.cko).post(
        url(pw.plan, "transition", name="return"), {"comment": ""}, follow=True
    )
    assert reload(pw.plan).state == Plan.State.SUBMITTED
    client_for(pw.cko).post(url(pw.plan, "transition", name="review"))
    client_for(pw.ceo).post(url(pw.plan, "transition", name="approve"))
    plan = reload(pw.plan)
    assert plan.state == Plan.State.APPROVED
    body = client_for(pw.member).get(url(plan, "plan")).content.decode()
    assert "ประภา รู้ทั่ว" in body and "สมชาย ใจดี" in body
    del response


def test_worksheet_3_offers_the_kpis_chosen_on_worksheet_2(pw: SimpleNamespace) -> None:
    from platu.planning import actions

    actions.set_chosen(pw.plan, sheet=2, chosen_ids=[pw.kpi2.pk], acting_user=pw.lead.user)
    body = client_for(pw.lead).get(url(pw.plan, "sheet", page="ws3")).content.decode()
    new_row = body[body.index('name="processes-TOTAL_FORMS"') :]
    assert "คะแนนการเขียนเฉลี่ย" in new_row  # chosen
    # The existing process keeps its own (unchosen) KPI; no other unchosen KPI is offered.
    assert "จำนวนกิจกรรมรักการอ่าน" not in body


def test_garbage_in_scoring_and_choosing_posts_is_refused_without_a_server_error(pw: SimpleNamespace) -> None:
    client = client_for(pw.lead)
    response = client.post(url(pw.plan, "score", sheet=2), {"criterion": "x", "column": "1e3", "value": "5", "issue": "?"},
                           headers={"HX-Request": "true"})  # fmt: skip
    assert response.status_code == 400
    assert client.post(url(pw.plan, "choose", sheet=2), {"by_rank": "1", "top": "ห้า"}).status_code == 302
    assert client.post(url(pw.plan, "texts"), {"version": "v2", "focus_area": "ขอบเขตใหม่"}).status_code == 200
    assert not Score.objects.filter(criterion__plan=pw.plan).exists()
    assert reload(pw.plan).focus_area == ""
