"""Writing templates: their hints guide the writer but are never saved, published or
submitted as content."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.utils import translation

from platu.knowledge import workflow
from platu.knowledge.models import Item
from platu.knowledge.sanitize import clean_html
from platu.knowledge.templates_body import template_html
from platu.lib.errors import InvalidAction
from tests.knowledge.conftest import client_for, make_item
from tests.knowledge.test_editing import form_data

pytestmark = pytest.mark.django_db

HINT = "ที่ไหน เมื่อไร ใครเกี่ยวข้อง"


def test_it_marks_the_hints_of_a_new_item(kw: SimpleNamespace) -> None:
    page = client_for(kw.member).get("/knowledge/new/?kind=story").content.decode()
    assert "data-hint=" in page and HINT in page


def test_it_does_not_save_untouched_hints(kw: SimpleNamespace) -> None:
    with translation.override("th"):
        body = template_html("story")
    assert HINT in body
    body = body.replace("<h2>ผลลัพธ์</h2>", "<h2>ผลลัพธ์</h2><p>เด็กอ่านออกทุกคน</p>")
    client_for(kw.member).post("/knowledge/new/", form_data(body=body))
    item = Item.objects.get()
    assert HINT not in item.body and HINT not in item.body_text
    assert "<h2>บริบท</h2>" in item.body and "เด็กอ่านออกทุกคน" in item.body
    assert clean_html('<p data-hint="x">x</p><p>ของจริง</p>') == "<p>ของจริง</p>"


def test_it_refuses_to_submit_only_the_template(kw: SimpleNamespace) -> None:
    with translation.override("th"):
        item = make_item(kw.member, kw.a, body=template_html("aar"))
    with translation.override("th"), pytest.raises(InvalidAction) as refused:
        workflow.submit(item, acting_user=kw.member.user)
    assert "เนื้อหายังมีแต่หัวข้อและคำแนะนำ" in str(refused.value.message)
    # An item saved before hints were marked: the hints are plain paragraphs.
    legacy = make_item(
        kw.member, kw.a, body="<h2>Context</h2><p>Where, when, who was involved, and the problem faced.</p>"
    )
    with pytest.raises(InvalidAction):
        workflow.submit(legacy, acting_user=kw.member.user)
    item.refresh_from_db()
    assert item.state == "draft"
    response = client_for(kw.member).post(f"/knowledge/{item.pk}/do/submit/", follow=True)
    assert "เนื้อหายังมีแต่หัวข้อและคำแนะนำ" in response.content.decode()
    item.refresh_from_db()
    assert item.state == "draft"
