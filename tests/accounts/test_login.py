from types import SimpleNamespace
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core import mail
from django.test import Client
from django.urls import reverse

from platu.audit.models import AuditEntry
from tests.conftest import PASSWORD


def log_in(client: Client, login: str, password: str) -> Any:
    return client.post(reverse("account_login"), {"login": login, "password": password})


@pytest.mark.parametrize("login", ["owner", "owner@example.go.th", "OWNER@example.go.th"])
def test_it_logs_in_by_username_or_email(client: Client, world: SimpleNamespace, login: str) -> None:
    response = log_in(client, login, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    entry = AuditEntry.objects.get(action="auth.login")
    assert entry.actor == world.owner.user
    assert entry.ip == "127.0.0.1"


def test_a_failed_login_is_audited_and_explained(client: Client, world: SimpleNamespace) -> None:
    response = log_in(client, "owner", "wrong password")
    assert response.status_code == 200
    assert "ไม่ถูกต้อง" in response.content.decode()  # allauth's Thai message
    entry = AuditEntry.objects.get(action="auth.login_failed")
    assert entry.actor is None and entry.actor_repr == "owner"
    assert entry.object_id == str(world.owner.user.pk)


def test_the_sixth_failure_for_one_account_is_refused_however_it_is_named(
    client: Client, world: SimpleNamespace
) -> None:
    for login in ["owner", "owner@example.go.th", "Owner", "owner", "OWNER@example.go.th"]:
        assert "ระงับ" not in log_in(client, login, "not the password").content.decode()
    response = log_in(client, "owner", PASSWORD)  # even the right password, now
    html = response.content.decode()
    assert response.status_code == 200
    assert "5 ครั้งภายใน 30 นาที" in html
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="auth.login_failed").count() == 5
    # Another account is not affected.
    assert log_in(Client(), "member", PASSWORD).status_code == 302


def test_short_and_common_passwords_are_refused(client: Client, world: SimpleNamespace) -> None:
    client.force_login(world.owner.user)
    url = reverse("account_change_password")
    for bad in ["สั้นเกินไป1", "password1234", "12345678901234"]:
        response = client.post(url, {"oldpassword": PASSWORD, "password1": bad, "password2": bad})
        assert response.status_code == 200, bad
        assert 'class="errorlist' in response.content.decode()
    world.owner.user.refresh_from_db()
    assert world.owner.user.check_password(PASSWORD)
    good = "ปลาทูทอดกรอบ-กับน้ำพริก"
    response = client.post(url, {"oldpassword": PASSWORD, "password1": good, "password2": good})
    assert response.status_code == 302
    world.owner.user.refresh_from_db()
    assert world.owner.user.check_password(good)


def test_password_reset_sends_a_link_by_email(client: Client, world: SimpleNamespace) -> None:
    response = client.post(reverse("account_reset_password"), {"email": "member@example.go.th"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["member@example.go.th"]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_totp_two_factor_is_asked_after_the_password(client: Client, world: SimpleNamespace) -> None:
    user = world.owner.user
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    response = log_in(client, "owner", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    import time

    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_public_sign_up_is_closed(client: Client, db: Any) -> None:
    response = client.get(reverse("account_signup"))
    assert "closed" in response.content.decode().lower() or "ปิด" in response.content.decode()


def test_the_login_page_explains_where_accounts_come_from(client: Client, db: Any) -> None:
    html = client.get(reverse("account_login")).content.decode()
    assert reverse("account_signup") not in html
    assert "ทีม KM ของหน่วยงาน" in html
    assert reverse("account_reset_password") in html
