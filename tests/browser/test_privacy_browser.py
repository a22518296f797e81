"""PDPA in a browser: a teacher signs in, is shown the privacy notice first, acknowledges it and
lands where they were going; asks for their data and for erasure; the administrator decides it.
Each page is photographed at desktop and phone width (test-results/privacy-*.png)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from platu.accounts.models import User
from platu.orgs.models import Organisation
from platu.privacy import actions
from platu.privacy.models import ErasureRequest
from tests.browser.test_knowledge_browser import ARTIFACTS
from tests.conftest import PASSWORD, make_person

pytestmark = pytest.mark.browser


def _login(browser: Any, base: str, username: str, *, phone: bool = False) -> Any:
    viewport = {"width": 375, "height": 740} if phone else {"width": 1280, "height": 1000}
    context = browser.new_context(locale="th-TH", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(base + "/accounts/login/?next=/people/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def test_notice_my_data_and_erasure_in_a_browser(
    live_server: Any, browser: Any, transactional_db: Any
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    org = Organisation.objects.create(code="school-x", kind="school", name_th="โรงเรียนบ้านทดสอบ")
    teacher = make_person("kru.somsri", "สมศรี", "ตั้งใจสอน", org=org, roles=["member"], title="นาง")
    make_person("director", "ประเสริฐ", "นำพา", org=org, roles=["ceo"])
    staff = User.objects.create_user("dpo-staff", "dpo@example.go.th", PASSWORD, is_staff=True)
    actions.publish_notice(acting_user=staff, title="ประกาศความเป็นส่วนตัว",
                           body="ปทุเก็บชื่อ ตำแหน่ง และความรู้ที่ท่านเขียน\n\nท่านขอรับสำเนาหรือขอลบข้อมูลได้")  # fmt: skip

    for phone in (False, True):
        page = _login(browser, base, "kru.somsri", phone=phone)
        if not phone:
            assert "/privacy/notice/" in page.url  # the notice comes first
            page.screenshot(path=str(ARTIFACTS / "privacy-notice.png"), full_page=True)
            page.click("#acknowledge")
            page.wait_for_load_state()
            assert page.url.endswith("/people/")
        page.goto(base + reverse("privacy:my_data"))
        page.screenshot(
            path=str(ARTIFACTS / f"privacy-my-data{'-phone' if phone else ''}.png"), full_page=True
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1
        if not phone:
            page.check("#id_confirm")
            page.fill("#id_reason", "ย้ายไปรับราชการที่อื่น")
            page.click("#ask-erasure")
            page.wait_for_load_state()
        page.context.close()
    assert ErasureRequest.objects.filter(user=teacher.user, state="pending").exists()

    for phone in (False, True):
        admin = _login(browser, base, "dpo-staff", phone=phone)
        suffix = "-phone" if phone else ""
        for name in ("requests", "breaches", "settings", "ropa", "notice_edit", "breach_new"):
            admin.goto(base + reverse(f"privacy:{name}"))
            admin.screenshot(path=str(ARTIFACTS / f"privacy-admin-{name}{suffix}.png"), full_page=True)
            assert (
                admin.evaluate("document.documentElement.scrollWidth") <= admin.viewport_size["width"] + 1
            ), name
        if not phone:
            req = ErasureRequest.objects.get(user=teacher.user)
            admin.goto(base + reverse("privacy:decide", args=[req.pk]))
            admin.screenshot(path=str(ARTIFACTS / "privacy-admin-decide.png"), full_page=True)
            admin.click("button[value=approve]")
            admin.wait_for_load_state()
        admin.context.close()
    teacher.refresh_from_db()
    assert teacher.full_name.startswith("อดีตบุคลากร #")
