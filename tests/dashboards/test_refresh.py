"""Counting the figures: after a commit through the task queue, by the housekeeping job and the
command, and all at once; both ways count the same."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.forms.models import model_to_dict

from platu.communities.models import Attendance
from platu.dashboards import refresh
from platu.dashboards.housekeeping import refresh_recent
from platu.dashboards.models import OrgMonth, OrgYear
from tests.dashboards.conftest import plan_with_round, publish, session_with

pytestmark = pytest.mark.django_db


def figures(org: Any, fy: int, scope: str = "subtree") -> dict[str, Any]:
    row = OrgYear.objects.get(organisation=org, scope=scope, fiscal_year=fy)
    return {k: v for k, v in model_to_dict(row).items() if k not in ("id", "updated_at")}


def test_saving_an_entry_counts_it_again_after_the_commit(
    net: SimpleNamespace, fy: int, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        entries = plan_with_round(net.a, fy, [10])
    assert OrgYear.objects.get(organisation=net.parent, scope="subtree", fiscal_year=fy).progress == 10

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        entries[0].percent = 90
        entries[0].save()

    assert len(callbacks) == 1  # one task for the transaction, not one per save
    assert OrgYear.objects.get(organisation=net.parent, scope="subtree", fiscal_year=fy).progress == 90


def test_a_new_item_and_attendance_are_counted_after_the_commit(
    net: SimpleNamespace, fy: int, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        publish(net.a, net.member, "เรื่องใหม่", fy)
        session_with(net.a, [net.owner], fy, hours="2.00")

    school = OrgYear.objects.get(organisation=net.a, scope="own", fiscal_year=fy)
    district = OrgYear.objects.get(organisation=net.parent, scope="subtree", fiscal_year=fy)
    assert (school.items_published, school.sessions, school.plc_hours) == (1, 1, Decimal("2.00"))
    assert (district.items_published, district.sessions, district.plc_hours) == (1, 1, Decimal("2.00"))


def test_what_a_rolled_back_transaction_noted_is_dropped(
    net: SimpleNamespace, fy: int, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                publish(net.a, net.member, "ไม่ได้บันทึก", fy)
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == []
    assert not OrgYear.objects.filter(organisation=net.a).exists()


def test_housekeeping_counts_bulk_writes_that_send_no_signal(net: SimpleNamespace, fy: int) -> None:
    session = session_with(net.a, [], fy)
    refresh.refresh([net.a.pk], fy)
    assert OrgYear.objects.get(organisation=net.a, scope="own", fiscal_year=fy).attendance == 0
    Attendance.objects.bulk_create([Attendance(session=session, person=p, hours=Decimal("1.5"))
                                    for p in (net.owner, net.member)])  # fmt: skip

    message = refresh_recent()

    assert "1 organisation" in message
    row = OrgYear.objects.get(organisation=net.a, scope="own", fiscal_year=fy)
    assert (row.sessions, row.attendance, row.plc_hours, row.participants) == (1, 2, 3, 2)


def test_incremental_and_full_counts_agree(net: SimpleNamespace, fy: int) -> None:
    publish(net.a, net.member, "หนึ่ง", fy)
    publish(net.a, net.owner, "สอง", fy, month=2).coauthors.add(net.member, net.supervisor)
    publish(net.sibling, net.sibling_teacher, "สาม", fy, month=7)
    publish(net.b, net.outsider, "นอกเครือข่าย", fy)
    session_with(net.a, [net.owner, net.member], fy)
    session_with(net.sibling, [net.sibling_teacher], fy, month=9)
    plan_with_round(net.a, fy, [30, 100])
    plan_with_round(net.sibling, fy, [0])
    refresh.refresh([net.a.pk, net.sibling.pk, net.b.pk, net.parent.pk], fy)
    incremental = {(o.pk, s): figures(o, fy, s) for o in (net.parent, net.a, net.sibling, net.b)
                   for s in ("own", "subtree")}  # fmt: skip
    months = sorted(
        OrgMonth.objects.values_list("organisation_id", "scope", "month", "items_published", "plc_hours")
    )

    call_command("platu_refresh_dashboards", "--all", "--year", str(fy))

    full = {
        (o.pk, s): figures(o, fy, s)
        for o in (net.parent, net.a, net.sibling, net.b)
        for s in ("own", "subtree")
    }
    assert full == incremental
    assert (
        sorted(
            OrgMonth.objects.values_list("organisation_id", "scope", "month", "items_published", "plc_hours")
        )
        == months
    )
    district = full[(net.parent.pk, "subtree")]
    assert (district["items_published"], district["organisations"], district["contributors"]) == (3, 3, 4)
    assert (district["entries"], district["percent_sum"], district["done"], district["plans_approved"]) == (
        3,
        130,
        0,
        2,
    )  # done: by status, not by percent
    assert full[(net.a.pk, "own")]["contributors"] == 3  # owner, member, and the supervisor who co-wrote


def test_the_command_counts_one_organisation(net: SimpleNamespace, fy: int, capsys: Any) -> None:
    publish(net.a, net.member, "หนึ่ง", fy)

    call_command("platu_refresh_dashboards", "--org", net.a.code, "--year", str(fy))

    assert OrgYear.objects.get(organisation=net.parent, scope="subtree", fiscal_year=fy).items_published == 1
    assert "done in" in capsys.readouterr().out


def test_months_run_october_to_september() -> None:
    months = refresh.months_of(2569)
    assert (months[0], months[-1]) == (dt.date(2025, 10, 1), dt.date(2026, 9, 1))
    assert refresh.expected(dt.date(2026, 1, 1), dt.date(2026, 1, 11), dt.date(2026, 1, 6)) == 50
    assert refresh.expected(None, None, dt.date(2026, 1, 6)) == 0
