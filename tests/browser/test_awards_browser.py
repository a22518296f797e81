"""An award round walked in Chromium, from nomination to certificate: the demo school's KM lead
opens a programme with its committee, a teacher nominates a knowledge item and the principal
nominates the teacher, two committee members score on their own (one on a phone), the chair
announces, the winner shows on the school's page under ผลงานเด่น, the winner downloads the
certificate, its public address verifies it without logging in; a teacher of another school
gets 404 on the programme."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from platu.awards import actions
from platu.awards.models import Award, Certificate, Nomination, Programme, Score
from platu.orgs.models import Person
from tests.browser.test_knowledge_browser import ARTIFACTS, PASSWORD, login
from tests.planning.test_documents import pdf_text

pytestmark = pytest.mark.browser
TITLE = "รางวัลนวัตกรรมการสอนดีเด่น ภาคเรียนที่ 2"


def test_an_award_round_from_nomination_to_certificate(
    live_server: Any, browser: Any, settings: Any, transactional_db: Any, tmp_path: Path
) -> None:
    settings.PLATU_DEMO_PASSWORD = PASSWORD
    call_command("platu_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    people = {p.user.username: p for p in Person.objects.filter(user__isnull=False).select_related("user")}

    # The KM lead opens a programme, names the committee and opens it for nominations.
    lead = login(browser, base, "pranee.k")
    lead.on("dialog", lambda dialog: dialog.accept())
    lead.goto(f"{base}/orgs/sch-nongbua/")
    lead.click("#org-awards")
    lead.click("#new-programme")
    lead.fill("#id_title", TITLE)
    lead.fill("#id_nominations_close", "31/2/2570")  # no such day: comes back with what was typed
    lead.click("#programme-form button.btn-primary")
    lead.wait_for_selector("#programme-form .alert-danger")
    assert lead.input_value("#id_title") == TITLE and lead.input_value("#id_nominations_close") == "31/2/2570"
    lead.fill("#id_nominations_close", "")
    lead.click("#programme-form button.btn-primary")
    lead.wait_for_selector("#programme-form .alert-danger")
    assert not Programme.objects.filter(title=TITLE).exists()
    close = timezone.localdate() + dt.timedelta(days=14)
    lead.fill("#id_nominations_close", f"{close.day}/{close.month}/{close.year + 543}")
    lead.click("#programme-form button.btn-primary")
    lead.wait_for_selector("#committee-form")
    programme = Programme.objects.get(title=TITLE)
    assert programme.organisation.code == "sch-nongbua" and programme.state == Programme.State.DRAFT
    lead.select_option("#id_chair", str(people["kannika.s"].pk))
    lead.check(f"#committee-form input[name=members][value='{people['pranee.k'].pk}']")
    lead.check(f"#committee-form input[name=members][value='{people['natthapong.w'].pk}']")
    lead.click("#committee-form button.btn-primary")
    lead.wait_for_selector("#open-programme")
    lead.click("#open-programme")
    lead.wait_for_selector("#nominate")
    programme.refresh_from_db()
    assert programme.state == Programme.State.OPEN
    lead.screenshot(path=str(ARTIFACTS / "awards-programme-open.png"), full_page=True)

    # A teacher nominates a knowledge item of the school, with a file as evidence.
    teacher_person = people["teerapat.n"]
    item = (
        actions.eligible(programme, "item", teacher_person.user)
        .exclude(owner=teacher_person)
        .order_by("pk")
        .first()
    )
    assert item is not None
    teacher = login(browser, base, "teerapat.n")
    teacher.goto(f"{base}{programme.get_absolute_url()}")
    teacher.click("#nominate")
    teacher.select_option("#id_category", label="ผลงานดีเด่น")
    teacher.select_option("#id_nominee", f"item:{item.pk}")
    teacher.fill("#id_statement", "สั้นไป")
    teacher.click("#nomination-form button.btn-primary")
    teacher.wait_for_selector("#nomination-form .alert-danger")
    assert teacher.input_value("#id_nominee") == f"item:{item.pk}"
    evidence = tmp_path / "ผลการใช้นวัตกรรม.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    teacher.fill("#id_statement", "นวัตกรรมนี้ช่วยให้นักเรียนชั้น ป.4 เข้าใจการทดลองวิทยาศาสตร์ผ่านของใช้ในบ้าน ครูในโรงเรียนนำไปใช้แล้วสามห้อง")  # fmt: skip
    teacher.set_input_files("#id_file", str(evidence))
    teacher.click("#nomination-form button.btn-primary")
    teacher.wait_for_selector("#nomination-state")
    assert "ผลการใช้นวัตกรรม.pdf" in teacher.inner_text("#evidence")
    work = Nomination.objects.get(programme=programme, item=item)
    assert work.kind == Nomination.Kind.PEER

    # The principal nominates the teacher, on a phone.
    principal = login(browser, base, "wichai.p")
    principal.set_viewport_size({"width": 375, "height": 760})
    principal.goto(f"{base}/awards/{programme.pk}/nominate/")
    principal.select_option("#id_category", label="บุคคลต้นแบบด้านการจัดการความรู้")
    principal.select_option("#id_nominee", f"person:{teacher_person.pk}")
    principal.fill("#id_statement", "ครูธีรภัทรเป็นแกนนำวง PLC วิทยาศาสตร์ ถอดบทเรียนและแบ่งปันความรู้ให้เพื่อนครูทุกเดือน")
    principal.click("#nomination-form button.btn-primary")
    principal.wait_for_selector("#nomination-state")
    principal.screenshot(path=str(ARTIFACTS / "awards-nomination-phone.png"), full_page=True)
    person_nomination = Nomination.objects.get(programme=programme, person=teacher_person)
    assert person_nomination.kind == Nomination.Kind.HEAD

    # The chair sees what waits for her, accepts a nomination and closes the nominations.
    chair = login(browser, base, "kannika.s")
    chair.on("dialog", lambda dialog: dialog.accept())
    chair.goto(f"{base}/")
    assert TITLE in chair.inner_text("main")
    chair.goto(f"{base}{person_nomination.get_absolute_url()}")
    chair.click("#accept")
    chair.wait_for_selector("#nomination-state")
    person_nomination.refresh_from_db()
    assert person_nomination.state == Nomination.State.ACCEPTED
    chair.goto(f"{base}{programme.get_absolute_url()}")
    chair.click("#close-nominations")
    chair.wait_for_selector("#announce-results")
    programme.refresh_from_db()
    assert programme.state == Programme.State.SCORING

    # Two members score on their own; the second sees nothing of the first's.
    lead.goto(f"{base}/")
    assert TITLE in lead.inner_text("main")  # scoring to do
    lead.goto(f"{base}/awards/{programme.pk}/scores/")
    for select in lead.query_selector_all("#score-form select"):
        select.select_option("5")
    lead.click("#save-scores")
    lead.wait_for_selector("#my-progress.alert-success")
    other = login(browser, base, "natthapong.w")
    other.set_viewport_size({"width": 375, "height": 760})
    other.goto(f"{base}/awards/{programme.pk}/scores/")
    selects = other.query_selector_all("#score-form select")
    assert selects and all(s.input_value() == "" for s in selects)
    for i, select in enumerate(selects):
        select.select_option("3" if i % 2 else "5")
    other.click("#save-scores")
    other.wait_for_selector("#my-progress.alert-success")
    other.screenshot(path=str(ARTIFACTS / "awards-scores-phone.png"), full_page=True)
    assert set(Score.objects.filter(nomination__programme=programme).values_list("scorer__user__username", flat=True)) == {
        "pranee.k", "natthapong.w"
    }  # fmt: skip

    # The chair announces: frozen, with certificates.
    chair.goto(f"{base}{programme.get_absolute_url()}")
    chair.click("#announce-results")
    chair.wait_for_selector("#results")
    programme.refresh_from_db()
    assert programme.state == Programme.State.ANNOUNCED
    assert {a.nomination_id for a in Award.objects.filter(programme=programme)} == {
        work.pk,
        person_nomination.pk,
    }
    chair.screenshot(path=str(ARTIFACTS / "awards-results.png"), full_page=True)

    # The winner shows on the school's page under ผลงานเด่น.
    teacher.goto(f"{base}/orgs/sch-nongbua/")
    winners = teacher.inner_text("#org-winners")
    assert "ผลงานเด่น" in winners and TITLE in winners and teacher_person.full_name in winners
    teacher.screenshot(path=str(ARTIFACTS / "awards-org-page.png"), full_page=True)

    # The winner downloads the certificate.
    award = Award.objects.get(nomination=person_nomination)
    cert = Certificate.objects.get(award=award)
    teacher.goto(f"{base}{programme.get_absolute_url()}")
    with teacher.expect_download() as info:
        teacher.click(f"#award-{award.pk} .certificates a:has-text('PDF')")
    path = tmp_path / "certificate.pdf"
    info.value.save_as(path)
    text = pdf_text(path.read_bytes(), tmp_path)
    day = cert.issued_on
    from platu.lib import thaidate

    for expected in ("โรงเรียนบ้านหนองบัวทอง", "เกียรติบัตร", "ขอมอบเกียรติบัตรฉบับนี้ให้ไว้เพื่อแสดงว่า",
                     teacher_person.full_name, "รางวัลชนะเลิศ", "บุคคลต้นแบบด้านการจัดการความรู้", TITLE,
                     f"ให้ไว้ ณ วันที่ {day.day} {thaidate.MONTHS_FULL[day.month - 1]} พ.ศ. {day.year + 543}",
                     "(นายวิชัย พรมมา)", "ผู้อำนวยการโรงเรียนบ้านหนองบัวทอง", cert.code):  # fmt: skip
        assert "".join(expected.split()) in text, expected

    # The public address verifies it, without logging in.
    context = browser.new_context(locale="th-TH")
    anonymous = context.new_page()
    response = anonymous.goto(f"{base}/awards/verify/{cert.code}/")
    assert response is not None and response.status == 200
    assert anonymous.get_attribute("#validity", "data-state") == "valid"
    assert teacher_person.full_name in anonymous.inner_text("#v-winner")
    assert "โรงเรียนบ้านหนองบัวทอง" in anonymous.inner_text("#v-org")
    assert "รางวัลชนะเลิศ" in anonymous.inner_text("#v-award")
    assert str(day.year + 543) in anonymous.inner_text("#v-date")
    anonymous.screenshot(path=str(ARTIFACTS / "awards-verify.png"), full_page=True)
    context.close()

    # A teacher of another school: 404 on the programme and its nominations.
    sibling = login(browser, base, "jakkrit.h")
    for url in (programme.get_absolute_url(), work.get_absolute_url(), f"/awards/{programme.pk}/scores/"):
        response = sibling.goto(f"{base}{url}")
        assert response is not None and response.status == 404
