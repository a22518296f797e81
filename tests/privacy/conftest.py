"""Privacy fixtures: installation staff, and a person with distinctive names to erase."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from platu.accounts.models import User
from tests.conftest import PASSWORD, make_person

FIRST, LAST, USERNAME, EMAIL = "ทดสอบลบ", "สมมุติชื่อ", "zzerase", "zz-erase@example.test"


@pytest.fixture(autouse=True)
def _private_dir(settings: Any, tmp_path: Any) -> None:
    settings.PLATU_PRIVACY_DIR = tmp_path / "private"


@pytest.fixture
def pw(world: SimpleNamespace) -> SimpleNamespace:
    w = world
    w.staff = User.objects.create_user("dpo-admin", "dpo@example.go.th", PASSWORD, is_staff=True)
    w.subject = make_person(USERNAME, FIRST, LAST, org=w.a, roles=["member"], position="ครูผู้ช่วย")
    w.subject.email = EMAIL
    w.subject.phone = "081-234-5678"
    w.subject.save()
    user = w.subject.user
    user.email, user.first_name, user.last_name = EMAIL, FIRST, LAST
    user.save()
    user.emailaddress_set.update(email=EMAIL)
    return w


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client
