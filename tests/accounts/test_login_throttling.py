"""Log-in throttling counts failures, per account and (generously) per address; the address is the
client's, read from X-Forwarded-For only when a trusted proxy sent the request."""

import time
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from platu.accounts.models import User
from platu.audit.models import AuditEntry
from tests.conftest import PASSWORD

PROXY = {"REMOTE_ADDR": "127.0.0.1"}


@pytest.fixture(autouse=True)
def _behind_the_proxy(settings: Any, db: None) -> Any:
    settings.PLATU_TRUSTED_PROXIES = ["127.0.0.1", "::1", "10.0.0.0/8"]
    cache.clear()
    yield
    cache.clear()


def log_in(login: str, password: str, **meta: str) -> Any:
    return Client(**meta).post(reverse("account_login"), {"login": login, "password": password})


def test_a_schools_morning_of_200_log_ins_from_one_address_all_succeed(db: None) -> None:
    User.objects.bulk_create(
        User(username=f"teacher{i}", email=f"teacher{i}@example.go.th") for i in range(200)
    )
    for user in User.objects.filter(username__startswith="teacher"):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    school = {**PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.10"}  # the school's NAT, via our proxy
    started = time.monotonic()
    statuses = [log_in(f"teacher{i}", PASSWORD, **school).status_code for i in range(200)]
    elapsed = time.monotonic() - started
    assert statuses == [302] * 200, {s: statuses.count(s) for s in statuses}
    assert elapsed < 60
    assert AuditEntry.objects.filter(action="auth.login", ip="203.0.113.10").count() == 200


def test_failures_from_one_address_are_refused_after_100_a_minute(world: SimpleNamespace) -> None:
    school = {**PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.20"}
    for i in range(100):
        response = log_in(f"nobody{i}", "wrong", **school)
        assert response.status_code == 200 and "ไม่ถูกต้อง" in response.content.decode(), i
    refused = log_in("owner", PASSWORD, **school)  # even the right password, from there, now
    assert refused.status_code == 200 and "_auth_user_id" not in refused.wsgi_request.session
    # Another school behind the same proxy is not affected.
    assert log_in("owner", PASSWORD, **{**PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}).status_code == 302


def test_a_forged_forwarded_for_from_a_client_is_not_recorded(world: SimpleNamespace) -> None:
    response = log_in("owner", PASSWORD, REMOTE_ADDR="192.0.2.44", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert response.status_code == 302
    assert AuditEntry.objects.get(action="auth.login").ip == "192.0.2.44"


def test_through_the_proxy_the_address_it_saw_is_recorded(world: SimpleNamespace) -> None:
    # The client wrote "1.2.3.4" itself; nginx appended the address it saw, a load balancer of ours
    # (10.0.0.5) appended nginx's.
    forwarded = "1.2.3.4, 198.51.100.9, 10.0.0.5"
    response = log_in("owner", PASSWORD, **PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert response.status_code == 302
    assert AuditEntry.objects.get(action="auth.login").ip == "198.51.100.9"
    log_in("member", "wrong", **PROXY, HTTP_X_FORWARDED_FOR="not-an-address, 198.51.100.9")
    assert AuditEntry.objects.get(action="auth.login_failed").ip == "198.51.100.9"


def test_no_proxy_is_trusted_unless_configured(world: SimpleNamespace, settings: Any) -> None:
    settings.PLATU_TRUSTED_PROXIES = []
    log_in("owner", PASSWORD, **PROXY, HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert AuditEntry.objects.get(action="auth.login").ip == "127.0.0.1"


def test_a_wrong_proxy_setting_is_a_system_check_error(settings: Any) -> None:
    from platu.lib.clientip import check_trusted_proxies

    settings.PLATU_TRUSTED_PROXIES = ["127.0.0.1", "the proxy"]
    assert [e.id for e in check_trusted_proxies()] == ["platu.lib.E001"]
