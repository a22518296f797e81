"""The knowledge editor by keyboard, in Thai: template hints vanish when the writer types
and are not saved; the toolbar speaks Thai; Esc (or Ctrl+M, then Tab) leaves the editor."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from platu.knowledge.models import Item
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-results"
HINT = "ที่ไหน เมื่อไร ใครเกี่ยวข้อง"


def open_editor(page: Any, base: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", "member")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(base + "/knowledge/new/?kind=story")
    page.wait_for_selector(".ql-editor")


def test_hints_vanish_and_the_keyboard_leaves_the_editor(
    live_server: Any, page: Any, transactional_db: Any, world: SimpleNamespace
) -> None:
    open_editor(page, live_server.url)
    # Thai toolbar names, no English.
    assert page.get_attribute("button.ql-bold", "aria-label") == "ตัวหนา"
    assert page.get_attribute(".ql-header .ql-picker-label", "aria-label") == "รูปแบบย่อหน้า"
    assert "Normal" not in page.inner_text("#editor-toolbar")
    assert "Esc" in page.inner_text("#editor-keys")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "editor-th.png"))

    # The first hint is greyed text; a click in it and typing replaces it.
    hint = page.locator(".ql-editor p[data-hint]").first
    assert HINT in hint.inner_text()
    hint.click()
    page.keyboard.type("โรงเรียนริมน้ำ")
    first = page.locator(".ql-editor p").first
    assert first.inner_text() == "โรงเรียนริมน้ำ"
    assert first.get_attribute("data-hint") is None
    assert page.locator(".ql-editor p[data-hint]").count() == 3

    # Tab types a tab; Esc moves on to the next field (tags).
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('ql-editor')")
    assert "\t" in first.inner_text()
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.name") == "tags"
    page.keyboard.press("Shift+Tab")  # back to the toolbar's last button
    page.locator(".ql-editor").click()
    # Ctrl+M, then Tab reaches the next field.
    page.keyboard.press("Control+m")
    assert "Tab" in page.inner_text("#editor-mode")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "tags"
    page.keyboard.type("ชุมชน")

    page.fill("#id_title", "น้ำไม่ท่วมโรงเรียน")
    page.click("#save-item")
    page.wait_for_url("**/knowledge/*/")
    item = Item.objects.get()
    assert "โรงเรียนริมน้ำ" in item.body
    assert HINT not in item.body and "data-hint" not in item.body
    assert list(item.tags.values_list("name", flat=True)) == ["ชุมชน"]
