"""Thai mode says nothing in English: validation messages, buttons, labels, error pages
and the admin's model names."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from tests.knowledge.conftest import client_for, make_item, publish
from tests.knowledge.test_editing import form_data

pytestmark = pytest.mark.django_db


def test_it_says_validation_errors_in_plain_thai(kw: SimpleNamespace) -> None:
    client = client_for(kw.member)
    page = client.post("/knowledge/new/", form_data(title="ก" * 301, kind="nope")).content.decode()
    assert "ยาวได้ไม่เกิน 300 ตัวอักษร (ตอนนี้มี 301 ตัวอักษร)" in page
    assert "กรุณาเลือกจากรายการที่มีให้" in page
    assert "Ensure this value" not in page and "Select a valid choice" not in page
    page = client.post("/knowledge/new/", form_data(title="")).content.decode()
    assert "กรุณากรอกช่องนี้" in page and "This field is required" not in page


def test_the_comment_button_and_the_category_name_are_labelled(kw: SimpleNamespace) -> None:
    item = publish(make_item(kw.owner, kw.a), kw)
    client = client_for(kw.owner)
    assert "ส่งความคิดเห็น</button>" in client.get(f"/knowledge/{item.pk}/").content.decode()
    page = client.get(f"/orgs/{kw.a.code}/categories/").content.decode()
    assert "ชื่อหมวดหมู่" in page and "ชื่อ-สกุล" not in page


def test_error_pages_say_nothing_in_english(world: SimpleNamespace, settings: Any) -> None:
    settings.DEBUG = False
    page = Client().get("/no-such-page/").content.decode()
    assert "ไม่พบหน้าที่ต้องการ" in page and "Page not found" not in page
    with translation.override("th"):
        error = render_to_string("500.html")
        csrf = render_to_string("403_csrf.html", {"no_cookie": True})
    assert "ขออภัย ระบบขัดข้อง" in error and "Sorry" not in error and "Home" not in error
    assert "แบบฟอร์มหมดอายุ" in csrf and "CSRF" not in csrf
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.owner.user)
    response = strict.post(f"/orgs/{world.a.code}/edit/", {"name_th": "x"})
    assert response.status_code == 403
    assert "แบบฟอร์มหมดอายุ" in response.content.decode()
    assert "CSRF verification failed" not in response.content.decode()


def test_the_admin_names_every_model_in_thai(world: SimpleNamespace) -> None:
    untranslated = []
    with translation.override("th"):
        for model in apps.get_models():
            if not model.__module__.startswith(("platu.knowledge", "platu.orgs", "platu.audit", "platu.search",
                                                "platu.accounts", "platu.notify")):  # fmt: skip
                continue
            for name in (model._meta.verbose_name, model._meta.verbose_name_plural):
                with translation.override("en"):
                    english = str(name)
                if str(name) == english:
                    untranslated.append(english)
    assert untranslated == []
    from platu.accounts.models import User

    staff = User.objects.create_superuser("staff", "staff@example.go.th", "x" * 16)
    client = Client()
    client.force_login(staff)
    page = client.get("/admin/").content.decode()
    assert "ไฟล์แนบ" in page and "รายงานการนำความรู้ไปใช้" in page
    assert ">Attachments<" not in page and ">Applied reports<" not in page
