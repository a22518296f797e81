"""A teacher writes a story in Thai, attaches a PDF and submits it; two brain-bank
members approve it; it is published and a colleague finds and reads it. The Thai text
typed into the editor comes back byte for byte."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from platu.knowledge.models import Attachment, Item
from platu.orgs.models import Organisation
from tests.knowledge.files import pdf_bytes

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-results"
PASSWORD = "ปลาทู-ทดสอบ-เบราว์เซอร์"
TITLE = "เรื่องเล่าครูผู้ใหญ่บ้าน: น้ำไม่ท่วมโรงเรียนอีกแล้ว"
PARAGRAPH = "ผู้ใหญ่บ้านกับครูช่วยกันขุดลอกคูน้ำ ก่อนฤดูฝนปี ๒๕๖๘ เด็ก ๆ ได้เรียนครบทุกวัน ฯลฯ"


def login(browser: Any, base: str, username: str) -> Any:
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("text=ยินดีต้อนรับ")
    return page


def test_write_vet_publish_find_in_thai(live_server: Any, browser: Any, settings: Any, transactional_db: Any,
                                       tmp_path: Path) -> None:  # fmt: skip
    settings.PLATU_DEMO_PASSWORD = PASSWORD
    call_command("platu_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    Organisation.objects.filter(code="snk-pesa1").update(review_quorum=2)
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url

    # The author writes in the editor.
    author = login(browser, base, "aekkachai.m")
    author.goto(base + "/knowledge/new/?kind=story")
    author.wait_for_selector(".ql-editor")
    assert "บริบท" in author.inner_text(".ql-editor")  # the story template
    author.fill("#id_title", TITLE)
    editor = author.locator(".ql-editor")
    editor.click()
    author.keyboard.press("Control+A")
    author.keyboard.press("Delete")
    # Backspace removes one mark, not the whole syllable.
    author.keyboard.type("กิ่ง")
    author.keyboard.press("Backspace")
    assert editor.inner_text().strip() == "กิ่"
    author.keyboard.press("Backspace")
    assert editor.inner_text().strip() == "กิ"
    author.keyboard.press("Backspace")
    author.keyboard.press("Backspace")
    author.keyboard.type(PARAGRAPH)
    author.wait_for_function("() => document.getElementById('autosave-status').textContent.length > 0")
    author.fill("#id_tags", "น้ำท่วม, ชุมชน")
    author.select_option("#id_visibility", "organisation")
    author.screenshot(path=str(ARTIFACTS / "knowledge-editor.png"), full_page=True)
    author.click("#save-item")
    author.wait_for_selector(f"h1:has-text('{TITLE}')")
    item = Item.objects.get(title=TITLE)
    assert item.body_text == PARAGRAPH  # byte for byte
    assert unicodedata.is_normalized("NFC", item.body_text)

    # A PDF, then submit.
    pdf = tmp_path / "แผนผังคูน้ำ.pdf"
    pdf.write_bytes(pdf_bytes("flood plan"))
    author.set_input_files("#id_file", str(pdf))
    author.click("button:has-text('แนบ')")
    author.wait_for_selector("#files >> text=แผนผังคูน้ำ.pdf")
    author.click("button:has-text('ส่งเข้ากลั่นกรอง')")
    author.wait_for_selector("text=ส่งแล้ว แจ้งคณะกรรมการคลังสมองแล้ว")

    # Two members of the brain bank approve.
    for reviewer in ("ampai.k", "natthapong.w"):
        page = login(browser, base, reviewer)
        page.goto(base + "/knowledge/mine/")
        page.click(f"#to-review >> text={TITLE}")
        page.wait_for_selector("#vote-form")
        page.check("#vote-form input[value=approve]")
        page.fill("#id_vote_comment", "เห็นชอบ เป็นตัวอย่างที่ดีของการทำงานกับชุมชน")
        page.click("#vote-form button")
        page.wait_for_selector("text=บันทึกมติของคุณแล้ว")
        page.context.close()
    item.refresh_from_db()
    assert item.state == "approved"

    # The author publishes (the notification leads there).
    author.goto(base + "/notifications/")
    author.click("text=คณะกรรมการคลังสมองเห็นชอบแล้ว")
    author.click("button:has-text('เผยแพร่')")
    author.wait_for_selector("text=เผยแพร่แล้ว ผู้อ่านค้นพบได้ในคลังความรู้")
    author.context.close()

    # A colleague finds it in the repository and reads it.
    reader = login(browser, base, "sunisa.b")
    reader.goto(base + "/knowledge/")
    reader.fill("#id_q", "ผู้ใหญ่บ้าน")
    reader.click("#repo-filter button")
    reader.click(f"text={TITLE}")
    reader.wait_for_selector("#item-body")
    assert reader.inner_text("#item-body").strip() == PARAGRAPH
    download_link = reader.locator("#files a:has-text('แผนผังคูน้ำ.pdf')")
    with reader.expect_download() as info:
        download_link.click()
    assert Path(info.value.path()).read_bytes() == pdf.read_bytes()
    assert Attachment.objects.get(item=item).name == "แผนผังคูน้ำ.pdf"
    reader.screenshot(path=str(ARTIFACTS / "knowledge-item.png"), full_page=True)
    reader.context.close()
