"""Malformed input that used to answer 500 is a 400 or a form error, with a Thai message."""

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from platu.knowledge.models import Category, Item
from platu.search.models import SearchTerm
from tests.knowledge.conftest import make_item

HUGE = "9" * 25


@pytest.fixture
def owner(world: SimpleNamespace) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(world.owner.user)
    return client


@pytest.mark.parametrize("term", ["abc", "²", HUGE, ""])
def test_removing_a_term_that_is_not_an_id_is_a_message(
    owner: Client, world: SimpleNamespace, term: str
) -> None:
    SearchTerm.objects.create(organisation=world.a, term="คุณอำนวย", added_by=world.owner.user)
    url = reverse("search_terms", args=[world.a.code])
    response = owner.post(url, {"action": "delete", "term": term}, follow=True)
    assert response.status_code == 200
    assert 'class="alert alert-danger"' in response.content.decode()
    assert SearchTerm.objects.filter(organisation=world.a).count() == 1


@pytest.mark.parametrize("parent", ["abc", "²", "-1", HUGE])
def test_a_category_parent_that_is_not_an_id_is_a_400(
    owner: Client, world: SimpleNamespace, parent: str
) -> None:
    category = Category.objects.create(organisation=world.a, name="การสอนอ่าน")
    url = reverse("knowledge:category_edit", args=[world.a.code, category.pk])
    response = owner.post(url, {"name": "การสอนเขียน", "parent": parent})
    assert response.status_code == 400
    assert "เลือกหมวดหมู่แม่จากรายการ" in response.content.decode()
    category.refresh_from_db()
    assert category.name == "การสอนอ่าน"


def test_an_unknown_category_parent_or_a_too_long_name_is_a_message(
    owner: Client, world: SimpleNamespace
) -> None:
    category = Category.objects.create(organisation=world.a, name="การสอนอ่าน")
    url = reverse("knowledge:category_edit", args=[world.a.code, category.pk])
    for data in [{"name": "ใหม่", "parent": "999999"}, {"name": "ก" * 100_000, "parent": ""}]:
        response = owner.post(url, data, follow=True)
        assert response.status_code == 200
        assert 'class="alert alert-danger"' in response.content.decode()
    category.refresh_from_db()
    assert category.name == "การสอนอ่าน" and category.parent is None


@pytest.mark.parametrize("field", ["coauthors", "sources"])
def test_a_huge_coauthor_or_source_id_is_a_form_error(
    owner: Client, world: SimpleNamespace, field: str
) -> None:
    data = {"kind": "story", "title": "เรื่องเล่า", "body": "<p>เนื้อหา</p>", "source": "tacit", "level": "core",
            "visibility": "organisation", "review_interval_months": "12", field: HUGE}  # fmt: skip
    response = owner.post(reverse("knowledge:new"), data)
    assert response.status_code == 200
    assert "ไม่อยู่ในรายการที่เลือกได้" in response.content.decode()
    assert not Item.objects.exists()
    item = make_item(world.owner, world.a)
    response = owner.post(reverse("knowledge:edit", args=[item.pk]), {**data, "base_revision": "1"})
    assert response.status_code == 200
    assert "ไม่อยู่ในรายการที่เลือกได้" in response.content.decode()


@pytest.mark.parametrize("base", ["abc", "²", "-1", HUGE])
def test_a_bad_base_revision_is_a_400(owner: Client, world: SimpleNamespace, base: str) -> None:
    item = make_item(world.owner, world.a)
    for url in [reverse("knowledge:autosave", args=[item.pk]), reverse("knowledge:autosave_new")]:
        response = owner.post(url, {"title": "ร่าง", "base_revision": base})
        assert response.status_code == 400
        assert response.json() == {"ok": False, "message": "หน้านี้ส่งเลขฉบับที่ไม่ถูกต้อง โหลดหน้าใหม่แล้วลองอีกครั้ง"}
    response = owner.post(reverse("knowledge:restore", args=[item.pk, 1]), {"base_revision": base})
    assert response.status_code == 400
    assert "หน้านี้ส่งเลขฉบับที่ไม่ถูกต้อง" in response.content.decode()
    assert "อ่านคำขอไม่ได้" in response.content.decode()
