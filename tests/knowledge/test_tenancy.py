"""Who sees what: visibility levels, drafts, and 404 for everything of another organisation."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from platu.knowledge import actions, engage
from platu.knowledge.models import Comment, Item
from tests.conftest import make_person
from tests.knowledge.conftest import client_for, make_item, publish
from tests.knowledge.files import pdf_bytes

pytestmark = pytest.mark.django_db


def visible(person: object, item: Item) -> bool:
    return Item.objects.visible_to(person.user).filter(pk=item.pk).exists()  # type: ignore[attr-defined]


def test_visibility_levels(kw: SimpleNamespace) -> None:
    from platu.orgs.models import Organisation

    sibling = Organisation.objects.create(
        code="org-c", kind="school", name_th="โรงเรียนบ้านซี", parent=kw.parent
    )
    neighbour = make_person("neighbour", "นภา", "ใกล้กัน", org=sibling)
    items = {v: publish(make_item(kw.member, kw.a, visibility=v, title=f"เรื่อง {v}"), kw)
             for v in ("private", "organisation", "network", "public")}  # fmt: skip
    expect = {
        # reader: (private, organisation, network, public)
        "owner": (False, True, True, True),
        "supervisor": (False, True, True, True),  # the parent office reads its schools
        "neighbour": (False, False, True, True),  # a sibling school: network and public
        "outsider": (False, False, False, True),
    }
    readers = {
        "owner": kw.owner,
        "supervisor": kw.supervisor,
        "neighbour": neighbour,
        "outsider": kw.outsider,
    }
    for name, row in expect.items():
        got = tuple(
            visible(readers[name], items[v]) for v in ("private", "organisation", "network", "public")
        )
        assert got == row, name
    anonymous = Client()
    assert anonymous.get(f"/knowledge/{items['public'].pk}/").status_code == 200
    assert anonymous.get(f"/knowledge/{items['organisation'].pk}/").status_code == 404
    # The author always; the committee reviewed it.
    assert visible(kw.member, items["private"]) and visible(kw.reviewers[0], items["private"])


def test_drafts_are_seen_by_authors_only(kw: SimpleNamespace) -> None:
    item = make_item(kw.member, kw.a, visibility="public")
    assert visible(kw.member, item)
    for other in (kw.owner, kw.reviewers[0], kw.supervisor, kw.outsider):
        assert not visible(other, item)
    assert Client().get(f"/knowledge/{item.pk}/").status_code == 404


def test_submitted_items_are_seen_by_the_committee(kw: SimpleNamespace) -> None:
    from platu.knowledge import workflow

    item = make_item(kw.member, kw.a)
    workflow.submit(item, acting_user=kw.member.user)
    assert visible(kw.reviewers[0], item) and not visible(kw.owner, item)


def test_every_url_of_another_organisations_item_answers_404(kw: SimpleNamespace) -> None:
    item = publish(make_item(kw.member, kw.a, visibility="organisation"), kw)
    attachment = actions.add_attachment(
        item, SimpleUploadedFile("x.pdf", pdf_bytes()), acting_user=kw.member.user
    )
    comment = engage.add_comment(item, acting_user=kw.owner.user, body="ดีมาก")
    outsider = client_for(kw.outsider)
    gets = [
        f"/knowledge/{item.pk}/",
        f"/knowledge/{item.pk}/edit/",
        f"/knowledge/{item.pk}/history/",
        f"/knowledge/{item.pk}/history/1/",
        f"/knowledge/{item.pk}/compare/?a=1&b=1",
        f"/files/{attachment.uid}/",
        "/orgs/org-a/categories/",
    ]
    for url in gets:
        assert outsider.get(url).status_code == 404, url
    posts = [
        (f"/knowledge/{item.pk}/edit/", {"title": "x"}),
        (f"/knowledge/{item.pk}/autosave/", {"title": "x"}),
        (f"/knowledge/{item.pk}/history/1/restore/", {"base_revision": "1"}),
        (f"/knowledge/{item.pk}/do/archive/", {}),
        (f"/knowledge/{item.pk}/vote/", {"vote": "approve"}),
        (f"/knowledge/{item.pk}/comment/", {"body": "x", "parent": str(comment.pk)}),
        (f"/knowledge/{item.pk}/useful/", {}),
        (f"/knowledge/{item.pk}/applied/", {"applied_on": "2026-01-01", "where": "x", "outcome": "y"}),
        (f"/knowledge/{item.pk}/files/", {}),
        (f"/knowledge/{item.pk}/files/{attachment.uid}/delete/", {}),
        (f"/knowledge/{item.pk}/videos/", {"url": "https://youtu.be/x"}),
    ]
    for url, data in posts:
        assert outsider.post(url, data).status_code == 404, url
    assert Comment.objects.count() == 1 and item.attachments.count() == 1


def test_a_reply_cannot_point_at_another_items_comment(kw: SimpleNamespace) -> None:
    mine = publish(make_item(kw.member, kw.a), kw)
    theirs_item = make_item(kw.outsider, kw.b)
    theirs = Comment.objects.create(item=theirs_item, author=kw.outsider.user, author_name="x", body="ลับ")
    response = client_for(kw.owner).post(
        f"/knowledge/{mine.pk}/comment/", {"body": "ตอบ", "parent": str(theirs.pk)}
    )
    assert response.status_code == 404


def test_review_comments_are_hidden_from_readers(kw: SimpleNamespace) -> None:
    from platu.knowledge import workflow

    item = make_item(kw.member, kw.a)
    workflow.submit(item, acting_user=kw.member.user)
    workflow.vote(item, acting_user=kw.reviewers[0].user, choice="approve", comment="ความเห็นกรรมการลับ")
    workflow.vote(item, acting_user=kw.reviewers[1].user, choice="approve")
    workflow.publish(item, acting_user=kw.member.user)
    assert "ความเห็นกรรมการลับ" not in client_for(kw.owner).get(f"/knowledge/{item.pk}/").content.decode()
    assert "ความเห็นกรรมการลับ" in client_for(kw.member).get(f"/knowledge/{item.pk}/").content.decode()
    # Nor can a reader reply into the review thread.
    review = Comment.objects.get(is_review=True)
    assert (
        client_for(kw.owner)
        .post(f"/knowledge/{item.pk}/comment/", {"body": "x", "parent": review.pk})
        .status_code
        == 404
    )


def test_categories_belong_to_their_organisation(kw: SimpleNamespace) -> None:
    from platu.knowledge.models import Category

    theirs = Category.objects.create(organisation=kw.b, name="ของบี")
    client = client_for(kw.owner)
    assert client.post(f"/orgs/org-a/categories/{theirs.pk}/", {"name": "ยึด"}).status_code == 404
    response = client.post("/knowledge/new/", {"kind": "story", "title": "x", "category": theirs.pk, "source": "tacit",
                                               "level": "pocket", "visibility": "organisation",
                                               "review_interval_months": 12})  # fmt: skip
    assert response.status_code == 200 and not Item.objects.exists()
