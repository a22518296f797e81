"""Writing and editing: revisions, diff, restore, autosave, concurrent edits."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from platu.knowledge import actions
from platu.knowledge.models import Autosave, Item, Revision
from platu.lib.errors import EditConflict, InvalidAction
from tests.knowledge.conftest import client_for, make_item, publish

pytestmark = pytest.mark.django_db

THAI = "การจัดการความรู้ในองค์กร ก่อนอื่นต้องฟังคุณกิจ — ผู้ใหญ่บ้านเล่าว่า “น้ำไม่ท่วมแล้ว” ๑๒๓ ฯลฯ"


def form_data(item: Item | None = None, **over: Any) -> dict[str, Any]:
    data = {
        "kind": "story",
        "title": "เรื่องเล่าจากห้องเรียนคละชั้น",
        "summary": "ครูสองคนสอนหกชั้น",
        "body": f"<h2>บริบท</h2><p>{THAI}</p>",
        "tags": "คละชั้น, การอ่าน, คละชั้น",
        "category": "",
        "source": "tacit",
        "level": "pocket",
        "visibility": "organisation",
        "review_interval_months": "12",
        "message": "",
        "base_revision": str(item.revision_no) if item else "",
    }
    data.update(over)
    return data


def test_writing_an_item_through_the_form_keeps_thai_exactly(kw: SimpleNamespace) -> None:
    client = client_for(kw.member)
    page = client.get("/knowledge/new/?kind=aar").content.decode()
    assert "เราคาดหวังให้เกิดอะไรขึ้น" in page  # the AAR template prefills
    response = client.post("/knowledge/new/", form_data())
    item = Item.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/knowledge/{item.pk}/"
    assert THAI in item.body and THAI in item.body_text
    assert item.owner == kw.member and item.state == "draft" and item.revision_no == 1
    assert sorted(item.tags.values_list("name", flat=True)) == ["การอ่าน", "คละชั้น"]
    assert Revision.objects.get(item=item).body == item.body
    assert THAI in client.get(f"/knowledge/{item.pk}/").content.decode()


def test_a_bad_form_loses_nothing(kw: SimpleNamespace) -> None:
    client = client_for(kw.member)
    response = client.post("/knowledge/new/", form_data(title="  ", review_interval_months="99"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "ครูสองคนสอนหกชั้น" in page and "คละชั้น, การอ่าน" in page
    assert "การจัดการความรู้ในองค์กร ก่อนอื่นต้องฟังคุณกิจ" in page
    assert not Item.objects.exists()


def test_every_save_is_a_revision_and_two_compare(kw: SimpleNamespace) -> None:
    item = make_item(kw.member, kw.a)
    client = client_for(kw.member)
    client.post(
        f"/knowledge/{item.pk}/edit/", form_data(item, body="<p>ย่อหน้าใหม่ทั้งหมด</p>", message="เขียนใหม่")
    )
    item.refresh_from_db()
    assert item.revision_no == 2
    rev = Revision.objects.get(item=item, number=2)
    assert rev.message == "เขียนใหม่" and rev.author == kw.member.user
    page = client.get(f"/knowledge/{item.pk}/compare/?a=1&b=2").content.decode()
    assert "<del>โรงเรียนขนาดเล็กมีครูไม่ครบชั้น</del>" in page
    assert "<ins>ย่อหน้าใหม่ทั้งหมด</ins>" in page
    assert client.get(f"/knowledge/{item.pk}/compare/?a=1&b=9").status_code == 404
    assert client.get(f"/knowledge/{item.pk}/compare/?a=x&b=1").status_code == 404


def test_revisions_are_immutable(kw: SimpleNamespace) -> None:
    item = make_item(kw.member, kw.a)
    rev = Revision.objects.get(item=item)
    rev.title = "แก้ย้อนหลัง"
    with pytest.raises(Exception, match="immutable"):
        rev.save()


def test_restore_makes_a_new_revision(kw: SimpleNamespace) -> None:
    item = make_item(kw.member, kw.a)
    actions.update_item(item, acting_user=kw.member.user, base_revision=1, body="<p>ฉบับสอง</p>")
    client = client_for(kw.member)
    client.post(f"/knowledge/{item.pk}/history/1/restore/", {"base_revision": "2"})
    item.refresh_from_db()
    assert item.revision_no == 3
    assert "โรงเรียนขนาดเล็กมีครูไม่ครบชั้น" in item.body
    assert Revision.objects.get(item=item, number=3).message == "คืนค่าจากฉบับที่ 1"


def test_two_concurrent_saves_one_wins_the_other_sees_both(kw: SimpleNamespace) -> None:
    item = make_item(kw.member, kw.a, coauthors=[kw.owner])
    first, second = client_for(kw.member), client_for(kw.owner)
    # Both open the editor on revision 1.
    assert 'name="base_revision" value="1"' in first.get(f"/knowledge/{item.pk}/edit/").content.decode()
    assert 'name="base_revision" value="1"' in second.get(f"/knowledge/{item.pk}/edit/").content.decode()
    both = [str(kw.owner.pk)]
    won = first.post(f"/knowledge/{item.pk}/edit/", form_data(item, body="<p>ฉบับของมานี</p>", coauthors=both))
    assert won.status_code == 302
    lost = second.post(
        f"/knowledge/{item.pk}/edit/", form_data(item, body="<p>ฉบับของสมชาย</p>", coauthors=both)
    )
    assert lost.status_code == 200
    page = lost.content.decode()
    assert "ฉบับของมานี" in page and "ฉบับของสมชาย" in page  # theirs and mine, side by side
    assert 'name="base_revision" value="2"' in page  # saving again keeps mine, knowingly
    item.refresh_from_db()
    assert item.revision_no == 2 and "ฉบับของมานี" in item.body
    again = second.post(
        f"/knowledge/{item.pk}/edit/", form_data(item, body="<p>ฉบับของสมชาย</p>", coauthors=both)
    )
    assert again.status_code == 302
    item.refresh_from_db()
    assert item.revision_no == 3 and "ฉบับของสมชาย" in item.body


def test_update_on_a_stale_base_raises(kw: SimpleNamespace) -> None:
    item = make_item(kw.member, kw.a)
    actions.update_item(item, acting_user=kw.member.user, base_revision=1, title="ชื่อใหม่")
    with pytest.raises(EditConflict):
        actions.update_item(item, acting_user=kw.member.user, base_revision=1, title="อีกชื่อ")


def test_only_authors_edit_and_not_during_review(kw: SimpleNamespace) -> None:
    from platu.knowledge import workflow

    item = make_item(kw.member, kw.a)
    assert client_for(kw.owner).get(f"/knowledge/{item.pk}/edit/").status_code == 404  # a draft is private
    workflow.submit(item, acting_user=kw.member.user)
    response = client_for(kw.member).get(f"/knowledge/{item.pk}/edit/", follow=True)
    assert response.redirect_chain == [(f"/knowledge/{item.pk}/", 302)]
    assert "กรุณาถอนจากการกลั่นกรองก่อน" in response.content.decode()
    with pytest.raises(InvalidAction, match="อยู่ระหว่างกลั่นกรอง จึงแก้ไขไม่ได้"):
        actions.update_item(item, acting_user=kw.member.user, base_revision=1, title="x")
    assert client_for(kw.reviewers[0]).get(f"/knowledge/{item.pk}/edit/").status_code == 403


def test_editing_a_published_item_sends_it_back_to_draft(kw: SimpleNamespace) -> None:
    item = publish(make_item(kw.member, kw.a), kw)
    page = client_for(kw.member).get(f"/knowledge/{item.pk}/edit/").content.decode()
    assert "จะกลับเป็นฉบับร่าง" in page
    actions.update_item(item, acting_user=kw.member.user, base_revision=item.revision_no, summary="ปรับ")
    item.refresh_from_db()
    assert item.state == "draft"


def test_autosave_keeps_typing_without_a_revision_and_offers_it_back(kw: SimpleNamespace) -> None:
    item = make_item(kw.member, kw.a)
    client = client_for(kw.member)
    response = client.post(f"/knowledge/{item.pk}/autosave/", form_data(item, body="<p>กำลังพิมพ์อยู่</p>"))
    assert response.status_code == 200 and response.json()["ok"]
    assert Revision.objects.filter(item=item).count() == 1
    assert Autosave.objects.get(user=kw.member.user, item=item).data["body"] == "<p>กำลังพิมพ์อยู่</p>"
    page = client.get(f"/knowledge/{item.pk}/edit/").content.decode()
    assert "?restore=1" in page
    restored = client.get(f"/knowledge/{item.pk}/edit/?restore=1").content.decode()
    assert "กำลังพิมพ์อยู่" in restored
    client.post(f"/knowledge/{item.pk}/edit/", form_data(item, body="<p>บันทึกจริง</p>"))
    assert not Autosave.objects.filter(item=item).exists()


def test_autosave_of_a_new_item_and_of_others_items(kw: SimpleNamespace) -> None:
    client = client_for(kw.member)
    assert client.post("/knowledge/new/autosave/", form_data(title="ร่างใหม่")).json()["ok"]
    assert "?restore=1" in client.get("/knowledge/new/").content.decode()
    assert "ร่างใหม่" in client.get("/knowledge/new/?restore=1&kind=story").content.decode()
    item = make_item(kw.member, kw.a)
    assert client_for(kw.outsider).post(f"/knowledge/{item.pk}/autosave/", form_data(item)).status_code == 404


def test_autosave_sanitises(kw: SimpleNamespace) -> None:
    item = make_item(kw.member, kw.a)
    client_for(kw.member).post(
        f"/knowledge/{item.pk}/autosave/", form_data(item, body="<p>a<script>x()</script></p>")
    )
    assert "script" not in Autosave.objects.get(item=item).data["body"]
