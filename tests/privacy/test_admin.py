"""Retention (audit rows and downloads), the breach log with its 72-hour clock, and the record of
processing (ROPA) printed as PDF."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from types import SimpleNamespace

from django.urls import reverse
from django.utils import timezone

from platu.audit.log import record
from platu.audit.models import AuditEntry
from platu.notify.models import Notification
from platu.privacy import housekeeping
from platu.privacy.models import Breach, PrivacySettings
from tests.privacy.conftest import client_for


def test_retention_deletes_audit_rows_older_than_the_setting(pw: SimpleNamespace) -> None:
    old = record("org.update", actor=pw.owner.user, obj=pw.a)
    new = record("org.update", actor=pw.owner.user, obj=pw.a)
    AuditEntry.objects.filter(pk=old.pk)  # the log itself refuses update(): set the date by SQL
    from django.db import models

    models.QuerySet(model=AuditEntry).filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=400))
    page = client_for(pw.staff).post(reverse("privacy:settings"), {
        "audit_retention_days": "365", "export_retention_days": "7", "controller": "สำนักงานเขตพื้นที่ทดสอบ",
        "controller_contact": "", "dpo": "", "dpo_contact": "", "security": "",
    })  # fmt: skip
    assert page.status_code == 302 and PrivacySettings.get().audit_retention_days == 365
    assert "1 audit row(s)" in housekeeping.retention()
    assert not AuditEntry.objects.filter(pk=old.pk).exists() and AuditEntry.objects.filter(pk=new.pk).exists()


def test_bad_settings_keep_what_was_typed(pw: SimpleNamespace) -> None:
    page = client_for(pw.staff).post(reverse("privacy:settings"), {"audit_retention_days": "ห้าปี",
                                                                    "export_retention_days": "7", "dpo": "นายดีพีโอ"})  # fmt: skip
    assert page.status_code == 200 and "นายดีพีโอ" in page.content.decode()


def test_a_breach_shows_the_hours_left_then_overdue_and_reminds(pw: SimpleNamespace) -> None:
    client = client_for(pw.staff)
    found = timezone.localtime() - dt.timedelta(hours=60)
    response = client.post(reverse("privacy:breach_new"), {
        "discovered_on": found.strftime("%d/%m/") + str(found.year + 543), "discovered_time": found.strftime("%H:%M"),
        "description": "แฟ้มรายชื่อครูหลุดทางอีเมล", "data_affected": "ชื่อ เบอร์โทร", "people_affected": "40",
        "risk": "medium",
    })  # fmt: skip
    assert response.status_code == 302
    breach = Breach.objects.get()
    assert 11 <= breach.hours_left() <= 12
    page = client.get(reverse("privacy:breaches")).content.decode()
    assert "breach-clock" in page and "text-danger" not in page.split("breaches")[-1].split("</table>")[0]
    edit = client.get(reverse("privacy:breach", args=[breach.pk])).content.decode()
    assert "แฟ้มรายชื่อครูหลุดทางอีเมล" in edit and str(found.year + 543) in edit  # B.E. in the form
    assert "1 breach reminder(s)" in housekeeping.breaches()
    assert Notification.objects.filter(recipient=pw.staff, kind="privacy.breach").exists()
    assert "0 breach reminder(s)" in housekeeping.breaches()  # once
    Breach.objects.filter(pk=breach.pk).update(discovered_at=timezone.now() - dt.timedelta(hours=80))
    page = client.get(reverse("privacy:breaches")).content.decode()
    assert "text-danger breach-clock" in page
    # Notified: no longer counting.
    Breach.objects.filter(pk=breach.pk).update(pdpc_notified_at=timezone.now() - dt.timedelta(hours=70))
    assert "text-success breach-clock" in client.get(reverse("privacy:breaches")).content.decode()


def test_a_future_discovery_is_a_message_not_a_500(pw: SimpleNamespace) -> None:
    later = timezone.localtime() + dt.timedelta(days=3)
    page = client_for(pw.staff).post(reverse("privacy:breach_new"), {
        "discovered_on": later.strftime("%d/%m/") + str(later.year + 543), "discovered_time": "10:00",
        "description": "เหตุทดสอบที่พิมพ์ไว้", "people_affected": "1", "risk": "high",
    })  # fmt: skip
    assert page.status_code == 200 and "เหตุทดสอบที่พิมพ์ไว้" in page.content.decode()
    assert not Breach.objects.exists()


def test_the_ropa_prints_in_thai(pw: SimpleNamespace, tmp_path: Path) -> None:
    conf = PrivacySettings.get()
    conf.controller, conf.dpo = "สำนักงานเขตพื้นที่ทดสอบ", "นางสาวคุ้มครอง ข้อมูลดี"
    conf.save()
    client = client_for(pw.staff)
    assert "ROPA" in client.get(reverse("privacy:ropa")).content.decode()
    response = client.get(reverse("privacy:ropa") + "?format=pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "ropa.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(text.replace("\u0e4d\u0e32", "\u0e33").split())  # pdftotext splits sara am
    assert "บันทึกรายการกิจกรรมการประมวลผลข้อมูลส่วนบุคคล" in flat.replace(" ", "") or "ROPA" in flat
    assert "สำนักงานเขตพื้นที่ทดสอบ" in flat.replace(" ", "")
    assert "นางสาวคุ้มครอง" in flat.replace(" ", "")
    docx = client.get(reverse("privacy:ropa") + "?format=docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


def test_garbage_in_the_admin_forms_is_a_message_not_a_500(pw: SimpleNamespace) -> None:
    client = client_for(pw.staff)
    for value in ("abc", "9" * 25, "-1", "x" * 100_000, "²"):
        page = client.post(
            reverse("privacy:settings"), {"audit_retention_days": value, "export_retention_days": value}
        )
        assert page.status_code == 200, value
        page = client.post(reverse("privacy:breach_new"), {
            "discovered_on": value, "discovered_time": value, "description": value, "people_affected": value,
            "risk": value, "pdpc_on": value,
        })  # fmt: skip
        assert page.status_code == 200, value
    assert not Breach.objects.exists() and PrivacySettings.get().audit_retention_days == 5 * 365
