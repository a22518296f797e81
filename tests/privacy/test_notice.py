"""The privacy notice: nothing is asked while none is published; once published, a signed-in person
is sent to it first and back where they were going; a new version asks again."""

from __future__ import annotations

from types import SimpleNamespace

from django.urls import reverse

from platu.audit.models import AuditEntry
from platu.privacy import actions
from platu.privacy.models import NoticeAcceptance, PrivacyNotice
from tests.privacy.conftest import client_for


def test_it_asks_nothing_while_no_notice_is_published(pw: SimpleNamespace) -> None:
    assert client_for(pw.member.user).get(reverse("home")).status_code == 200


def test_it_sends_a_person_to_the_notice_and_back(pw: SimpleNamespace) -> None:
    w = pw
    client = client_for(w.staff)
    page = client.post(
        reverse("privacy:notice_edit"), {"title": "ประกาศความเป็นส่วนตัว", "body": "ข้อความ\n\nย่อหน้าที่สอง"}
    )
    assert page.status_code == 302
    notice = PrivacyNotice.current()
    assert notice is not None and notice.version == 1
    member = client_for(w.member.user)  # signs in after the notice is published
    target = reverse("directory")
    response = member.get(target)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("privacy:notice")) and "next=" in response["Location"]
    page = member.get(response["Location"])
    assert "ย่อหน้าที่สอง" in page.content.decode()
    # The log-out and the sign-in pages stay reachable.
    assert member.get(reverse("account_logout")).status_code == 200
    response = member.post(reverse("privacy:notice"), {"next": target})
    assert response.status_code == 302 and response["Location"] == target
    assert member.get(target).status_code == 200
    assert NoticeAcceptance.objects.filter(user=w.member.user, notice=notice).exists()
    assert AuditEntry.objects.filter(action="privacy.acknowledge", actor=w.member.user).exists()
    # A link to another site is not followed.
    response = member.post(reverse("privacy:notice"), {"next": "https://evil.example/"})
    assert response["Location"] == "/"

    # A new version: asked again (at the next sign-in, or when the session compares again).
    actions.publish_notice(acting_user=w.staff, title="ประกาศ", body="ฉบับแก้ไข")
    again = client_for(w.member.user)
    response = again.get(target)
    assert response.status_code == 302 and response["Location"].startswith(reverse("privacy:notice"))
    assert "ฉบับแก้ไข" in again.get(reverse("privacy:notice")).content.decode()


def test_an_htmx_request_is_redirected_by_header(pw: SimpleNamespace) -> None:
    actions.publish_notice(acting_user=pw.staff, title="", body="ข้อความ")
    response = client_for(pw.member.user).get(reverse("directory"), headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Redirect"].startswith(reverse("privacy:notice"))


def test_only_installation_staff_edit_the_notice(pw: SimpleNamespace) -> None:
    for person in (pw.owner, pw.member):
        client = client_for(person.user)
        assert client.get(reverse("privacy:notice_edit")).status_code == 404
        assert client.post(reverse("privacy:notice_edit"), {"body": "x"}).status_code == 404
    assert not PrivacyNotice.objects.exists()


def test_an_empty_notice_is_refused_with_a_message(pw: SimpleNamespace) -> None:
    page = client_for(pw.staff).post(reverse("privacy:notice_edit"), {"title": "หัวเรื่องที่พิมพ์ไว้", "body": "  "})
    assert page.status_code == 200 and "หัวเรื่องที่พิมพ์ไว้" in page.content.decode()
    assert not PrivacyNotice.objects.exists()


def test_anyone_reads_the_notice_before_signing_in(pw: SimpleNamespace) -> None:
    from django.test import Client

    actions.publish_notice(acting_user=pw.staff, title="ประกาศ", body="เก็บข้อมูลเท่าที่จำเป็น")
    login = Client().get(reverse("account_login")).content.decode()
    assert reverse("privacy:notice") in login
    page = Client().get(reverse("privacy:notice"))
    assert page.status_code == 200 and "เก็บข้อมูลเท่าที่จำเป็น" in page.content.decode()
    assert 'id="acknowledge"' not in page.content.decode()
    # Acknowledging needs an account: the visitor is sent to sign in, nothing is recorded.
    response = Client().post(reverse("privacy:notice"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert not NoticeAcceptance.objects.exclude(user=pw.staff).exists()  # the publisher read it
