"""Under the Content-Security-Policy the pages still work in Chromium, and the browser reports no
violation: the shell, the editor (Quill, autosave), search suggestions, the directory's live
results, a team page and the API's Swagger UI."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from platu.orgs.models import Team

pytestmark = pytest.mark.browser

PASSWORD = "ปลาทู-ทดสอบ-เบราว์เซอร์"
# Registered before any page script runs; the browser's own report of each refusal.
COLLECT = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def test_pages_work_with_no_csp_violation(
    live_server: Any, browser: Any, settings: Any, transactional_db: Any
) -> None:
    settings.PLATU_DEMO_PASSWORD = PASSWORD
    call_command("platu_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    base = live_server.url
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 1000})
    context.add_init_script(COLLECT)
    page = context.new_page()
    page.set_default_timeout(15_000)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    violations: list[str] = []

    def visit(path: str, ready: str) -> None:
        page.goto(base + path)
        page.wait_for_selector(ready)
        violations.extend(f"{path}: {v}" for v in page.evaluate("window.__csp"))

    visit("/accounts/login/", "input[name=login]")
    page.fill("input[name=login]", "aekkachai.m")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("text=ยินดีต้อนรับ")
    violations.extend(f"/: {v}" for v in page.evaluate("window.__csp"))

    # The editor: Quill runs, and typing autosaves through fetch.
    visit("/knowledge/new/?kind=story", ".ql-editor")
    page.fill("input[name=title]", "ทดสอบนโยบายความปลอดภัย")
    page.click(".ql-editor")
    page.keyboard.type("ข้อความทดลอง")
    page.wait_for_selector("text=บันทึกร่างอัตโนมัติ", timeout=20_000)
    violations.extend(f"editor: {v}" for v in page.evaluate("window.__csp"))

    # Search suggestions (htmx) and the directory's live results.
    visit("/search/", "#search-q")
    page.locator("#search-q").press_sequentially("ครู", delay=60)
    page.locator("#search-suggestions a.suggestion").first.wait_for()
    visit("/people/", "#directory-q")
    page.locator("#directory-q").press_sequentially("สม", delay=60)
    page.wait_for_function("() => document.querySelector('#results').innerText.length > 0")
    violations.extend(f"htmx: {v}" for v in page.evaluate("window.__csp"))

    # A team page (its print button is wired by shell.js, not onclick).
    team = Team.objects.select_related("organisation").first()
    assert team is not None
    visit(f"/orgs/{team.organisation.code}/teams/{team.pk}/", "h1")

    # Swagger UI draws the API from Platu's own static files.
    visit("/api/v1/docs", ".swagger-ui .info .title")
    assert "Platu API" in page.inner_text(".swagger-ui .info .title")

    context.close()
    assert violations == []
    assert console == []
