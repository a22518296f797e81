"""A KM team member scores worksheet 2 with the keyboard alone and watches the ranks change;
she submits the plan; the CKO reviews it, the CEO approves it, and the PDF is downloaded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from platu.orgs.models import Organisation
from platu.planning.models import Activity, Kpi, NeededKnowledge, Plan, StrategicIssue, WorkProcess
from tests.browser.test_knowledge_browser import ARTIFACTS, PASSWORD, login

pytestmark = pytest.mark.browser


def test_score_with_the_keyboard_submit_review_approve_download(
    live_server: Any, browser: Any, settings: Any, transactional_db: Any, tmp_path: Path
) -> None:
    settings.PLATU_DEMO_PASSWORD = PASSWORD
    call_command("platu_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    ARTIFACTS.mkdir(exist_ok=True)
    org = Organisation.objects.get(code="sch-nongbua")
    plan = Plan.objects.create(organisation=org, fiscal_year=2575)
    from platu.planning.models import Criterion
    from platu.planning.scoring import DEFAULT_CRITERIA

    for i, text in enumerate(DEFAULT_CRITERIA[2]):
        Criterion.objects.create(plan=plan, sheet=2, order=i, text=text)
    issue = StrategicIssue.objects.create(plan=plan, name="พัฒนาทักษะการอ่าน")
    first = Kpi.objects.create(plan=plan, issue=issue, order=0, number="1", name="อ่านคล่อง")
    second = Kpi.objects.create(plan=plan, issue=issue, order=1, number="2", name="เขียนคล่อง")
    Activity.objects.create(plan=plan, name="วงเล่าเรื่องการสอนอ่าน")
    base = live_server.url
    ws2 = f"{base}/orgs/sch-nongbua/plans/2575/ws2/"

    # The KM lead scores a whole row with the keyboard only: a number, Tab, a number.
    page = login(browser, base, "pranee.k")
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(ws2)
    page.locator(f"select[data-cell$='-{first.pk}']").first.focus()
    page.keyboard.press("3")  # a select takes the typed value; htmx saves and swaps the matrix
    page.wait_for_selector(f"td.my-total[data-col='{first.pk}']:has-text('3')")
    # After the swap the focus is back on the cell just scored, not on <body>.
    assert page.evaluate("document.activeElement.dataset.cell") == page.locator(
        f"select[data-cell$='-{first.pk}']"
    ).first.get_attribute("data-cell")
    page.keyboard.press("Tab")
    page.keyboard.press("5")
    page.wait_for_selector(f"td.my-total[data-col='{second.pk}']:has-text('5')")
    assert page.inner_text(f"td.rank[data-col='{second.pk}']").strip() == "1"
    assert page.inner_text(f"td.rank[data-col='{first.pk}']").strip() == "2"
    # On to the next row: Tab from the last cell of row 1 reaches row 2's first cell.
    page.keyboard.press("Tab")
    page.keyboard.press("5")
    page.wait_for_selector(f"td.my-total[data-col='{first.pk}']:has-text('8')")
    page.keyboard.press("Tab")
    page.keyboard.press("1")
    page.wait_for_selector(f"td.my-total[data-col='{second.pk}']:has-text('6')")
    assert page.inner_text(f"td.rank[data-col='{first.pk}']").strip() == "1"
    assert page.inner_text(f"td.rank[data-col='{second.pk}']").strip() == "2"
    page.screenshot(path=str(ARTIFACTS / "planning-ws2.png"), full_page=True)
    # Choose the top-ranked KPI; the needed knowledge is chosen on worksheet 4.
    page.locator("#choose-form input[name='top']").fill("1")
    page.locator("#choose-form button[name='by_rank']").click()
    page.wait_for_load_state()
    assert Kpi.objects.get(pk=first.pk).chosen
    process = WorkProcess.objects.create(plan=plan, kpi=first, name="คัดกรองการอ่าน")
    NeededKnowledge.objects.create(plan=plan, process=process, name="การสอนอ่านแบบแจกลูก", chosen=True)

    # Submit from the overview with the keyboard.
    page.goto(f"{base}/orgs/sch-nongbua/plans/2575/")
    page.locator("#submit-plan").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#plan-state:has-text('CKO')")
    plan.refresh_from_db()
    assert plan.state == Plan.State.SUBMITTED
    # The CKO reviews.
    reviewer = login(browser, base, "kannika.s")
    reviewer.on("dialog", lambda dialog: dialog.accept())
    reviewer.goto(f"{base}/orgs/sch-nongbua/plans/2575/")
    reviewer.locator("#review-plan").click()
    reviewer.wait_for_selector("#approve-plan, #plan-state")
    plan.refresh_from_db()
    assert plan.state == Plan.State.REVIEWED

    ceo = login(browser, base, "wichai.p")
    ceo.on("dialog", lambda dialog: dialog.accept())
    ceo.goto(f"{base}/orgs/sch-nongbua/plans/2575/")
    ceo.locator("#decision-comment").fill("อนุมัติ ให้ดำเนินการตามแผน")
    ceo.locator("#approve-plan").click()
    ceo.wait_for_selector("#amend-plan, #read-only-note")
    plan.refresh_from_db()
    assert plan.state == Plan.State.APPROVED and plan.approved_by.user.username == "wichai.p"
    assert "วิชัย พรมมา" in ceo.inner_text("#signatures")
    assert "กรรณิการ์ สายทอง" in ceo.inner_text("#signatures")
    with ceo.expect_download() as info:
        ceo.locator("#documents a[href*='action-plan.pdf']").click()
    path = tmp_path / "form2.pdf"
    info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    ceo.screenshot(path=str(ARTIFACTS / "planning-approved.png"), full_page=True)

    # The approved plan reads as a document: Form 2 as its table, labels and B.E. dates.
    Activity.objects.filter(plan=plan).update(status="in_progress")
    ceo.goto(f"{base}/orgs/sch-nongbua/plans/2575/action-plan/")
    text = ceo.inner_text("main")
    for stored in ("in_progress", "km:1", "[]", "2031-", "2032-"):
        assert stored not in text, stored
    assert "กำลังดำเนินการ" in text and "วงเล่าเรื่องการสอนอ่าน" in text
    assert ceo.locator("main select, main textarea").count() == 0
    ceo.screenshot(path=str(ARTIFACTS / "planning-read-only-form2.png"), full_page=True)
    ceo.set_viewport_size({"width": 375, "height": 800})
    ceo.screenshot(path=str(ARTIFACTS / "planning-read-only-form2-phone.png"), full_page=True)
