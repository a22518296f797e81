"""A colleague's private draft leaks nowhere inside the organisation: not in the editor's
tag suggestions, not in the category counts."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from platu.knowledge.models import Category
from tests.knowledge.conftest import client_for, make_item, publish

pytestmark = pytest.mark.django_db


def test_it_suggests_only_tags_of_items_the_user_may_read(kw: SimpleNamespace) -> None:
    make_item(kw.member, kw.a, visibility="private", tags="แผนลับของมานี")
    shared = publish(make_item(kw.owner, kw.a, tags="การอ่านคละชั้น"), kw)
    assert shared.state == "published"
    page = client_for(kw.reviewers[2]).get("/knowledge/new/").content.decode()
    assert '<option value="การอ่านคละชั้น">' in page
    assert "แผนลับของมานี" not in page
    # The author still sees her own tag.
    assert "แผนลับของมานี" in client_for(kw.member).get("/knowledge/new/").content.decode()


def test_it_counts_only_items_the_user_may_read_in_categories(kw: SimpleNamespace) -> None:
    category = Category.objects.create(organisation=kw.a, name="การอ่าน")
    make_item(kw.member, kw.a, visibility="private", category=category)
    make_item(kw.member, kw.a, category=category)  # a draft: only its author sees it
    publish(make_item(kw.owner, kw.a, category=category), kw)
    response = client_for(kw.reviewers[2]).get("/orgs/org-a/categories/")
    assert response.status_code == 200
    tree = response.context["tree"]
    assert [(c.name, n) for c, _depth, n in tree] == [("การอ่าน", 1)]
    mine = client_for(kw.member).get("/orgs/org-a/categories/").context["tree"]
    assert [n for _c, _d, n in mine] == [3]
