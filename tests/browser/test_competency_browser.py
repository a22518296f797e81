"""Competency and development, walked in Chromium: the principal opens this year's cycle, a
teacher assesses himself (on a phone), the principal makes the supervisor assessment and the
gap shows; the KM lead builds the 3-year plan from the cycle's gaps and puts the teacher's item
into this fiscal year's KM plan — refused while the plan is approved, so she starts an
amendment (what a KM officer does mid-year) and the item appears on the amendment's Form 2.
The district office reads the numbers but not the teacher's assessment; a sibling school gets
404."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from platu.competency.models import Assessment, Cycle, DevItem, DevPlan, Push
from platu.lib import thaidate
from platu.orgs.models import Person
from platu.planning.models import Plan
from tests.browser.test_knowledge_browser import ARTIFACTS, PASSWORD, login

pytestmark = pytest.mark.browser


def _rate(page: Any, levels: dict[str, str], default: str) -> None:
    """Choose a level for every competency: by its number (e.g. "6.3"), else the default."""
    for fieldset in page.locator("#assessment-form fieldset").all():
        legend = fieldset.locator("legend").inner_text().strip()
        code = legend.split(" ", 1)[0]
        fieldset.locator("select").select_option(levels.get(code, default))


def test_self_and_supervisor_assessment_to_an_activity_in_form_2(
    live_server: Any, browser: Any, settings: Any, transactional_db: Any
) -> None:
    settings.PLATU_DEMO_PASSWORD = PASSWORD
    call_command("platu_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    today = timezone.localdate()
    fy = thaidate.fiscal_year(today)
    km_plan = Plan.objects.get(organisation__code="sch-nongbua", fiscal_year=fy, state="approved")
    demo_cycle = Cycle.objects.get(organisation__code="sch-nongbua")
    assert demo_cycle.state == "closed" and demo_cycle.framework.organisation.code == "snk-pesa1"  # inherited
    year = demo_cycle.year + 1
    DevPlan.objects.filter(
        organisation__code="sch-nongbua", first_year=fy
    ).delete()  # this walk builds its own
    teacher_person = Person.objects.get(user__username="teerapat.n")

    # The principal opens this year's cycle early, from today for a month.
    ceo = login(browser, base, "wichai.p")
    ceo.on("dialog", lambda dialog: dialog.accept())
    ceo.goto(f"{base}/orgs/sch-nongbua/competency/")
    assert "snk-pesa1" not in ceo.inner_text("#framework-link")
    ceo.click("#cycles-h ~ details summary")
    ceo.fill("#id_year", str(year))
    ceo.fill("#id_opens_on", f"{today.day}/{today.month}/{thaidate.to_be(today.year)}")
    closes = today + dt.timedelta(days=30)
    ceo.fill("#id_closes_on", f"{closes.day}/{closes.month}/{thaidate.to_be(closes.year)}")
    ceo.click("#cycle-open button.btn-primary")
    ceo.wait_for_selector("#cycle-state")
    cycle = Cycle.objects.get(organisation__code="sch-nongbua", year=year)
    assert cycle.framework == demo_cycle.framework

    # The teacher, on a phone: his home page points to the self-assessment.
    teacher = login(browser, base, "teerapat.n")
    teacher.set_viewport_size({"width": 375, "height": 800})
    teacher.goto(f"{base}/")
    self_url = f"/orgs/sch-nongbua/competency/cycles/{year}/people/{teacher_person.pk}/self/"
    teacher.click(f"a[href='{self_url}']")
    teacher.wait_for_selector("#assessment-form")
    assert teacher.locator("#assessment-form fieldset").count() == 12  # 5 core + 7 functional for ครู
    _rate(teacher, {"6.3": "2", "9": "2"}, "3")
    teacher.locator("#assessment-form fieldset select").first.select_option("")
    teacher.fill("#id_comment", "ยังต้องฝึกการสร้างเกณฑ์การให้คะแนน")
    teacher.click("#hand-in")
    teacher.wait_for_selector(".alert-danger")  # one left unrated: nothing lost
    assert teacher.input_value("#id_comment") == "ยังต้องฝึกการสร้างเกณฑ์การให้คะแนน"
    assert not Assessment.objects.filter(cycle=cycle, submitted_at__isnull=False).exists()
    _rate(teacher, {"6.3": "2", "9": "2"}, "3")
    teacher.click("#hand-in")
    teacher.wait_for_selector("#levels")
    teacher.screenshot(path=str(ARTIFACTS / "competency-self-phone.png"), full_page=True)
    assert Assessment.objects.get(cycle=cycle, kind="self").submitted_at

    # The principal's supervisor assessment, with the teacher's own levels beside his.
    ceo.goto(f"{base}{cycle.get_absolute_url()}")
    ceo.click(f"a[href='/orgs/sch-nongbua/competency/cycles/{year}/people/{teacher_person.pk}/supervisor/']")
    ceo.wait_for_selector("#assessment-form")
    _rate(ceo, {"6.3": "1", "9": "2"}, "3")
    ceo.click("#hand-in")
    ceo.wait_for_selector("#levels")
    row = ceo.locator("#levels tr", has_text="การวัดและประเมินผลการเรียนรู้ตามสภาพจริง")
    assert row.locator(".gap-cell").inner_text().strip() == "2"  # expected 3 − agreed 1 (the supervisor's)
    ceo.screenshot(path=str(ARTIFACTS / "competency-gap.png"), full_page=True)

    # The KM lead builds the 3-year plan from this cycle's gaps.
    lead = login(browser, base, "pranee.k")
    lead.on("dialog", lambda dialog: dialog.accept())
    lead.goto(f"{base}/orgs/sch-nongbua/competency/")
    lead.click("#plans-h ~ details summary")
    lead.fill("#id_first_year", str(fy))
    lead.fill("#id_title", f"แผนพัฒนาทรัพยากรบุคคล 3 ปี ({fy}–{fy + 2})")
    lead.select_option("#id_cycle", str(cycle.pk))
    lead.click("#plan-start button.btn-primary")
    lead.wait_for_selector("#items")
    item = DevItem.objects.get(plan__organisation__code="sch-nongbua", plan__first_year=fy,
                               competencies__code="6.3")  # fmt: skip
    assert list(item.people.all()) == [teacher_person] and item.years == [fy]
    lead.click(f"#items a[href='{item.get_absolute_url()}']")
    lead.fill("#id_title", "อบรมเชิงปฏิบัติการสร้างเกณฑ์การให้คะแนนตามสภาพจริง")
    lead.fill("#id_hours", "12")
    lead.fill("#id_budget", "6,000")
    lead.click("#item-form button.btn-primary")
    lead.wait_for_selector(".alert-success")

    # This year's KM plan is approved: refused with a clear message; she starts an amendment.
    lead.click(f".push-button[data-year='{fy}']")
    lead.wait_for_selector(".alert-danger")
    assert not Push.objects.filter(item=item).exists()
    lead.goto(f"{base}{km_plan.get_absolute_url()}")
    lead.click("#amend-plan")
    lead.wait_for_url(lambda url: True)
    amendment = (
        Plan.objects.filter(organisation__code="sch-nongbua", fiscal_year=fy).order_by("-revision").first()
    )
    for _ in range(50):
        if amendment is not None and amendment.revision > km_plan.revision:
            break
        lead.wait_for_timeout(100)
        amendment = (
            Plan.objects.filter(organisation__code="sch-nongbua", fiscal_year=fy)
            .order_by("-revision")
            .first()
        )
    assert amendment is not None and amendment.revision == km_plan.revision + 1 and amendment.state == "draft"
    lead.goto(f"{base}{item.get_absolute_url()}")
    lead.click(f".push-button[data-year='{fy}']")
    lead.wait_for_selector(".alert-success")
    push = Push.objects.get(item=item)
    assert push.activity is not None and push.activity.plan == amendment
    lead.click("#pushes a")
    lead.wait_for_url(f"**/plans/{fy}/action-plan/")
    assert "อบรมเชิงปฏิบัติการสร้างเกณฑ์การให้คะแนนตามสภาพจริง" in lead.inner_text("main")
    lead.screenshot(path=str(ARTIFACTS / "competency-form2.png"), full_page=True)

    # The district office reads the numbers, not the teacher's assessment; with one person assessed
    # (fewer than the minimum group) not even the levels; a sibling school, nothing.
    office = login(browser, base, "ampai.k")
    office.goto(f"{base}/orgs/sch-nongbua/competency/cycles/{year}/summary/")
    assert office.locator("#summary-hidden").count() == 1 and office.locator("#gaps").count() == 0
    assert "ธีรภัทร" not in office.inner_text("main")
    response = office.goto(f"{base}/orgs/sch-nongbua/competency/cycles/{year}/people/{teacher_person.pk}/")
    assert response is not None and response.status == 404
    sibling = login(browser, base, "duangjai.p")
    response = sibling.goto(f"{base}/orgs/sch-nongbua/competency/cycles/{year}/summary/")
    assert response is not None and response.status == 404
