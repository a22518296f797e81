"""What readers and the KM team meet in a plan (issue 16): read-only pages as documents, the
approval steps that tell the next person, the checks before submitting, the Form 2 picker of
knowledge items and a second save after a conflict."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from platu.knowledge import actions as knowledge_actions
from platu.notify.models import Notification
from platu.planning import actions
from platu.planning.models import Activity, Kpi, NeededKnowledge, Plan, StrategicIssue
from platu.planning.pages import PAGES
from tests.planning.conftest import add_role, client_for, reload
from tests.planning.test_pages import form_data, url

STORED = [
    re.compile(r">\s*(km|change):\d"),
    re.compile(r">\s*(in_progress|planned|unit_group|pilot|reached|done)\s*<"),
    re.compile(r">\s*\[[\d, ]*\]\s*<"),
    re.compile(r">\s*20\d\d-\d\d-\d\d\s*<"),
]


def _approve(pw: SimpleNamespace) -> None:
    actions.submit(pw.plan, acting_user=pw.lead.user)
    actions.review(pw.plan, acting_user=pw.cko.user)
    actions.approve(pw.plan, acting_user=pw.ceo.user)


def _visible_text(html: str) -> str:
    main = html[html.index('id="main"') :]
    return re.sub(r"<(script|style)\b.*?</\1>", "", main, flags=re.S)


@pytest.mark.parametrize("page", list(PAGES))
def test_an_approved_plan_reads_as_a_document(pw: SimpleNamespace, page: str) -> None:
    Activity.objects.filter(pk=pw.act1.pk).update(status="in_progress")
    pw.issue1.team = pw.team
    pw.issue1.save()
    _approve(pw)
    for who in (pw.lead, pw.member, pw.supervisor, pw.ceo):
        body = _visible_text(client_for(who).get(url(pw.plan, "sheet", page=page)).content.decode())
        for pattern in STORED:
            assert not pattern.search(body), (who, page, pattern.pattern, pattern.search(body))
        assert "<select" not in body and 'name="op"' not in body


def test_read_only_tables_show_labels_names_and_be_dates(pw: SimpleNamespace) -> None:
    Activity.objects.filter(pk=pw.act1.pk).update(status="in_progress")
    pw.issue1.team = pw.team
    pw.issue1.save()
    _approve(pw)
    client = client_for(pw.member)
    ws1 = client.get(url(pw.plan, "sheet", page="ws1")).content.decode()
    assert pw.team.name in ws1 and pw.a.name in ws1  # the team and the KPI's agency by name
    form2 = client.get(url(pw.plan, "sheet", page="action-plan")).content.decode()
    assert "กำลังดำเนินการ" in form2 or "In progress" in form2
    assert "1 ต.ค. 68" in form2 or "1 ต.ค. 2568" in form2
    assert "12,500.00" in form2
    roadmap = client.get(url(pw.plan, "sheet", page="roadmap")).content.decode()
    assert "หน่วยงานเดียว" in roadmap or "One unit" in roadmap


def test_form2_rows_are_numbered_one_by_one(pw: SimpleNamespace) -> None:
    _approve(pw)
    body = client_for(pw.member).get(url(pw.plan, "sheet", page="action-plan")).content.decode()
    table = body[body.index('class="table table-sm table-bordered small form2-table"') :]
    first = re.search(r"<tbody><tr><td[^>]*>(\d)</td>", table)
    assert first and first[1] == "1"


def test_the_score_cells_have_ids_so_focus_survives_the_swap(pw: SimpleNamespace) -> None:
    body = client_for(pw.lead).get(url(pw.plan, "sheet", page="ws2")).content.decode()
    ids = re.findall(r'<select name="value" id="([^"]+)"', body)
    assert ids and len(ids) == len(set(ids))


# -- the approval steps tell the next person ---------------------------------------------------


def test_each_step_notifies_the_next_person_in_app_and_by_email(
    pw: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        actions.submit(pw.plan, acting_user=pw.lead.user)
    cko_note = Notification.objects.get(recipient=pw.cko.user, kind="plan.submitted")
    assert cko_note.url == pw.plan.get_absolute_url()
    assert any(pw.cko.user.email in m.to for m in mail.outbox)
    home = client_for(pw.cko).get(reverse("home")).content.decode()
    assert 'id="panel-plans-waiting"' in home and pw.plan.get_absolute_url() in home

    with django_capture_on_commit_callbacks(execute=True):
        actions.return_plan(reload(pw.plan), acting_user=pw.cko.user, comment="เพิ่มตัวชี้วัดของกิจกรรมที่ 2")
    returned = Notification.objects.filter(kind="plan.returned")
    assert {n.recipient for n in returned} >= {pw.lead.user, pw.km.user}
    assert "เพิ่มตัวชี้วัดของกิจกรรมที่ 2" in returned.first().text
    assert pw.plan.get_absolute_url() in client_for(pw.lead).get(reverse("home")).content.decode()

    actions.submit(reload(pw.plan), acting_user=pw.lead.user)
    actions.review(reload(pw.plan), acting_user=pw.cko.user)
    assert Notification.objects.filter(recipient=pw.ceo.user, kind="plan.reviewed").exists()
    ceo_home = client_for(pw.ceo).get(reverse("home")).content.decode()
    assert 'id="panel-plans-waiting"' in ceo_home
    actions.approve(reload(pw.plan), acting_user=pw.ceo.user)
    approved = {n.recipient for n in Notification.objects.filter(kind="plan.approved")}
    assert {pw.lead.user, pw.km.user, pw.cko.user} <= approved and pw.ceo.user not in approved
    # Nothing waits any more.
    assert 'id="panel-plans-waiting"' not in client_for(pw.ceo).get(reverse("home")).content.decode()


def test_home_page_says_what_knowledge_waits_for_me(pw: SimpleNamespace) -> None:
    item = knowledge_actions.create_item(pw.a, acting_user=pw.member.user, title="ร่างของฉันเรื่องการสอนอ่าน",
                                         body="<p>เนื้อหา</p>")  # fmt: skip
    body = client_for(pw.member).get(reverse("home")).content.decode()
    assert 'id="panel-drafts"' in body and item.get_absolute_url() in body
    # Another member's private draft is nobody else's business.
    assert item.get_absolute_url() not in client_for(pw.lead).get(reverse("home")).content.decode()


# -- nothing stops an empty plan -> now it does -------------------------------------------------


def test_an_empty_plan_cannot_be_submitted_and_says_what_is_missing(pw: SimpleNamespace) -> None:
    plan = actions.start_plan(pw.a, 2571, acting_user=pw.lead.user)
    client = client_for(pw.lead)
    response = client.post(reverse("planning:transition", args=[pw.a.code, 2571, "submit"]), follow=True)
    body = response.content.decode()
    assert reload(plan).state == Plan.State.DRAFT
    for words in ("worksheet 2", "worksheet 4", "Form 2"):
        assert (
            words in body
            or {"worksheet 2": "ใบงานที่ 2", "worksheet 4": "ใบงานที่ 4", "Form 2": "แบบฟอร์ม 2"}[words] in body
        )
    issue = StrategicIssue.objects.create(plan=plan, name="ประเด็น")
    Kpi.objects.create(plan=plan, issue=issue, name="ตัวชี้วัด", chosen=True)
    overview = client.get(plan.get_absolute_url()).content.decode()
    assert 'id="plan-missing"' in overview and "ใบงานที่ 2" not in overview.split('id="plan-missing"')[1][:400]


def test_activities_outside_the_fiscal_year_are_warned_about(pw: SimpleNamespace) -> None:
    Activity.objects.filter(pk=pw.act2.pk).update(end=dt.date(2026, 12, 31))
    body = client_for(pw.lead).get(pw.plan.get_absolute_url()).content.decode()
    warning = body[body.index('id="plan-warnings"') :][:600]
    assert pw.act2.name in warning
    actions.submit(pw.plan, acting_user=pw.lead.user)  # a warning, not a stop
    assert reload(pw.plan).state == Plan.State.SUBMITTED


def test_every_step_asks_for_confirmation(pw: SimpleNamespace) -> None:
    body = client_for(pw.lead).get(pw.plan.get_absolute_url()).content.decode()
    assert re.search(r'id="submit-plan" data-confirm="[^"]+"', body)
    actions.submit(pw.plan, acting_user=pw.lead.user)
    body = client_for(pw.cko).get(pw.plan.get_absolute_url()).content.decode()
    assert re.search(r'id="review-plan" data-confirm="[^"]+"', body)
    assert re.search(r'id="return-plan" data-confirm="[^"]+"', body)


# -- the Form 2 knowledge picker ------------------------------------------------------------------


def _items(pw: SimpleNamespace, n: int) -> list[Any]:
    from platu.knowledge.models import Item

    published = []
    for i in range(n):
        item = Item.objects.create(organisation=pw.a, owner=pw.lead, title=f"บทเรียนการสอนอ่าน {i}",
                                   body="<p>x</p>", state="published", visibility="organisation")  # fmt: skip
        published.append(item)
    return published


def test_the_picker_links_any_visible_item_and_saves(pw: SimpleNamespace) -> None:
    items = _items(pw, 205)
    oldest = items[0]  # beyond any 200-item cap
    client = client_for(pw.lead)
    page = url(pw.plan, "sheet", page="action-plan")
    data = form_data(client, page, "activities")
    data["activities-0-items"] = str(oldest.pk)
    response = client.post(url(pw.plan, "table", key="activities"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(Activity.objects.get(pk=pw.act1.pk).items.all()) == [oldest]
    # The linked item shows as a ticked box; the page does not list all 205.
    body = client.get(page).content.decode()
    assert f'value="{oldest.pk}" id=' in body and "บทเรียนการสอนอ่าน 204" not in body


def test_the_picker_offers_only_what_the_user_may_see(pw: SimpleNamespace) -> None:
    _items(pw, 2)
    draft = knowledge_actions.create_item(pw.a, acting_user=pw.member.user, title="บทเรียนการสอนอ่าน ร่างส่วนตัว",
                                          body="<p>ร่าง</p>")  # fmt: skip
    client = client_for(pw.lead)
    pick = reverse("planning:pick_items", args=[pw.a.code, pw.plan.fiscal_year])
    body = client.get(pick, {"q": "การสอนอ่าน", "name": "activities-0-items"}).content.decode()
    assert "บทเรียนการสอนอ่าน 1" in body and "ร่างส่วนตัว" not in body
    # Posting a private draft's id directly is refused, not saved.
    data = form_data(client, url(pw.plan, "sheet", page="action-plan"), "activities")
    data["activities-0-items"] = str(draft.pk)
    response = client.post(url(pw.plan, "table", key="activities"), data)
    assert response.status_code == 200 and not Activity.objects.get(pk=pw.act1.pk).items.exists()
    # A bad name or an outsider: 404.
    assert client.get(pick, {"q": "x", "name": "evil"}).status_code == 404
    assert client_for(pw.outsider).get(pick, {"q": "x", "name": "activities-0-items"}).status_code == 404
    assert client_for(pw.member).get(pick, {"q": "x", "name": "activities-0-items"}).status_code == 404


def test_a_link_the_editor_may_not_see_is_kept(pw: SimpleNamespace) -> None:
    draft = knowledge_actions.create_item(
        pw.a, acting_user=pw.member.user, title="ร่างของสมาชิก", body="<p>ร่าง</p>"
    )
    add_role(pw.member, pw.a, "km_member")
    pw.act1.items.add(draft)  # linked by its author
    client = client_for(pw.lead)
    data = form_data(client, url(pw.plan, "sheet", page="action-plan"), "activities")
    data["activities-0-name"] = "ชื่อใหม่ของกิจกรรม"
    assert client.post(url(pw.plan, "table", key="activities"), data).status_code == 302
    act = Activity.objects.get(pk=pw.act1.pk)
    assert act.name == "ชื่อใหม่ของกิจกรรม" and list(act.items.all()) == [draft]


# -- a second save after a conflict ---------------------------------------------------------------


def test_a_second_save_after_a_conflict_does_not_overwrite_silently(pw: SimpleNamespace) -> None:
    page = url(pw.plan, "sheet", page="ws1")
    mine = form_data(client_for(pw.lead), page, "issues")
    theirs = form_data(client_for(pw.km), page, "issues")
    theirs["issues-0-name"] = "ชื่อของอีกคน"
    assert client_for(pw.km).post(url(pw.plan, "table", key="issues"), theirs).status_code == 302
    mine["issues-0-name"] = "ชื่อของฉัน"
    lead = client_for(pw.lead)
    first = lead.post(url(pw.plan, "table", key="issues"), mine).content.decode()
    conflict = first[first.index('id="conflict-issues"') :]
    assert "ชื่อของอีกคน" in conflict[: conflict.index("</div>")]  # their saved rows, beside mine
    again = re.search(r'name="base" value="([^"]*)"', first)[1]
    overwrite = re.search(r'name="overwrite" value="([^"]*)"', first)[1]
    # Saving again as before (the same base) still does not overwrite...
    mine["base"] = again
    lead.post(url(pw.plan, "table", key="issues"), mine)
    assert StrategicIssue.objects.get(pk=pw.issue1.pk).name == "ชื่อของอีกคน"
    # ... choosing to save over theirs does.
    response = lead.post(url(pw.plan, "table", key="issues"), {**mine, "overwrite": overwrite})
    assert response.status_code == 302
    assert StrategicIssue.objects.get(pk=pw.issue1.pk).name == "ชื่อของฉัน"


def test_an_overwrite_holds_only_for_the_rows_the_user_saw(pw: SimpleNamespace) -> None:
    page = url(pw.plan, "sheet", page="ws1")
    mine = form_data(client_for(pw.lead), page, "issues")
    theirs = form_data(client_for(pw.km), page, "issues")
    theirs["issues-0-name"] = "ครั้งที่หนึ่ง"
    client_for(pw.km).post(url(pw.plan, "table", key="issues"), theirs)
    first = client_for(pw.lead).post(url(pw.plan, "table", key="issues"), {**mine, "issues-0-name": "ของฉัน"})
    overwrite = re.search(r'name="overwrite" value="([^"]*)"', first.content.decode())[1]
    later = form_data(client_for(pw.km), page, "issues")
    later["issues-0-name"] = "ครั้งที่สอง"
    client_for(pw.km).post(url(pw.plan, "table", key="issues"), later)
    client_for(pw.lead).post(url(pw.plan, "table", key="issues"),
                             {**mine, "issues-0-name": "ของฉัน", "overwrite": overwrite})  # fmt: skip
    assert StrategicIssue.objects.get(pk=pw.issue1.pk).name == "ครั้งที่สอง"


def test_a_huge_chosen_id_is_not_a_500(pw: SimpleNamespace) -> None:
    response = client_for(pw.lead).post(
        reverse("planning:choose", args=[pw.a.code, pw.plan.fiscal_year, 2]), {"chosen": "9" * 25}
    )
    assert response.status_code == 302
    assert not NeededKnowledge.objects.filter(plan=pw.plan, chosen=False, pk=10**24).exists()
