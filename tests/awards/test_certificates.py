"""Issue 19 part 7: certificates as PDF in the official Thai layout, verifiable at a public
address (valid / revoked) without logging in, with an Open Badges 3.0 credential; and part 6's
forwarding of a winner to the open programme of the organisation above."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from platu.audit.models import AuditEntry
from platu.awards import actions
from platu.awards.models import Award, Category, Certificate, Nomination, NominationFile, Programme
from platu.lib.errors import InvalidAction
from platu.orgs.models import Organisation
from tests.awards.conftest import client_for, programme_data
from tests.awards.test_nominations import STATEMENT, _png
from tests.planning.test_documents import pdf_text


@pytest.fixture
def won(aw: SimpleNamespace, open_programme: Programme) -> SimpleNamespace:
    person = Category.objects.get(programme=open_programme, kind="person")
    work = Category.objects.get(programme=open_programme, kind="work")
    aw.n1 = actions.nominate(open_programme, person, "person", aw.teacher, STATEMENT, acting_user=aw.owner.user,
                             files=[SimpleUploadedFile("หลักฐาน.png", _png())])  # fmt: skip
    aw.n2 = actions.nominate(open_programme, work, "item", aw.item, STATEMENT, acting_user=aw.teacher.user)
    actions.close_nominations(open_programme, acting_user=aw.lead.user)
    for n in (aw.n1, aw.n2):
        actions.save_scores(open_programme, {(n.pk, c.pk): 5 for c in open_programme.criteria.all()},
                            acting_user=aw.judge1.user)  # fmt: skip
    actions.announce(open_programme, acting_user=aw.chair.user)
    aw.programme = open_programme
    aw.award = Award.objects.get(nomination=aw.n1)
    aw.cert = Certificate.objects.get(award=aw.award)
    return aw


def test_the_winner_downloads_the_certificate_in_the_thai_layout(
    won: SimpleNamespace, tmp_path: Path
) -> None:
    w = won
    url = reverse("awards:certificate_pdf", args=[w.programme.pk, w.cert.pk])
    response = client_for(w.teacher).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    day = w.cert.issued_on
    from platu.lib import thaidate

    for expected in (w.a.name_th, "เกียรติบัตร", "ขอมอบเกียรติบัตรฉบับนี้ให้ไว้เพื่อแสดงว่า", w.teacher.full_name,
                     "ได้รับรางวัลชนะเลิศประเภทบุคคลต้นแบบด้านการจัดการความรู้", w.programme.title,
                     f"ให้ไว้ณวันที่{day.day}{thaidate.MONTHS_FULL[day.month - 1]}พ.ศ.{day.year + 543}",
                     f"({w.owner.full_name})".replace(" ", ""), w.owner.position, w.cert.code):  # fmt: skip
        assert expected.replace(" ", "") in text, expected
    assert AuditEntry.objects.filter(action="awards.certificate", object_id=str(w.cert.pk)).exists()
    assert client_for(w.outsider).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page


def test_thai_digits_on_the_certificate(won: SimpleNamespace, tmp_path: Path) -> None:
    Organisation.objects.filter(pk=won.a.pk).update(thai_digits=True)
    url = reverse("awards:certificate_pdf", args=[won.programme.pk, won.cert.pk])
    text = pdf_text(client_for(won.teacher).get(url).content, tmp_path)
    assert "พ.ศ.๒๕" in text and won.cert.code in text


def test_the_public_verification_page_and_the_open_badge(won: SimpleNamespace) -> None:
    w = won
    anonymous = Client()
    page = anonymous.get(reverse("awards:verify", args=[w.cert.code]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-state="valid"' in html and w.teacher.full_name in html and w.a.name_th in html
    assert "รางวัลชนะเลิศ" in html and "บุคคลต้นแบบด้านการจัดการความรู้" in html
    assert anonymous.get(reverse("awards:verify", args=["nosuchcode123"])).status_code == 404
    assert anonymous.get("/awards/verify/a%27b/").status_code == 404
    badge = json.loads(anonymous.get(reverse("awards:badge", args=[w.cert.code])).content)
    assert badge["@context"] == ["https://www.w3.org/ns/credentials/v2",
                                 "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]  # fmt: skip
    assert badge["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert badge["issuer"]["name"] == w.a.name_th and badge["issuer"]["url"].endswith(f"/orgs/{w.a.code}/")
    assert badge["credentialSubject"]["achievement"]["name"] == "รางวัลชนะเลิศ บุคคลต้นแบบด้านการจัดการความรู้"
    assert "มีผลต่อผู้เรียน" in badge["credentialSubject"]["achievement"]["criteria"]["narrative"]
    assert badge["validFrom"].startswith(w.cert.issued_on.isoformat())
    # Revoked by a manager, with a reason: the page says so.
    action = reverse("awards:programme_action", args=[w.programme.pk])
    client_for(w.member).post(action, {"op": "revoke", "certificate": w.cert.pk, "reason": "ผิดคน"})
    w.cert.refresh_from_db()
    assert w.cert.revoked_at is None
    client_for(w.lead).post(action, {"op": "revoke", "certificate": w.cert.pk, "reason": "ผลงานซ้ำกับผู้อื่น"})
    w.cert.refresh_from_db()
    assert w.cert.revoked_at is not None
    html = anonymous.get(reverse("awards:verify", args=[w.cert.code])).content.decode()
    assert 'data-state="revoked"' in html and "ผลงานซ้ำกับผู้อื่น" in html
    assert "validUntil" in json.loads(anonymous.get(reverse("awards:badge", args=[w.cert.code])).content)


def test_an_item_award_gives_its_authors_certificates(won: SimpleNamespace) -> None:
    award = Award.objects.get(nomination=won.n2)
    assert award.winner_name == won.member.full_name and award.work_title == won.item.title
    assert [c.person_id for c in Certificate.objects.filter(award=award)] == [won.member.pk]


def test_a_winner_is_forwarded_to_the_districts_open_programme(won: SimpleNamespace) -> None:
    w = won
    from tests.conftest import make_person

    office_lead = make_person("officelead", "สมพร", "ใจงาม", org=w.parent, roles=["km_lead"], title="นาง")
    district = actions.create_programme(w.parent, programme_data(title="รางวัลระดับเขต", level="district"),
                                        categories=[("person", 3)], criteria=[("ก", 1)],
                                        acting_user=office_lead.user)  # fmt: skip
    actions.set_committee(district, [], w.supervisor, acting_user=office_lead.user)
    page = client_for(w.lead).get(w.programme.get_absolute_url()).content.decode()
    assert "forward-form" not in page  # the district's programme is still a draft
    actions.open_programme(district, acting_user=office_lead.user)
    page = client_for(w.lead).get(w.programme.get_absolute_url()).content.decode()
    assert "forward-form" in page and "รางวัลระดับเขต" in page
    assert "forward-form" not in client_for(w.teacher).get(w.programme.get_absolute_url()).content.decode()
    action = reverse("awards:programme_action", args=[w.programme.pk])
    client_for(w.teacher).post(action, {"op": "forward", "award": w.award.pk, "programme": district.pk})
    assert not Nomination.objects.filter(programme=district).exists()
    client_for(w.lead).post(action, {"op": "forward", "award": w.award.pk, "programme": district.pk})
    row = Nomination.objects.get(programme=district)
    assert (row.kind, row.target, row.person_id, row.forwarded_from_id, row.nominator_id) == (
        "forwarded", "person", w.teacher.pk, w.award.pk, w.lead.pk
    )  # fmt: skip
    assert row.statement.startswith(STATEMENT) and "รางวัลชนะเลิศ" in row.statement
    copied = NominationFile.objects.get(nomination=row)
    original = NominationFile.objects.get(nomination=w.n1)
    assert copied.name == "หลักฐาน.png" and copied.sha256 == original.sha256 and copied.uid != original.uid
    assert copied.file.read() == _png()
    with pytest.raises(InvalidAction):
        actions.forward(w.award, district, acting_user=w.lead.user)
    # The district's chair sees it, marked as forwarded from the school's round.
    page = client_for(w.supervisor).get(row.get_absolute_url()).content.decode()
    assert 'id="forwarded-from"' in page and w.programme.title in page
    # A work award has no matching category at the district.
    with pytest.raises(InvalidAction):
        actions.forward(Award.objects.get(nomination=w.n2), district, acting_user=w.lead.user)


def test_the_programme_page_shows_results_to_readers(won: SimpleNamespace) -> None:
    page = client_for(won.member).get(won.programme.get_absolute_url()).content.decode()
    assert 'id="results"' in page and won.teacher.full_name in page
    assert client_for(won.outsider).get(won.programme.get_absolute_url()).status_code == 404
    # A winner's nomination is readable by the programme's readers after the announcement.
    assert client_for(won.judge2).get(won.n1.get_absolute_url()).status_code == 200
    page = client_for(won.member).get(won.n1.get_absolute_url())
    assert page.status_code == 200 and "หลักฐาน.png" not in page.content.decode()
    # Its evidence stays with the people involved and the committee.
    evidence = NominationFile.objects.get(nomination=won.n1).get_absolute_url()
    assert client_for(won.member).get(evidence).status_code == 404
    assert client_for(won.judge2).get(evidence).status_code == 200
