"""A KM team member scores worksheet 2 with the keyboard alone and watches the ranks change;
she submits the plan; the CKO reviews it, the CEO approves it, and the PDF is downloaded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from platu.orgs.models import Organisation
from platu.planning.models import Activity, Kpi, Plan, StrategicIssue
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

    # The KM lead scores with the keyboard only.
    page = login(browser, base, "pranee.k")
    page.goto(ws2)
    cell = page.locator(f"select[data-cell$='-{second.pk}']").first
    cell.focus()
    page.keyboard.press("5")  # a select takes the typed value
    page.wait_for_selector(f"td.rank[data-col='{second.pk}']:has-text('1')")
    assert page.inner_text(f"td.rank[data-col='{second.pk}']").strip() == "1"
    assert page.inner_text(f"td.my-total[data-col='{second.pk}']").strip() == "5"
    # Tab to the next criterion's cell of the first KPI and score it higher.
    page.locator(f"select[data-cell$='-{first.pk}']").nth(1).focus()
    page.keyboard.press("5")
    page.wait_for_selector(f"td.my-total[data-col='{first.pk}']:has-text('5')")
    page.locator(f"select[data-cell$='-{first.pk}']").nth(2).focus()
    page.keyboard.press("3")
    page.wait_for_selector(f"td.my-total[data-col='{first.pk}']:has-text('8')")
    assert page.inner_text(f"td.rank[data-col='{first.pk}']").strip() == "1"
    assert page.inner_text(f"td.rank[data-col='{second.pk}']").strip() == "2"
    page.screenshot(path=str(ARTIFACTS / "planning-ws2.png"), full_page=True)

    # Submit from the overview with the keyboard.
    page.goto(f"{base}/orgs/sch-nongbua/plans/2575/")
    page.locator("#submit-plan").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#plan-state:has-text('CKO')")
    plan.refresh_from_db()
    assert plan.state == Plan.State.SUBMITTED
    # The CKO reviews.
    reviewer = login(browser, base, "kannika.s")
    reviewer.goto(f"{base}/orgs/sch-nongbua/plans/2575/")
    reviewer.locator("#review-plan").click()
    reviewer.wait_for_selector("#approve-plan, #plan-state")
    plan.refresh_from_db()
    assert plan.state == Plan.State.REVIEWED

    ceo = login(browser, base, "wichai.p")
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
