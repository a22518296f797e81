"""A demo user logs in, sees Thai, switches to English and back, and finds a colleague."""

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-results"


def test_a_demo_user_works_in_thai_and_finds_a_colleague(
    live_server: Any, page: Any, settings: Any, transactional_db: Any
) -> None:
    settings.PLATU_DEMO_PASSWORD = "ปลาทู-ทดสอบ-เบราว์เซอร์"
    call_command("platu_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", "somporn.j")
    page.fill("input[name=password]", "ปลาทู-ทดสอบ-เบราว์เซอร์")
    page.click("button[type=submit]")

    # Thai home page, although the browser asks for English.
    page.wait_for_selector("text=ยินดีต้อนรับ")
    assert page.locator("html").get_attribute("lang") == "th"
    assert page.locator("h1").inner_text().startswith("ยินดีต้อนรับ นางสมพร ใจงาม")
    assert "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาศรีนครา เขต 1" in page.content()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home-th.png"), full_page=True)

    # English by the switch, and back.
    page.click("button:has-text('English')")
    page.wait_for_selector("text=Welcome")
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("button:has-text('ภาษาไทย')")
    page.wait_for_selector("text=ยินดีต้อนรับ")

    # The directory: type part of a Thai name, results follow as you type.
    page.click("nav >> text=บุคลากร")
    page.wait_for_selector("h1:has-text('ทำเนียบบุคลากร')")
    page.locator("#directory-q").press_sequentially("พิมพ์ช", delay=60)
    page.wait_for_function(
        "() => document.querySelector('#results').innerText.includes('รุ่งเรือง')"
        " && !document.querySelector('#results').innerText.includes('อำไพ')"
    )
    results = page.locator("#results").inner_text()
    assert "นางสาวพิมพ์ชนก รุ่งเรือง" in results
    assert "q=" in page.url  # the search is in the address, so it can be shared
    page.screenshot(path=str(ARTIFACTS / "directory-th.png"), full_page=True)

    # The person page opens from the result.
    page.click("#results >> text=นางสาวพิมพ์ชนก รุ่งเรือง")
    page.wait_for_selector("h1:has-text('พิมพ์ชนก')")
    assert "นักวิชาการศึกษาชำนาญการ" in page.content()
