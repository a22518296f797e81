"""Dates a user types or sees are Thai B.E. in one format a page; digits follow the
organisation's choice everywhere on a page."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.utils import timezone

from platu.knowledge.models import AppliedReport
from platu.lib.forms import BEDateField, parse_be_date
from platu.lib.thaidate import format_date, to_be
from tests.knowledge.conftest import client_for, make_item, publish

pytestmark = pytest.mark.django_db


def test_it_fills_the_applied_date_with_today_in_be(kw: SimpleNamespace) -> None:
    item = publish(make_item(kw.owner, kw.a), kw)
    page = client_for(kw.member).get(f"/knowledge/{item.pk}/").content.decode()
    today = timezone.localdate()
    field = re.search(r'<input[^>]*name="applied_on"[^>]*>', page)
    assert field is not None
    assert f'value="{today.day}/{today.month}/{to_be(today.year)}"' in field.group(0)
    assert 'type="date"' not in field.group(0)


def test_it_reads_a_typed_be_date_in_either_digits(kw: SimpleNamespace) -> None:
    item = publish(make_item(kw.owner, kw.a), kw)
    client = client_for(kw.member)
    for typed in ("30/11/2569", "๓๐/๑๑/๒๕๖๙"):
        response = client.post(
            f"/knowledge/{item.pk}/applied/", {"applied_on": typed, "where": "ห้อง ป.2", "outcome": "ดี"}
        )
        assert response.status_code == 302
    assert list(AppliedReport.objects.values_list("applied_on", flat=True)) == [dt.date(2026, 11, 30)] * 2
    page = client.get(f"/knowledge/{item.pk}/").content.decode()
    assert format_date(dt.date(2026, 11, 30), "medium") in page  # 30 พ.ย. 2569, as every date there


def test_a_bad_date_is_refused_in_plain_thai(kw: SimpleNamespace) -> None:
    item = publish(make_item(kw.owner, kw.a), kw)
    response = client_for(kw.member).post(
        f"/knowledge/{item.pk}/applied/", {"applied_on": "31/2/2569", "where": "ห้อง ป.2", "outcome": "ดี"}
    )
    page = response.content.decode()
    assert response.status_code == 400 and "31/2/2569" in page
    assert "วันที่ไม่ถูกต้อง" in page and "invalid date" not in page.lower()
    assert not AppliedReport.objects.exists()


def test_thai_digits_are_used_throughout_a_page(kw: SimpleNamespace) -> None:
    kw.a.thai_digits = True
    kw.a.save()
    for n in range(4):
        publish(make_item(kw.owner, kw.a, title=f"เรื่องที่ {n}"), kw)
    client = client_for(kw.member)
    page = client.get("/knowledge/").content.decode()
    assert "๔ เรื่อง" in page and "4 เรื่อง" not in page
    item = publish(make_item(kw.owner, kw.a), kw)
    page = client.get(f"/knowledge/{item.pk}/").content.decode()
    today = timezone.localdate()
    assert format_date(today, "medium", use_thai_digits=True) in page
    assert format_date(today, "medium") not in page
    field = re.search(r'<input[^>]*name="applied_on"[^>]*>', page)
    assert field is not None and "๒๕" in field.group(0)


def test_the_field_lives_in_lib_and_planning_still_imports_it() -> None:
    from platu.planning import forms as planning_forms

    assert planning_forms.BEDateField is BEDateField
    assert parse_be_date("1 ต.ค. 68") == dt.date(2025, 10, 1)
