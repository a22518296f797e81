"""A facilitator starts a PLC and schedules a weekly series; a teacher joins, answers for the
whole series and checks in by the QR link on a phone; the facilitator writes the AAR and turns
it into a knowledge draft; the principal signs the record off; the teacher downloads the
logbook PDF; a teacher of another school gets 404."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from platu.communities.models import Attendance, Community, Session, SessionRecord
from tests.browser.test_knowledge_browser import ARTIFACTS, PASSWORD, login
from tests.communities.test_communities import _now_slot

pytestmark = pytest.mark.browser


def test_a_plc_from_start_to_logbook(
    live_server: Any, browser: Any, settings: Any, transactional_db: Any, tmp_path: Path
) -> None:
    settings.PLATU_DEMO_PASSWORD = PASSWORD
    call_command("platu_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url

    lead = login(browser, base, "pranee.k")
    lead.on("dialog", lambda dialog: dialog.accept())
    lead.goto(f"{base}/orgs/sch-nongbua/communities/new/")
    lead.fill("#id_name", "PLC ครูวิทยาศาสตร์ ป.4–6")
    lead.select_option("#id_kind", "plc")
    lead.fill("#id_purpose", "ออกแบบการทดลองวิทยาศาสตร์ที่นักเรียนลงมือทำ")
    lead.click("form button.btn-primary")
    lead.wait_for_selector("#schedule")
    community = Community.objects.get(name="PLC ครูวิทยาศาสตร์ ป.4–6")
    lead.click("#schedule")
    slot = _now_slot()  # check-in opens an hour before a session: the first one is now
    lead.fill("#id_title", "วง PLC วิทยาศาสตร์")
    lead.fill("#id_day", slot["day"])
    lead.fill("#id_start", slot["start"])
    lead.fill("#id_end", slot["end"])
    lead.select_option("#id_rule", "weekly")
    lead.fill("#id_until", slot["until"])
    lead.click("form button.btn-primary")
    lead.wait_for_selector("#checkin-code svg")
    assert Session.objects.filter(community=community).count() == 5
    first = Session.objects.filter(community=community).order_by("starts_at").first()
    lead.goto(f"{base}{first.get_absolute_url()}")
    checkin_link = lead.get_attribute("#checkin-link", "href")
    lead.screenshot(path=str(ARTIFACTS / "community-session.png"), full_page=True)

    teacher = login(browser, base, "teerapat.n")
    teacher.goto(f"{base}{community.get_absolute_url()}")
    teacher.click("#join")
    teacher.wait_for_selector("#my-membership >> text=ออกจากชุมชน")
    teacher.goto(f"{base}{first.get_absolute_url()}")
    teacher.click("#rsvp button[value=going]")
    teacher.wait_for_selector("#rsvp button[aria-pressed=true]")
    # On a phone: the QR code opens the check-in page.
    teacher.set_viewport_size({"width": 375, "height": 740})
    teacher.goto(checkin_link)
    teacher.screenshot(path=str(ARTIFACTS / "community-checkin-phone.png"), full_page=True)
    teacher.click("#check-in")
    teacher.wait_for_selector("#session-state")
    assert Attendance.objects.get(session=first, person__user__username="teerapat.n").method == "qr"

    # The facilitator writes the AAR and makes a knowledge draft of it.
    lead.goto(f"{base}/sessions/{first.pk}/record/")
    lead.fill("#id_topic", "นักเรียนตั้งสมมติฐานไม่เป็น")
    lead.fill("#id_aar_next", "ใช้คำถามชวนคิดก่อนทดลองทุกครั้ง")
    lead.click("#record-form button.btn-primary")
    lead.wait_for_selector("#to-knowledge")
    lead.click("#to-knowledge")
    lead.wait_for_selector("#from-session")
    record = SessionRecord.objects.get(session=first)
    assert record.items.count() == 1

    # The principal signs it off; the teacher downloads the logbook.
    principal = login(browser, base, "wichai.p")
    principal.on("dialog", lambda dialog: dialog.accept())
    principal.goto(f"{base}/sessions/{first.pk}/record/")
    principal.click("#sign")
    principal.wait_for_selector("#signed")
    teacher.set_viewport_size({"width": 1280, "height": 1000})
    teacher.goto(f"{base}/communities/hours/")
    assert "วง PLC วิทยาศาสตร์" in teacher.inner_text("main")
    with teacher.expect_download() as info:
        teacher.click("#logbook-documents a:has-text('PDF')")
    path = tmp_path / "logbook.pdf"
    info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    teacher.screenshot(path=str(ARTIFACTS / "community-logbook.png"), full_page=True)

    # A teacher of another school: 404.
    other = login(browser, base, "jakkrit.h")
    response = other.goto(f"{base}{community.get_absolute_url()}")
    assert response is not None and response.status == 404
