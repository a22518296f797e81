"""A teacher types a Thai word into the search box, sees suggestions as she types, searches,
and opens a result with the word marked in the text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tests.browser.test_knowledge_browser import ARTIFACTS, PASSWORD, login

pytestmark = pytest.mark.browser


def test_type_thai_see_suggestions_open_result_highlighted(
    live_server: Any, browser: Any, settings: Any, transactional_db: Any, tmp_path: Path
) -> None:
    settings.PLATU_DEMO_PASSWORD = PASSWORD
    call_command("platu_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    page = login(browser, base, "sunisa.b")
    page.goto(base + "/search/")
    box = page.locator("#search-q")
    box.click()
    box.press_sequentially("ผู้ปก", delay=60)
    suggestion = page.locator("#search-suggestions a.suggestion").first
    suggestion.wait_for()
    assert "ผู้ปก" in page.inner_text("#search-suggestions")
    page.screenshot(path=str(ARTIFACTS / "search-suggestions.png"))
    box.press_sequentially("ครอง", delay=60)
    box.press("Enter")
    page.wait_for_selector("article.search-hit")
    assert page.locator("article.search-hit mark").first.inner_text() == "ผู้ปกครอง"
    page.screenshot(path=str(ARTIFACTS / "search-results.png"), full_page=True)
    # The word is found inside running Thai text, not only at spaces.
    page.locator("article.search-hit h2 a").first.click()
    page.wait_for_selector("#item-body mark.search-mark")
    marks = page.locator("#item-body mark.search-mark, #item-title mark.search-mark").all_inner_texts()
    assert marks and set(marks) == {"ผู้ปกครอง"}
    page.screenshot(path=str(ARTIFACTS / "search-opened.png"))
    # Keyboard: the suggestions can be walked with the arrow keys.
    page.goto(base + "/search/")
    page.locator("#search-q").press_sequentially("ครู", delay=60)
    page.locator("#search-suggestions a.suggestion").first.wait_for()
    page.locator("#search-q").press("ArrowDown")
    focused = page.evaluate("document.activeElement.classList.contains('suggestion')")
    assert focused
    # Tab past the box closes the list: it would cover the tabs below it.
    page.locator("#search-q").press("Escape")
    page.locator("#search-q").press_sequentially("ชุมชน", delay=60)
    page.locator("#search-suggestions a.suggestion").first.wait_for()
    page.locator("#search-q").press("Tab")
    page.wait_for_function("document.getElementById('search-suggestions').children.length === 0")
    # On a phone the results come before the filters.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + "/search/?q=" + "ผู้ปกครอง")
    first_hit = page.locator("article.search-hit").first.bounding_box()
    filters = page.locator("aside").first.bounding_box()
    assert first_hit and filters and first_hit["y"] < filters["y"]
    page.screenshot(path=str(ARTIFACTS / "search-phone.png"), full_page=True)
