"""Monitoring at 6 months, walked in Chromium: the KM lead opens the round, two responsible
teachers enter progress with evidence (one on a phone), an indicator counts itself from the
demo's sessions, the KM lead checks, the CKO closes the round and the CEO downloads the report;
the district office sees the school's progress; a sibling school gets 404."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from PIL import Image

from platu.lib import thaidate
from platu.tracking.models import Entry, Round
from tests.browser.test_knowledge_browser import ARTIFACTS, PASSWORD, login
from tests.planning.test_documents import pdf_text

pytestmark = pytest.mark.browser


def test_a_six_month_round_from_opening_to_the_ceos_report(
    live_server: Any, browser: Any, settings: Any, transactional_db: Any, tmp_path: Path
) -> None:
    settings.PLATU_DEMO_PASSWORD = PASSWORD
    call_command("platu_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    Round.objects.all().delete()  # the demo's closed round: this walk opens its own
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    from platu.planning.models import Plan

    plan = Plan.objects.get(organisation__code="sch-nongbua", state="approved")
    year = plan.fiscal_year
    rounds_url = f"{base}/orgs/sch-nongbua/plans/{year}/monitoring/"

    lead = login(browser, base, "pranee.k")
    lead.on("dialog", lambda dialog: dialog.accept())
    lead.goto(f"{base}{plan.get_absolute_url()}")
    lead.click("#monitoring-tab")
    lead.select_option("#id_months", "6")
    lead.fill("#id_due_date", f"15/4/{year}")
    lead.click("#open-round button.btn-primary")
    lead.wait_for_selector("#entries")
    row = Round.objects.get()
    assert row.months == 6 and Entry.objects.filter(round=row).count() == plan.activities.count()
    lead.screenshot(path=str(ARTIFACTS / "tracking-round-open.png"), full_page=True)

    # Two responsible teachers enter their progress; one on a phone, with a photo.
    entries = Entry.objects.filter(round=row).select_related("activity").order_by("activity__order")
    first = entries.filter(activity__owners__person__user__username="teerapat.n").first()
    second = entries.filter(activity__owners__person__user__username="natthapong.w").first()
    assert first is not None and second is not None
    teacher = login(browser, base, "teerapat.n")
    teacher.goto(f"{base}/")
    assert first.activity.name in teacher.inner_text("main")  # what waits for him
    teacher.goto(f"{base}/orgs/sch-nongbua/plans/{year}/monitoring/6/entries/{first.pk}/")
    teacher.select_option("#id_status", "in_progress")
    teacher.fill("#id_percent", "130")
    teacher.fill("#id_result_text", "จัดวงเล่าเรื่องแล้ว 2 ครั้ง")
    teacher.click("#entry-form button.btn-primary")
    assert "จำนวนเต็มตั้งแต่ 0 ถึง 100" in teacher.inner_text("main")
    assert teacher.input_value("#id_result_text") == "จัดวงเล่าเรื่องแล้ว 2 ครั้ง"
    teacher.fill("#id_percent", "50")
    teacher.click("#entry-form button.btn-primary")
    teacher.wait_for_selector(".alert-success")
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (90, 140, 200)).save(out, "PNG")
    photo = tmp_path / "วงเล่าเรื่อง.png"
    photo.write_bytes(out.getvalue())
    teacher.set_input_files("#ev-file", str(photo))
    teacher.click("button[value=file]")
    teacher.wait_for_selector("#evidence >> text=วงเล่าเรื่อง.png")

    other = login(browser, base, "natthapong.w")
    other.set_viewport_size({"width": 375, "height": 760})
    other.goto(f"{base}/orgs/sch-nongbua/plans/{year}/monitoring/6/entries/{second.pk}/")
    other.select_option("#id_status", "done")
    other.fill("#id_percent", "100")
    other.fill("#id_result_number", "3")
    other.fill("#id_result_unit", "เรื่อง")
    other.click("#entry-form button.btn-primary")
    other.wait_for_selector(".alert-success")
    other.select_option("#ev-session", index=0)
    other.click("button[value=session]")
    other.wait_for_selector("#evidence .badge")
    other.screenshot(path=str(ARTIFACTS / "tracking-entry-phone.png"), full_page=True)

    # The KM lead checks; the indicator bound to sessions shows what Platu counts so far.
    lead.goto(f"{base}/orgs/sch-nongbua/plans/{year}/monitoring/6/entries/{first.pk}/")
    lead.click("#binding summary")
    lead.select_option("#binding #id_measure", "communities.sessions")
    lead.click("#binding button[value=bind]")
    lead.wait_for_selector("#computed")
    lead.click("#check-entry")
    lead.wait_for_selector("#checked")
    assert "นับโดยปลาทู" in lead.inner_text("#computed")

    # The CKO closes; the indicator is counted and frozen.
    cko = login(browser, base, "kannika.s")
    cko.on("dialog", lambda dialog: dialog.accept())
    cko.goto(rounds_url + "6/")
    cko.click("#close-round")
    cko.wait_for_selector("#round-state >> text=CKO")
    first.refresh_from_db()
    assert first.computed_at is not None and first.computed_value is not None and first.computed_value > 0

    # The CEO acknowledges and downloads the report.
    ceo = login(browser, base, "wichai.p")
    ceo.goto(rounds_url + "6/")
    ceo.fill("#ceo-comment", "รับทราบ ขอให้ขยายผลสู่ชั้น ป.2")
    ceo.click("#acknowledge")
    ceo.wait_for_selector("#round-state >> text=CEO")
    ceo.screenshot(path=str(ARTIFACTS / "tracking-round-closed.png"), full_page=True)
    with ceo.expect_download() as info:
        ceo.click("#round-actions a:has-text('PDF')")
    path = tmp_path / "report.pdf"
    info.value.save_as(path)
    text = pdf_text(path.read_bytes(), tmp_path)
    assert (
        "".join(first.activity.name.split()) in text
        and thaidate.format_date(row.due_date, "full").split()[-1] in text
    )

    # The district office's roll-up shows the school's new progress (one decimal, as the page does).
    from platu.orgs.models import Organisation

    entries_now = list(Entry.objects.filter(round=row).exclude(status="cancelled"))
    progress = sum(e.percent for e in entries_now) / len(entries_now)
    district = login(browser, base, "chaiwat.s")
    district.goto(f"{base}/orgs/snk-pesa1/dashboard/network/")
    school = Organisation.objects.get(code="sch-nongbua").name
    cells = district.locator("tr", has=district.locator(f"th:has-text('{school}')")).first.inner_text()
    shown = f"{progress:.1f}"
    assert shown in cells or thaidate.thai_digits(shown) in cells, (
        progress,
        cells,
    )  # the office may use Thai digits
    district.screenshot(path=str(ARTIFACTS / "tracking-district-rollup.png"), full_page=True)

    # A school of another network: 404 on the round and on an entry.
    sibling = login(browser, base, "jakkrit.h")
    for url in (rounds_url + "6/", f"{rounds_url}6/entries/{first.pk}/"):
        response = sibling.goto(url)
        assert response is not None and response.status == 404
