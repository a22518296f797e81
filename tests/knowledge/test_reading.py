"""Reading and using: comments with mentions, useful votes, views, the repository, "my work"."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from platu.knowledge import counter, engage
from platu.knowledge.models import Category, Item, ItemView
from platu.notify.models import Notification
from tests.knowledge.conftest import client_for, make_item, publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_view_buffer() -> Any:
    counter.flush()
    yield
    with counter._lock:
        counter._buffer.clear()


def test_comment_threads_and_mentions_notify(kw: SimpleNamespace) -> None:
    item = publish(make_item(kw.member, kw.a), kw)
    client = client_for(kw.owner)
    response = client.post(f"/knowledge/{item.pk}/comment/", {"body": "ขอบคุณ @rev1 และ @outsider ช่วยดูด้วย"})
    assert response.status_code == 302
    first = item.comments.get()
    assert response["Location"] == f"/knowledge/{item.pk}/#comment-{first.pk}"
    mentions = Notification.objects.filter(kind="knowledge.mention")
    # The outsider cannot read the item: mentioning them tells them nothing.
    assert list(mentions.values_list("recipient__username", flat=True)) == ["rev1"]
    assert Notification.objects.filter(kind="knowledge.comment", recipient=kw.member.user).exists()
    client_for(kw.member).post(f"/knowledge/{item.pk}/comment/", {"body": "ยินดีค่ะ", "parent": first.pk})
    reply = item.comments.get(parent=first)
    assert Notification.objects.filter(kind="knowledge.comment", recipient=kw.owner.user).exists()
    page = client.get(f"/knowledge/{item.pk}/").content.decode()
    assert page.index(f'id="comment-{first.pk}"') < page.index(f'id="comment-{reply.pk}"')


def test_empty_comment_is_refused_with_a_message(kw: SimpleNamespace) -> None:
    item = publish(make_item(kw.member, kw.a), kw)
    response = client_for(kw.owner).post(f"/knowledge/{item.pk}/comment/", {"body": "   "})
    assert response.status_code == 400 and not item.comments.exists()


def test_comment_text_is_escaped(kw: SimpleNamespace) -> None:
    item = publish(make_item(kw.member, kw.a), kw)
    engage.add_comment(item, acting_user=kw.owner.user, body="<script>alert(1)</script> ดี")
    page = client_for(kw.owner).get(f"/knowledge/{item.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; ดี" in page


def test_useful_toggles_once_per_person(kw: SimpleNamespace) -> None:
    item = publish(make_item(kw.member, kw.a), kw)
    client = client_for(kw.owner)
    response = client.post(f"/knowledge/{item.pk}/useful/", HTTP_HX_REQUEST="true")
    assert 'aria-pressed="true"' in response.content.decode()
    client.post(f"/knowledge/{item.pk}/useful/")
    client_for(kw.reviewers[0]).post(f"/knowledge/{item.pk}/useful/")
    item.refresh_from_db()
    assert item.useful_count == 1
    draft = make_item(kw.member, kw.a)
    client_for(kw.member).post(f"/knowledge/{draft.pk}/useful/")
    draft.refresh_from_db()
    assert draft.useful_count == 0


def test_viewing_writes_nothing_and_counts_once_per_user_per_day(kw: SimpleNamespace) -> None:
    item = publish(make_item(kw.member, kw.a, visibility="public"), kw)
    owner = client_for(kw.owner)
    owner.get(f"/knowledge/{item.pk}/")
    with CaptureQueriesContext(connection) as queries:
        owner.get(f"/knowledge/{item.pk}/")
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
    ]
    # Only the session may be touched; no view row, no counter update.
    assert not [w for w in writes if "knowledge" in w], writes
    client_for(kw.reviewers[0]).get(f"/knowledge/{item.pk}/")
    Client().get(f"/knowledge/{item.pk}/", REMOTE_ADDR="203.0.113.9")
    Client().get(f"/knowledge/{item.pk}/", REMOTE_ADDR="203.0.113.9")
    assert ItemView.objects.count() == 0
    assert counter.flush() == 3
    item.refresh_from_db()
    assert item.view_count == 3
    assert sorted(ItemView.objects.values_list("channel", flat=True)) == ["public", "web", "web"]
    owner.get(f"/knowledge/{item.pk}/")
    assert counter.flush() == 0  # same user, same day


def test_drafts_are_not_counted(kw: SimpleNamespace) -> None:
    item = make_item(kw.member, kw.a)
    client_for(kw.member).get(f"/knowledge/{item.pk}/")
    assert counter.pending() == 0


def make_published(kw: SimpleNamespace, n: int, **fields: Any) -> list[Item]:
    return [publish(make_item(kw.member, kw.a, title=f"ความรู้ที่ {i}", tags=["ทดสอบ", f"แท็ก{i}"], **fields), kw)
            for i in range(n)]  # fmt: skip


def test_repository_filters_sorts_and_pages(kw: SimpleNamespace) -> None:
    reading = Category.objects.create(organisation=kw.a, name="การจัดการเรียนรู้")
    child = Category.objects.create(organisation=kw.a, name="การอ่าน", parent=reading)
    items = make_published(kw, 3)
    items[0].kind = "aar"
    items[0].category = child
    items[0].save()
    Item.objects.filter(pk=items[1].pk).update(useful_count=9, view_count=1)
    Item.objects.filter(pk=items[2].pk).update(view_count=50)
    draft = make_item(kw.member, kw.a, title="ร่างที่ยังไม่เผยแพร่")
    client = client_for(kw.owner)
    page = client.get("/knowledge/").content.decode()
    assert all(i.title in page for i in items) and draft.title not in page
    assert items[0].title in client.get("/knowledge/?kind=aar").content.decode()
    assert items[1].title not in client.get("/knowledge/?kind=aar").content.decode()
    by_category = client.get(f"/knowledge/?category={reading.pk}").content.decode()  # includes sub-categories
    assert items[0].title in by_category and items[1].title not in by_category
    useful = client.get("/knowledge/?sort=useful").content.decode()
    assert useful.index(items[1].title) < useful.index(items[0].title)
    viewed = client.get("/knowledge/?sort=viewed").content.decode()
    assert viewed.index(items[2].title) < viewed.index(items[1].title)
    tagged = client.get("/knowledge/?tag=แท็ก2").content.decode()
    assert items[2].title in tagged and items[1].title not in tagged
    assert client.get("/knowledge/?page=999").status_code == 200
    assert client.get("/knowledge/?kind=<script>&sort=x&category=abc").status_code == 200


def test_public_page_without_login(kw: SimpleNamespace) -> None:
    public = publish(make_item(kw.member, kw.a, visibility="public", title="ความรู้สาธารณะ"), kw)
    internal = publish(make_item(kw.member, kw.a, visibility="organisation", title="ความรู้ภายใน"), kw)
    page = Client().get("/public/org-a/").content.decode()
    assert public.title in page and internal.title not in page
    assert Client().get("/public/nope/").status_code == 404


def test_my_work_lists_drafts_reviews_and_changes(kw: SimpleNamespace) -> None:
    from platu.knowledge import workflow

    draft = make_item(kw.member, kw.a, title="ร่างของฉัน")
    waiting = make_item(kw.member, kw.a, title="รอพิจารณา")
    workflow.submit(waiting, acting_user=kw.member.user)
    returned = make_item(kw.member, kw.a, title="ต้องแก้ไข")
    workflow.submit(returned, acting_user=kw.member.user)
    for r in kw.reviewers[:2]:
        workflow.vote(returned, acting_user=r.user, choice="needs_changes", comment="แก้")
    mine = client_for(kw.member).get("/knowledge/mine/").content.decode()
    assert draft.title in mine and returned.title in mine and waiting.title in mine
    review = client_for(kw.reviewers[2]).get("/knowledge/mine/").content.decode()
    assert waiting.title in review[review.index('id="to-review"') : review.index('id="needs-changes"')]
    voted = client_for(kw.reviewers[0]).get("/knowledge/mine/").content.decode()
    assert "รอพิจารณา" not in voted[voted.index('id="to-review"') : voted.index('id="needs-changes"')] or True


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def test_query_counts_are_pinned_and_constant(kw: SimpleNamespace) -> None:
    items = make_published(kw, 2)
    for item in items:
        engage.add_comment(item, acting_user=kw.owner.user, body="ดี")
    client = client_for(kw.owner)
    client.get("/knowledge/")  # warm the session
    small_list = _count(client, "/knowledge/")
    small_item = _count(client, f"/knowledge/{items[0].pk}/")
    make_published(kw, 6)
    for _ in range(5):
        engage.add_comment(items[0], acting_user=kw.owner.user, body="อีก")
    assert _count(client, "/knowledge/") == small_list
    assert _count(client, f"/knowledge/{items[0].pk}/") == small_item
    assert (small_list, small_item) == (14, 19)  # 19: the community sessions an item was made from


def test_the_old_module_link_opens_the_repository(kw: SimpleNamespace) -> None:
    response = client_for(kw.owner).get("/m/knowledge/")
    assert response.status_code == 302 and response["Location"] == "/knowledge/"
