"""Search fixtures: org A's items in several states and visibilities, indexed by the signals."""

from __future__ import annotations

import os
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from platu.knowledge.models import Item
from platu.search import segment
from tests.knowledge.conftest import client_for, kw, make_item, publish  # noqa: F401

# Each database's own top-k machinery is collected only in its run (nothing is skipped).
_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
collect_ignore = ["test_impacts.py"] if _POSTGRES else ["test_pgtopk.py"]

# One long run without spaces (as Thai is written), with Latin words and numbers inside it.
LONG_RUN = (
    "การจัดการความรู้ในองค์กรของโรงเรียนบ้านหนองบัวต้องเริ่มจากการดูว่าครูแต่ละคนมีความรู้อะไรอยู่แล้ว"
    "แล้วจึงเก็บไว้ในGoogle Driveของโรงเรียนตั้งแต่ปี2568เป็นต้นมา"
)


@pytest.fixture(autouse=True)
def _fresh_segmenter() -> Any:
    """Each test starts from the dictionary its own database holds."""
    segment._current = None
    yield
    segment._current = None


def set_state(item: Item, state: str) -> Item:
    """Move an item to a state directly (the workflow has its own tests)."""
    now = timezone.now()
    Item.objects.filter(pk=item.pk).update(state=state, published_at=now if state == "published" else None)
    item.refresh_from_db()
    return item


@pytest.fixture
def sw(kw: SimpleNamespace) -> SimpleNamespace:  # noqa: F811 - the imported fixture
    w = kw
    w.long = set_state(
        make_item(w.owner, w.a, title="บันทึกการจัดการความรู้", body=f"<p>{LONG_RUN}</p>", tags="การอ่าน, ชุมชน"),
        "published",
    )
    w.herbs = set_state(
        make_item(
            w.member,
            w.a,
            title="สมุนไพรในสวนโรงเรียน",
            kind="best_practice",
            body="<p>ปลูกสมุนไพรไว้ให้นักเรียนดูแลทุกเช้า</p>",
        ),
        "published",
    )
    w.private = set_state(
        make_item(
            w.owner,
            w.a,
            title="บันทึกส่วนตัวเรื่องสมุนไพร",
            visibility="private",
            body="<p>สมุนไพรที่ยังไม่ได้ทดลองใช้กับนักเรียน</p>",
        ),
        "published",
    )
    w.draft = make_item(w.owner, w.a, title="ร่างเรื่องสมุนไพรไล่ยุง", body="<p>สมุนไพรไล่ยุงยังเขียนไม่เสร็จ</p>")
    return w


def ids(results: Any) -> set[int]:
    return {hit.obj.pk for hit in results.hits}


@pytest.fixture(autouse=True)
def _fresh_word_counts() -> Any:
    """ranking.py caches how many rows hold a word; each test has its own rows."""
    from platu.search import ranking

    ranking._cache.clear()
    yield
    ranking._cache.clear()
