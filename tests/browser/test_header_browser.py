"""The header at 200% text and at phone width: the search box keeps room for a question and
the organisation's name stays on one line (never broken inside a Thai word)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-results"
LONG_NAME = "โรงเรียนบ้านหนองบัวพิทยาคมสามัคคีวิทยาประชาสรรค์"

MEASURE = """() => {
  const box = document.querySelector('#nav-search').getBoundingClientRect();
  const name = document.querySelector('.platu-nav .navbar-text');
  const style = getComputedStyle(name);
  const text = document.createRange();
  text.selectNodeContents(name);
  const tops = new Set(Array.from(text.getClientRects()).map((r) => Math.round(r.top)));
  return {
    search: box.width,
    rem: parseFloat(getComputedStyle(document.documentElement).fontSize),
    nameLines: tops.size,
    nameFits: name.scrollWidth <= name.clientWidth || style.textOverflow === 'ellipsis',
    overflow: Math.max(...Array.from(document.querySelectorAll('header *'))
      .filter((el) => el.getClientRects().length)
      .map((el) => el.getBoundingClientRect().right)) - document.documentElement.clientWidth,
  };
}"""


def login(browser: Any, base: str, width: int, height: int) -> Any:
    context = browser.new_context(locale="th-TH", viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", "member")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#nav-search", state="attached")
    return page


def check(page: Any, name: str) -> None:
    m = page.evaluate(MEASURE)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"header-{name}.png"))
    assert m["search"] >= 7.5 * m["rem"] / 2, m  # room for a question, not two characters
    assert m["nameLines"] == 1, m  # one line
    assert m["nameFits"], m
    assert m["overflow"] <= 1, m  # nothing of the header off the screen


def test_the_header_at_200_percent_text(live_server: Any, browser: Any, transactional_db: Any,
                                        world: SimpleNamespace) -> None:  # fmt: skip
    world.a.name_th = LONG_NAME
    world.a.save()
    page = login(browser, live_server.url, 1280, 900)
    page.add_style_tag(content="html, html.text-normal { font-size: 200% !important; }")
    page.wait_for_timeout(100)
    check(page, "200")
    page.context.close()


def test_the_header_on_a_phone(live_server: Any, browser: Any, transactional_db: Any,
                               world: SimpleNamespace) -> None:  # fmt: skip
    world.a.name_th = LONG_NAME
    world.a.save()
    page = login(browser, live_server.url, 375, 800)
    page.click(".navbar-toggler")
    page.wait_for_selector("#nav-search", state="visible")
    page.wait_for_timeout(400)  # the menu's opening transition
    check(page, "375")
    page.add_style_tag(content="html, html.text-normal { font-size: 200% !important; }")
    page.wait_for_timeout(100)
    check(page, "375-200")
    page.context.close()
