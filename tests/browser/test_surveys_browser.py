"""The district office (snk-pesa1) sends the KM-atmosphere survey to its schools; six people answer
(the five of บ้านหนองบัวทอง, one of บ้านโคกสะอาด), one of them on a phone with JavaScript off, who
first forgets a question and is told so by the server; the district sees the results by school
only where at least five answered; a teacher of a school gets 404 on the results."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from platu.surveys.models import Invitation, Question, Response, Survey
from tests.browser.test_knowledge_browser import ARTIFACTS, PASSWORD, login

pytestmark = pytest.mark.browser

TITLE = "บรรยากาศการจัดการความรู้ ภาคเรียนที่ 2/2569"


def _choose_all(page: Any, survey: Survey, score: str, skip: int | None = None) -> None:
    for q in survey.questions.order_by("order"):
        if q.pk == skip:
            continue
        if q.kind == Question.Kind.LIKERT:
            page.click(f"label[for=q{q.pk}-{score}]")
        elif q.kind == Question.Kind.SINGLE:
            page.click(f"label[for=q{q.pk}-2]")
        elif q.kind == Question.Kind.NUMBER:
            page.fill(f"#q{q.pk}", "๑๒")


def _phone_login(browser: Any, base: str, username: str) -> Any:
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 375, "height": 740}, locale="th-TH"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("text=ยินดีต้อนรับ")
    return page


def test_a_district_surveys_its_schools(
    live_server: Any, browser: Any, settings: Any, transactional_db: Any
) -> None:
    settings.PLATU_DEMO_PASSWORD = PASSWORD
    call_command("platu_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url

    # The district's CKO makes the survey from the template and sends it to the schools.
    office = login(browser, base, "ampai.k")
    office.on("dialog", lambda dialog: dialog.accept())
    office.goto(f"{base}/orgs/snk-pesa1/surveys/")
    office.click("#new-survey")
    office.check("input[name=template][value=atmosphere]")
    office.fill("#id_title", TITLE)
    office.check("input[name=audience][value=subtree]")
    office.click("#save-survey")
    office.wait_for_selector("#open-survey")
    survey = Survey.objects.get(title=TITLE)
    assert survey.anonymous and survey.questions.count() == 14
    office.click("#open-survey")
    office.wait_for_selector("#close-survey")
    assert Survey.objects.get(pk=survey.pk).state == Survey.State.OPEN
    invited = Invitation.objects.filter(survey=survey).count()
    assert invited == 13  # every member of the three schools

    # Four teachers of บ้านหนองบัวทอง answer at their desks, the one of บ้านโคกสะอาด too.
    for n, username in enumerate(["wichai.p", "kannika.s", "pranee.k", "natthapong.w", "duangjai.p"]):
        page = login(browser, base, username)
        page.wait_for_selector("#panel-surveys")
        page.click(f"#panel-surveys a[href='/surveys/{survey.pk}/answer/']")
        _choose_all(page, survey, "5" if n % 2 else "4")
        page.click("#send")
        page.wait_for_selector("#answered")
        page.context.close()

    # The fifth of บ้านหนองบัวทอง answers on a phone, JavaScript off, and forgets a question.
    phone = _phone_login(browser, base, "teerapat.n")
    phone.goto(f"{base}/surveys/{survey.pk}/answer/")
    forgotten = survey.questions.filter(kind=Question.Kind.LIKERT).order_by("order").last()
    _choose_all(phone, survey, "3", skip=forgotten.pk)
    phone.click("#send")
    phone.wait_for_selector("#error-summary")
    assert Response.objects.filter(survey=survey).count() == 5
    assert phone.is_checked(f"#q{survey.questions.filter(kind='likert').order_by('order').first().pk}-3")
    phone.click(f"label[for=q{forgotten.pk}-3]")
    phone.screenshot(path=str(ARTIFACTS / "survey-phone.png"), full_page=False)
    phone.click("#send")
    phone.wait_for_selector("#answered")
    assert Response.objects.filter(survey=survey).count() == 6
    assert not Response.objects.filter(survey=survey, person__isnull=False).exists()

    # The district sees the results by school only where at least five answered.
    office.goto(f"{base}/surveys/{survey.pk}/")
    office.click("#close-survey")
    office.wait_for_selector("#reopen-form")
    office.click("#results-link")
    office.wait_for_selector("#by-org-table")
    assert office.inner_text("#n-responses").startswith("๖")  # the office writes Thai digits
    nongbua = office.inner_text("#by-org-table tr[data-org=sch-nongbua]")
    assert "๕" in nongbua and "น้อยกว่า" not in nongbua
    for code in ("sch-khoksaat", "sch-anuban"):
        row = office.locator(f"#by-org-table tr[data-org={code}] .org-hidden")
        assert row.count() == 1 and "๕" in row.inner_text()
    assert office.locator("svg[role=img][aria-label]").count() == 13
    office.screenshot(path=str(ARTIFACTS / "survey-results.png"), full_page=True)

    # A teacher of a school is not shown the district's results.
    teacher = login(browser, base, "jakkrit.h")
    response = teacher.goto(f"{base}/surveys/{survey.pk}/results/")
    assert response is not None and response.status == 404
