"""Issue 18: monitoring rounds — opened by the KM team, entries by the responsible people with
evidence, checked by the KM lead, indicators counted from what happens in Platu, closed by the
CKO (frozen; corrections with a reason), acknowledged by the CEO."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from platu.audit.models import AuditEntry
from platu.knowledge.models import Item
from platu.notify.models import Notification
from platu.tracking.models import Correction, Entry, Evidence, Round
from tests.planning.conftest import client_for


def _open(tw: SimpleNamespace, months: int = 6, due: str = "15/4/2569") -> Any:
    return client_for(tw.lead).post(
        reverse("tracking:rounds", args=[tw.a.code, 2569]), {"months": months, "due_date": due}
    )


def _entry_url(tw: SimpleNamespace, entry: Entry, suffix: str = "") -> str:
    name = "tracking:entry_action" if suffix else "tracking:entry"
    return reverse(name, args=[tw.a.code, 2569, entry.round.months, entry.pk])


def _data(entry: Entry, **changes: Any) -> dict[str, Any]:
    data = {"status": "in_progress", "percent": "40", "result_number": "", "result_unit": "", "result_text": "",
            "problems": "", "solutions": "", "next_steps": "", "version": str(entry.version)}  # fmt: skip
    data.update(changes)
    return data


def test_the_km_team_opens_the_six_month_round(tw: SimpleNamespace) -> None:
    # A date that cannot be read, then one outside the round: messages, nothing opened.
    response = _open(tw, due="31/2/2569")
    assert response.status_code == 200 and "วันที่ไม่ถูกต้อง" in response.content.decode()
    response = _open(tw, due="1/1/2560")
    assert (
        "วันครบกำหนดต้องอยู่ระหว่าง" in response.content.decode()
        and 'value="1/1/2560"' in response.content.decode()
    )
    assert not Round.objects.exists()
    # A teacher may read the rounds but not open one; another school gets 404.
    page = client_for(tw.teacher).get(reverse("tracking:rounds", args=[tw.a.code, 2569])).content.decode()
    assert 'id="open-round"' not in page
    assert client_for(tw.outsider).get(reverse("tracking:rounds", args=[tw.a.code, 2569])).status_code == 404
    response = _open(tw)
    row = Round.objects.get()
    assert response["Location"] == row.get_absolute_url()
    assert (row.period_start, row.period_end, row.due_date) == (
        dt.date(2025, 10, 1),
        dt.date(2026, 3, 31),
        dt.date(2026, 4, 15),
    )
    assert set(Entry.objects.filter(round=row).values_list("activity_id", flat=True)) == {
        tw.act1.pk,
        tw.act2.pk,
    }
    assert AuditEntry.objects.filter(action="tracking.open", organisation=tw.a).exists()
    assert Notification.objects.filter(recipient=tw.teacher.user, kind="tracking.open").exists()
    page = client_for(tw.teacher).get(row.get_absolute_url()).content.decode()
    assert "ถอดบทเรียนครูต้นแบบการสอนอ่าน" in page and "ยังไม่เริ่ม" in page and "planned" not in page
    assert "15 เม.ย. 2569" in page
    assert client_for(tw.outsider).get(row.get_absolute_url()).status_code == 404
    # The teacher sees what she owes on the home page.
    home = client_for(tw.teacher).get("/").content.decode()
    assert "ถอดบทเรียนครูต้นแบบการสอนอ่าน" in home


def test_progress_is_entered_with_evidence_and_bad_input_is_kept(tw: SimpleNamespace) -> None:
    _open(tw)
    entry = Entry.objects.get(activity=tw.act1)
    teacher = client_for(tw.teacher)
    response = teacher.post(_entry_url(tw, entry), _data(entry, percent="130", result_text="เล่าเรื่องแล้วสองวง"))
    body = response.content.decode()
    assert (
        response.status_code == 200
        and "ร้อยละที่ทำได้เป็นจำนวนเต็มตั้งแต่ 0 ถึง 100" in body
        and "เล่าเรื่องแล้วสองวง" in body
    )
    response = teacher.post(_entry_url(tw, entry), _data(entry, result_number="สาม"))
    assert "ระบุผลเป็นตัวเลข" in response.content.decode()
    entry.refresh_from_db()
    assert entry.percent == 0 and entry.version == 1
    assert (
        teacher.post(_entry_url(tw, entry), _data(entry, result_number="2", result_unit="เรื่อง")).status_code
        == 302
    )
    entry.refresh_from_db()
    assert (entry.status, entry.percent, entry.result_number, entry.entered_by) == (
        "in_progress",
        40,
        2,
        tw.teacher,
    )
    # The second activity has no responsible person: the teacher cannot write it.
    other = Entry.objects.get(activity=tw.act2)
    teacher.post(_entry_url(tw, other), _data(other))
    other.refresh_from_db()
    assert other.version == 1
    # Evidence: a photo, a knowledge item she may read; a file too large is a message.
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, "PNG")
    teacher.post(
        _entry_url(tw, entry, "do"),
        {"op": "file", "file": SimpleUploadedFile("ภาพวงเล่าเรื่อง.png", out.getvalue())},
    )
    item = Item.objects.create(organisation=tw.a, owner=tw.teacher, title="บทเรียนการสอนอ่าน", state="published",
                               visibility="organisation", published_at=timezone.now())  # fmt: skip
    teacher.post(_entry_url(tw, entry, "do"), {"op": "item", "item": item.pk})
    teacher.post(_entry_url(tw, entry, "do"), {"op": "link", "url": "javascript:alert(1)"})
    assert sorted(Evidence.objects.filter(entry=entry).values_list("kind", flat=True)) == ["file", "item"]
    ev = Evidence.objects.get(entry=entry, kind="file")
    assert teacher.get(reverse("tracking:evidence_file", args=[ev.uid])).status_code == 200
    assert client_for(tw.supervisor).get(reverse("tracking:evidence_file", args=[ev.uid])).status_code == 200
    assert client_for(tw.outsider).get(reverse("tracking:evidence_file", args=[ev.uid])).status_code == 404
    assert (
        client_for(tw.outsider)
        .post(_entry_url(tw, entry, "do"), {"op": "link", "url": "https://x.th"})
        .status_code
        == 404
    )
    assert client_for(tw.outsider).get(_entry_url(tw, entry)).status_code == 404


def test_two_people_editing_one_entry_never_overwrite_each_other(tw: SimpleNamespace) -> None:
    _open(tw)
    entry = Entry.objects.get(activity=tw.act1)
    first = _data(entry, result_text="ของครูสุดา")
    second = _data(entry, result_text="ของหัวหน้าทีม", percent="60")
    assert client_for(tw.teacher).post(_entry_url(tw, entry), first).status_code == 302
    response = client_for(tw.lead).post(_entry_url(tw, entry), second)
    body = response.content.decode()
    assert response.status_code == 200 and "ของหัวหน้าทีม" in body and 'id="theirs"' in body
    entry.refresh_from_db()
    assert entry.result_text == "ของครูสุดา"


def test_an_indicator_counts_itself_and_the_round_closes_frozen(tw: SimpleNamespace) -> None:
    _open(tw)
    entry = Entry.objects.get(activity=tw.act1)
    lead = client_for(tw.lead)
    lead.post(
        _entry_url(tw, entry, "do"), {"op": "bind", "measure": "knowledge.published", "scope": "organisation"}
    )
    in_round = timezone.make_aware(dt.datetime(2026, 1, 15, 10))
    for title in ("บทเรียนที่หนึ่ง", "บทเรียนที่สอง"):
        Item.objects.create(
            organisation=tw.a, owner=tw.teacher, title=title, state="published", published_at=in_round
        )
    Item.objects.create(organisation=tw.a, owner=tw.teacher, title="หลังรอบ", state="published",
                        published_at=timezone.make_aware(dt.datetime(2026, 5, 1, 10)))  # fmt: skip
    Item.objects.create(
        organisation=tw.b, owner=tw.outsider, title="โรงเรียนอื่น", state="published", published_at=in_round
    )
    # The CKO closes; the KM lead cannot.
    url = reverse("tracking:round_action", args=[tw.a.code, 2569, 6])
    lead.post(url, {"op": "close"})
    assert Round.objects.get().state == "open"
    client_for(tw.cko).post(url, {"op": "close"})
    row = Round.objects.get()
    entry.refresh_from_db()
    assert row.state == "closed" and row.closed_by == tw.cko
    assert (
        entry.computed_value == 2
        and entry.computed_detail["count"] == 2
        and entry.computed_detail["measure"] == "knowledge.published"
    )
    page = client_for(tw.teacher).get(_entry_url(tw, entry)).content.decode()
    assert "นับโดยปลาทู" in page and 'id="counted-rows"' in page
    counted = page[page.index('id="counted-rows"') :].split("</details>")[0]
    assert "บทเรียนที่หนึ่ง" in counted and "บทเรียนที่สอง" in counted and "หลังรอบ" not in counted
    # After close: a change needs a reason and keeps the entry as it was.
    response = client_for(tw.teacher).post(_entry_url(tw, entry), _data(entry, percent="100", status="done"))
    assert "บอกเหตุผล" in response.content.decode()
    client_for(tw.teacher).post(
        _entry_url(tw, entry), _data(entry, percent="100", status="done", reason="ลืมบันทึกวงที่สาม")
    )
    entry.refresh_from_db()
    correction = Correction.objects.get(entry=entry)
    assert entry.percent == 100 and correction.before["percent"] == 0 and correction.reason == "ลืมบันทึกวงที่สาม"
    # A hand-set value needs its reason.
    response = client_for(tw.lead).post(
        _entry_url(tw, entry), _data(entry, status="done", percent="100", override_value="3", reason="แก้ค่า")
    )
    assert "เหตุผลที่กำหนดค่าเอง" in response.content.decode() or "บอกเหตุผลที่" in response.content.decode()
    # The CEO acknowledges (only after close, only the CEO).
    client_for(tw.cko).post(url, {"op": "acknowledge"})
    assert Round.objects.get().state == "closed"
    client_for(tw.ceo).post(url, {"op": "acknowledge", "comment": "รับทราบ ให้ขยายผล"})
    row.refresh_from_db()
    assert row.state == "acknowledged" and row.ceo_comment == "รับทราบ ให้ขยายผล"
    assert {
        a
        for a in AuditEntry.objects.filter(organisation=tw.a).values_list("action", flat=True)
        if a.startswith("tracking.")
    } >= {"tracking.open", "tracking.bind", "tracking.close", "tracking.correct", "tracking.acknowledge"}


def test_the_km_lead_checks_and_reminders_go_before_the_due_date(tw: SimpleNamespace) -> None:
    from platu.tracking.housekeeping import remind

    _open(tw)
    entry = Entry.objects.get(activity=tw.act1)
    client_for(tw.km).post(_entry_url(tw, entry, "do"), {"op": "check"})
    entry.refresh_from_db()
    assert entry.checked_at is None
    client_for(tw.lead).post(_entry_url(tw, entry, "do"), {"op": "check", "comment": "ครบถ้วน"})
    entry.refresh_from_db()
    assert entry.checked_by == tw.lead and entry.check_comment == "ครบถ้วน"
    Round.objects.update(due_date=timezone.localdate() + dt.timedelta(days=3))
    assert remind() == "1 monitoring reminder(s) sent"
    assert remind() == "0 monitoring reminder(s) sent"  # once a day
    assert Notification.objects.filter(recipient=tw.teacher.user, kind="tracking.reminder").count() == 1
