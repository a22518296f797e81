"""Communities of practice and their sessions (issue 17, first part): starting a PLC, who sees
it, joining, a weekly series, RSVPs across the series, attendance and the QR check-in."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from platu.audit.models import AuditEntry
from platu.communities import actions
from platu.communities.models import Attendance, Community, Member, Rsvp, Session
from platu.lib.errors import InvalidAction
from tests.conftest import make_person


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


@pytest.fixture
def plc(world: SimpleNamespace) -> SimpleNamespace:
    w = world
    client = client_for(w.member)
    response = client.post(reverse("communities:new", args=[w.a.code]), {
        "name": "PLC ครูภาษาไทย ป.1-3", "kind": "plc", "purpose": "พัฒนาการสอนอ่านออกเขียนได้",
        "charter": "", "visibility": "organisation", "status": "active",
    })  # fmt: skip
    assert response.status_code == 302
    w.plc = Community.objects.get(name="PLC ครูภาษาไทย ป.1-3")
    return w


def test_a_teacher_starts_a_plc_and_is_its_facilitator(plc: SimpleNamespace) -> None:
    member = Member.objects.get(community=plc.plc)
    assert member.person == plc.member and member.role == Member.Role.FACILITATOR
    assert AuditEntry.objects.filter(action="community.create", organisation=plc.a).exists()
    page = client_for(plc.member).get(plc.plc.get_absolute_url()).content.decode()
    assert "PLC ครูภาษาไทย ป.1-3" in page and 'id="schedule"' in page


def test_another_organisation_gets_404_and_the_parent_office_reads_it(plc: SimpleNamespace) -> None:
    url = plc.plc.get_absolute_url()
    assert client_for(plc.outsider).get(url).status_code == 404
    assert (
        client_for(plc.outsider)
        .post(reverse("communities:membership", args=[plc.plc.pk]), {"op": "join"})
        .status_code
        == 404
    )
    assert client_for(plc.supervisor).get(url).status_code == 200
    listing = client_for(plc.outsider).get(reverse("communities:list")).content.decode()
    assert "PLC ครูภาษาไทย" not in listing


def test_joining_the_home_organisation_at_once_others_ask(plc: SimpleNamespace) -> None:
    client_for(plc.owner).post(reverse("communities:membership", args=[plc.plc.pk]), {"op": "join"})
    assert Member.objects.get(community=plc.plc, person=plc.owner).state == Member.State.MEMBER
    plc.plc.visibility = Community.Visibility.NETWORK
    plc.plc.save()
    # The parent office's person sees it (network) but is not of the home organisation: asks.
    client_for(plc.supervisor).post(reverse("communities:membership", args=[plc.plc.pk]), {"op": "join"})
    asked = Member.objects.get(community=plc.plc, person=plc.supervisor)
    assert asked.state == Member.State.REQUESTED
    # A facilitator may not name an enabler (who signs hours off): the administrators do.
    client_for(plc.member).post(reverse("communities:membership", args=[plc.plc.pk]),
                                {"op": "accept", "person": plc.supervisor.pk, "role": "enabler"})  # fmt: skip
    asked.refresh_from_db()
    assert asked.state == Member.State.REQUESTED
    client_for(plc.member).post(reverse("communities:membership", args=[plc.plc.pk]),
                                {"op": "accept", "person": plc.supervisor.pk, "role": "practitioner"})  # fmt: skip
    asked.refresh_from_db()
    assert asked.state == Member.State.MEMBER and asked.role == Member.Role.PRACTITIONER
    # Someone new is invited, never made a member without saying so.
    teacher = make_person("teacher9", "ชื่อ", "ใหม่", org=plc.a, roles=["member"])
    client_for(plc.member).post(reverse("communities:membership", args=[plc.plc.pk]),
                                {"op": "role", "person": teacher.pk, "role": "facilitator"})  # fmt: skip
    assert Member.objects.get(community=plc.plc, person=teacher).state == Member.State.INVITED


def test_the_last_facilitator_cannot_leave(plc: SimpleNamespace) -> None:
    response = client_for(plc.member).post(
        reverse("communities:membership", args=[plc.plc.pk]), {"op": "leave"}, follow=True
    )
    assert Member.objects.filter(community=plc.plc, person=plc.member).exists()
    assert "ต้องมีคุณอำนวย" in response.content.decode()


def _schedule(plc: SimpleNamespace, title: str = "วง PLC ประจำสัปดาห์", **extra: str) -> Any:
    data = {"title": title, "day": "3/12/2569", "start": "15.30", "end": "16:30",
            "place": "ห้องประชุม 1", "online_url": "", "agenda": "ทบทวนแผนการสอนอ่าน", **extra}  # fmt: skip
    return client_for(plc.member).post(reverse("communities:session_new", args=[plc.plc.pk]), data)


def test_a_weekly_series_until_a_date(plc: SimpleNamespace) -> None:
    response = _schedule(plc, rule="weekly", until="31/12/2569")
    assert response.status_code == 302
    sessions = list(Session.objects.filter(community=plc.plc))
    assert [s.starts_at.astimezone(dt.timezone(dt.timedelta(hours=7))).date().day for s in sessions] == [
        3,
        10,
        17,
        24,
        31,
    ]
    assert {s.series_id for s in sessions} == {sessions[0].series_id} and sessions[0].series_id
    assert sessions[0].hours == 1


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"rule": "weekly", "until": ""}, "end"),
        ({"day": "31/2/2569"}, ""),
        ({"start": "16:30", "end": "15:30"}, ""),
        ({"rule": "weekly", "until": "1/12/2571"}, ""),
    ],
)
def test_bad_schedules_come_back_with_a_message_and_nothing_lost(
    plc: SimpleNamespace, extra: dict[str, str], message: str
) -> None:
    response = _schedule(plc, **extra)
    body = response.content.decode()
    assert response.status_code == 200 and "ทบทวนแผนการสอนอ่าน" in body  # what was typed is still there
    assert 'class="invalid-feedback' in body or "alert-danger" in body
    assert not Session.objects.filter(community=plc.plc).exists()


def test_one_rsvp_carries_across_the_series_and_a_session_answer_wins(plc: SimpleNamespace) -> None:
    _schedule(plc, rule="weekly", until="17/12/2569")
    client_for(plc.owner).post(reverse("communities:membership", args=[plc.plc.pk]), {"op": "join"})
    first, second, third = Session.objects.filter(community=plc.plc)
    owner = client_for(plc.owner)
    owner.post(reverse("communities:rsvp", args=[first.pk]), {"answer": "going", "series": "1"})
    owner.post(reverse("communities:rsvp", args=[second.pk]), {"answer": "no"})
    assert actions.answer_of(plc.owner, first) == "going" and actions.answer_of(plc.owner, third) == "going"
    assert actions.answer_of(plc.owner, second) == "no"
    assert Rsvp.objects.filter(person=plc.owner).count() == 2
    # Someone outside the community cannot answer.
    client_for(plc.supervisor).post(reverse("communities:rsvp", args=[first.pk]), {"answer": "going"})
    assert not Rsvp.objects.filter(person=plc.supervisor).exists()


def test_attendance_credits_hours_from_who_came(plc: SimpleNamespace) -> None:
    _schedule(plc)
    session = Session.objects.get(community=plc.plc)
    client_for(plc.owner).post(reverse("communities:membership", args=[plc.plc.pk]), {"op": "join"})
    manager = client_for(plc.member)
    manager.post(reverse("communities:attendance", args=[session.pk]),
                 {"present": [plc.owner.pk, plc.outsider.pk, "9" * 25, "abc"], "guests": "ดร.สมศรี วิทยากร"})  # fmt: skip
    rows = Attendance.objects.filter(session=session)
    assert {(r.person, r.guest_name) for r in rows} == {(plc.owner, ""), (None, "ดร.สมศรี วิทยากร")}
    assert all(r.hours == 1 for r in rows)
    session.refresh_from_db()
    assert session.state == Session.State.HELD
    # A member who is not a facilitator cannot mark attendance.
    teacher = make_person("teacher2", "สมหญิง", "ใจดี", org=plc.a, roles=["member"])
    client_for(teacher).post(reverse("communities:membership", args=[plc.plc.pk]), {"op": "join"})
    client_for(teacher).post(reverse("communities:attendance", args=[session.pk]), {"present": [teacher.pk]})
    assert not Attendance.objects.filter(session=session, person=teacher).exists()


def _now_slot() -> dict[str, str]:
    """Today (B.E.) and a slot around now, so that check-in is open (an hour before to an hour after)."""
    from django.utils import timezone

    from platu.lib import thaidate

    now = timezone.localtime()
    start = max(now - dt.timedelta(minutes=30), now.replace(hour=0, minute=0))
    end = min(start + dt.timedelta(hours=1), now.replace(hour=23, minute=59))

    def be(day: dt.datetime) -> str:
        return f"{day.day}/{day.month}/{thaidate.to_be(day.year)}"

    until = now + dt.timedelta(days=28)
    return {
        "day": be(now),
        "start": start.strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
        "until": be(until),
    }


def test_qr_check_in(plc: SimpleNamespace, settings: Any) -> None:
    slot = _now_slot()
    _schedule(plc, day=slot["day"], start=slot["start"], end=slot["end"])
    session = Session.objects.get(community=plc.plc)
    client_for(plc.owner).post(reverse("communities:membership", args=[plc.plc.pk]), {"op": "join"})
    page = client_for(plc.member).get(session.get_absolute_url()).content.decode()
    assert "<svg" in page
    link = re.search(r'id="checkin-link"', page) and re.search(r'href="(http[^"]+/checkin/[^"]+)"', page)[1]
    path = link.split("testserver", 1)[1]
    owner = client_for(plc.owner)
    assert owner.get(path).status_code == 200 and not Attendance.objects.exists()  # a GET changes nothing
    assert owner.post(path).status_code == 302
    assert Attendance.objects.get(session=session, person=plc.owner).method == Attendance.Method.QR
    # Expired, forged and another session's codes are refused with a message.
    settings.PLATU_CHECKIN_MINUTES = -1
    with pytest.raises(InvalidAction):
        actions.check_in(session, actions.checkin_token(session), acting_user=plc.member.user)
    settings.PLATU_CHECKIN_MINUTES = 15
    with pytest.raises(InvalidAction):
        actions.check_in(session, "1:forged:token", acting_user=plc.member.user)
    other = Session.objects.create(
        community=plc.plc, title="x", starts_at=session.starts_at, ends_at=session.ends_at
    )
    with pytest.raises(InvalidAction):
        actions.check_in(session, actions.checkin_token(other), acting_user=plc.member.user)
    # An outsider with a valid code still gets 404.
    token = signing.TimestampSigner(salt=actions.CHECKIN_SALT).sign(str(session.pk))
    assert (
        client_for(plc.outsider).post(reverse("communities:checkin", args=[session.pk, token])).status_code
        == 404
    )


def test_communities_are_found_by_search(plc: SimpleNamespace) -> None:
    from platu.search import pending, service
    from platu.search.registry import get

    pending.flush()
    found = service.search(get("communities"), plc.member.user, "การสอนอ่าน", limit=5)
    assert [h.obj.pk for h in found.hits] == [plc.plc.pk]
    assert service.search(get("communities"), plc.outsider.user, "การสอนอ่าน", limit=5).hits == []


def test_the_record_is_written_signed_off_and_made_into_knowledge(plc: SimpleNamespace) -> None:
    from platu.communities.models import SessionRecord
    from platu.knowledge.models import Item

    _schedule(plc)
    session = Session.objects.get(community=plc.plc)
    teacher = make_person("teacher3", "วันดี", "ตั้งใจ", org=plc.a, roles=["member"])
    client_for(teacher).post(reverse("communities:membership", args=[plc.plc.pk]), {"op": "join"})
    client_for(plc.member).post(
        reverse("communities:attendance", args=[session.pk]), {"present": [teacher.pk]}
    )
    url = reverse("communities:record", args=[session.pk])
    fields = dict.fromkeys(SessionRecord.TEXT_FIELDS, "")
    data = {**fields, "version": "0", "topic": "นักเรียน ป.1 อ่านสะกดคำไม่ได้", "aar_next": "ทดลองบัตรคำ 2 สัปดาห์",
            "minutes": "<p>ประชุม</p><script>alert(1)</script>"}  # fmt: skip
    # A practitioner cannot write it; the facilitator can.
    client_for(teacher).post(url, data)
    assert not SessionRecord.objects.exists()
    assert client_for(plc.member).post(url, data).status_code == 302
    row = SessionRecord.objects.get(session=session)
    assert row.topic.startswith("นักเรียน") and "<script" not in row.minutes
    # Save as knowledge: a draft AAR with the attendee as co-author, linked both ways.
    response = client_for(plc.member).post(
        reverse("communities:record_action", args=[session.pk]), {"op": "knowledge"}
    )
    item = Item.objects.get(community_sessions=row)
    assert response["Location"] == item.get_absolute_url()
    assert item.kind == "aar" and item.state == "draft" and list(item.coauthors.all()) == [teacher]
    assert "ทดลองบัตรคำ" in item.body
    assert 'id="from-session"' in client_for(plc.member).get(item.get_absolute_url()).content.decode()
    # The head (the CEO here) signs it off; then it cannot be edited until reopened.
    client_for(teacher).post(reverse("communities:record_action", args=[session.pk]), {"op": "sign"})
    assert SessionRecord.objects.get(pk=row.pk).signed_at is None
    client_for(plc.owner).post(reverse("communities:record_action", args=[session.pk]), {"op": "sign"})
    row.refresh_from_db()
    assert row.signed_by == plc.owner and row.signed_at
    client_for(plc.member).post(url, {**data, "version": str(row.version), "topic": "แก้ภายหลัง"})
    assert SessionRecord.objects.get(pk=row.pk).topic.startswith("นักเรียน")


def test_the_logbook_counts_hours_from_attendance_and_prints(plc: SimpleNamespace, tmp_path: Any) -> None:
    import subprocess

    _schedule(plc, rule="weekly", until="17/12/2569")
    teacher = make_person("teacher4", "ปราณี", "ขยัน", org=plc.a, roles=["member"], position="ครู")
    client_for(teacher).post(reverse("communities:membership", args=[plc.plc.pk]), {"op": "join"})
    first, second, _third = Session.objects.filter(community=plc.plc)
    for s in (first, second):
        client_for(plc.member).post(reverse("communities:attendance", args=[s.pk]), {"present": [teacher.pk]})
    client = client_for(teacher)
    page = client.get(reverse("communities:my_hours"), {"fy": "2570"}).content.decode()
    assert "วง PLC ประจำสัปดาห์" in page and "ปีงบประมาณนี้ 2.00 ชั่วโมง" in page
    pdf = client.get(reverse("communities:my_hours"), {"fy": "2570", "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    path = tmp_path / "logbook.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "ปราณี ขยัน" in text and "ลงชื่อ" in text and "2.00" in text
    for fmt in ("docx", "xlsx"):
        assert client.get(reverse("communities:my_hours"), {"fy": "2570", "format": fmt}).status_code == 200
    # The organisation's summary: the teacher is below 50 hours; only administrators see it.
    summary = client_for(plc.owner).get(reverse("communities:org_hours", args=[plc.a.code]), {"fy": "2570"})
    assert summary.status_code == 200 and "ปราณี ขยัน" in summary.content.decode()
    assert client.get(reverse("communities:org_hours", args=[plc.a.code])).status_code == 404
    assert (
        client_for(plc.outsider)
        .get(reverse("communities:person_hours", args=[plc.a.code, teacher.pk]))
        .status_code
        == 404
    )


def test_calendar_month_and_the_parent_office_sees_its_schools_sessions(plc: SimpleNamespace) -> None:
    _schedule(plc, rule="weekly", until="17/12/2569")
    page = client_for(plc.member).get(reverse("communities:calendar"), {"month": "2569-12"}).content.decode()
    assert page.count("วง PLC ประจำสัปดาห์") >= 3 and "ธันวาคม 2569" in page
    office = client_for(plc.supervisor).get(reverse("communities:calendar"),
                                            {"scope": "org", "org": plc.parent.code, "month": "2569-12"})  # fmt: skip
    assert "วง PLC ประจำสัปดาห์" in office.content.decode()
    assert (
        client_for(plc.outsider)
        .get(reverse("communities:calendar"), {"scope": "org", "org": plc.a.code})
        .status_code
        == 404
    )
    # The number of queries does not grow with the sessions shown.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client_for(plc.member).get(reverse("communities:calendar"), {"month": "2569-12"})
    _schedule(plc, rule="weekly", until="31/12/2569", title="วงที่สอง")
    with CaptureQueriesContext(connection) as more:
        client_for(plc.member).get(reverse("communities:calendar"), {"month": "2569-12"})
    assert len(more) == len(few)


def test_ical_feeds_parse_and_show_the_series(plc: SimpleNamespace) -> None:
    import icalendar

    _schedule(plc, rule="weekly", until="17/12/2569")
    client = client_for(plc.member)
    client.post(reverse("communities:calendar_tokens"), {"op": "new"})
    from platu.communities.models import CalendarToken

    token = CalendarToken.objects.get(user=plc.member.user)
    feed = Client().get(reverse("communities:calendar_feed", args=[token.token]))
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    events = icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
    assert len(events) == 3 and {str(e["summary"]) for e in events} == {
        "วง PLC ประจำสัปดาห์ · PLC ครูภาษาไทย ป.1-3"
    }
    assert events[0].decoded("dtstart").utcoffset() is not None
    one = Client().get(reverse("communities:calendar_feed", args=[token.token]), {"community": plc.plc.pk})
    assert len(icalendar.Calendar.from_ical(one.content).walk("VEVENT")) == 3
    session = Session.objects.filter(community=plc.plc).first()
    ics = client.get(reverse("communities:session_ics", args=[session.pk]))
    assert len(icalendar.Calendar.from_ical(ics.content).walk("VEVENT")) == 1
    assert (
        client_for(plc.outsider).get(reverse("communities:session_ics", args=[session.pk])).status_code == 404
    )
    # Revoked: the address stops working. Someone else's community through my feed: 404.
    client.post(reverse("communities:calendar_tokens"), {"op": "revoke", "token": token.pk})
    assert Client().get(reverse("communities:calendar_feed", args=[token.token])).status_code == 404
    client_for(plc.outsider).post(reverse("communities:calendar_tokens"), {"op": "new"})
    other = CalendarToken.objects.get(user=plc.outsider.user)
    assert (
        Client()
        .get(reverse("communities:calendar_feed", args=[other.token]), {"community": plc.plc.pk})
        .status_code
        == 404
    )


def test_a_session_is_evidence_for_form2_activities(plc: SimpleNamespace) -> None:
    from platu.planning.models import Activity, Plan

    plan = Plan.objects.create(organisation=plc.a, fiscal_year=2570)
    activity = Activity.objects.create(plan=plan, name="วง PLC สอนอ่านทุกสัปดาห์")
    other_plan = Plan.objects.create(organisation=plc.b, fiscal_year=2570)
    foreign = Activity.objects.create(plan=other_plan, name="กิจกรรมของโรงเรียนอื่น")
    _schedule(plc)
    session = Session.objects.get(community=plc.plc)
    client_for(plc.member).post(
        reverse("communities:activities", args=[session.pk]), {"activities": [activity.pk, foreign.pk]}
    )
    assert list(session.activities.all()) == [activity]  # another organisation's activity is not offered
    form2 = (
        client_for(plc.owner)
        .get(reverse("planning:sheet", args=[plc.a.code, 2570, "action-plan"]))
        .content.decode()
    )
    assert session.get_absolute_url() in form2


def test_members_are_reminded_the_day_before_once(
    plc: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    from io import StringIO

    from django.core import mail
    from django.core.management import call_command
    from django.utils import timezone

    from platu.lib import thaidate
    from platu.notify.models import Notification

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    day = f"{tomorrow.day}/{tomorrow.month}/{thaidate.to_be(tomorrow.year)}"
    _schedule(plc, day=day)
    client_for(plc.owner).post(reverse("communities:membership", args=[plc.plc.pk]), {"op": "join"})
    session = Session.objects.get(community=plc.plc)
    client_for(plc.owner).post(reverse("communities:rsvp", args=[session.pk]), {"answer": "no"})
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("platu_housekeeping", stdout=out)
    assert "communities.reminders: 1 session reminder(s) sent" in out.getvalue()
    reminded = Notification.objects.filter(kind="community.reminder")
    assert [n.recipient for n in reminded] == [plc.member.user]  # the owner said no
    assert "15:30" in reminded.get().text and any(plc.member.user.email in m.to for m in mail.outbox)
    call_command("platu_housekeeping", stdout=StringIO())
    assert Notification.objects.filter(kind="community.reminder").count() == 1  # once


def test_a_change_to_one_session_or_to_all_following(plc: SimpleNamespace) -> None:
    _schedule(plc, rule="weekly", until="24/12/2569")
    _first, second, third, fourth = Session.objects.filter(community=plc.plc)
    client = client_for(plc.member)
    base = {
        "title": "วง PLC (ย้ายห้อง)",
        "start": "14:00",
        "end": "15:30",
        "place": "ห้องสมุด",
        "online_url": "",
        "agenda": "",
    }
    client.post(
        reverse("communities:session_edit", args=[second.pk]), {**base, "day": "10/12/2569", "scope": "this"}
    )
    assert (
        Session.objects.get(pk=second.pk).place == "ห้องสมุด"
        and Session.objects.get(pk=third.pk).place == "ห้องประชุม 1"
    )
    client.post(
        reverse("communities:session_edit", args=[third.pk]),
        {**base, "day": "17/12/2569", "scope": "following", "place": "ห้องเรียน ป.2"},
    )
    places = list(Session.objects.filter(community=plc.plc).values_list("place", flat=True))
    assert places == ["ห้องประชุม 1", "ห้องสมุด", "ห้องเรียน ป.2", "ห้องเรียน ป.2"]
    fourth.refresh_from_db()
    local = fourth.starts_at.astimezone(dt.timezone(dt.timedelta(hours=7)))
    assert (local.day, local.hour, local.minute) == (24, 14, 0)  # its own date, the new time
    # A member cannot change it; end before start is a message.
    assert "ห้องเรียน ป.2" in client.get(reverse("communities:session_edit", args=[fourth.pk])).content.decode()
    bad = client.post(
        reverse("communities:session_edit", args=[fourth.pk]),
        {**base, "day": "24/12/2569", "start": "16:00", "end": "15:00", "scope": "this"},
    )
    assert bad.status_code == 200 and "alert-danger" in bad.content.decode()
    assert Session.objects.get(pk=fourth.pk).place == "ห้องเรียน ป.2"


def test_review_findings_hours_cannot_be_self_approved_or_changed_after_sign_off(
    plc: SimpleNamespace,
) -> None:
    from platu.communities.models import SessionRecord

    _schedule(plc, start="15.30 น.", end="๑๖.๓๐")  # the Thai ways of writing a time
    session = Session.objects.get(community=plc.plc)
    assert session.hours == 1
    client_for(plc.owner).post(reverse("communities:membership", args=[plc.plc.pk]), {"op": "join"})
    client_for(plc.member).post(
        reverse("communities:attendance", args=[session.pk]), {"present": [plc.owner.pk]}
    )
    SessionRecord.objects.create(session=session, topic="ทดสอบ", written_by=plc.member)
    # The CEO attended this one: they may not sign it off.
    from platu.lib.errors import ActionRefused

    with pytest.raises(ActionRefused):
        actions.sign_record(session, acting_user=plc.owner.user)
    client_for(plc.member).post(reverse("communities:attendance", args=[session.pk]), {"present": []})
    actions.sign_record(session, acting_user=plc.owner.user)
    assert SessionRecord.objects.get(session=session).signed_at
    # Signed: attendance no longer changes.
    client_for(plc.member).post(
        reverse("communities:attendance", args=[session.pk]), {"present": [plc.owner.pk]}
    )
    assert not Attendance.objects.filter(session=session).exists()


def test_review_findings_times_changed_hours_follow_and_search_sees_new_sessions(
    plc: SimpleNamespace,
) -> None:
    from platu.search import pending, service
    from platu.search.registry import get

    _schedule(plc, title="วงถอดบทเรียนสมุนไพร")
    pending.flush()
    assert [
        h.obj.pk for h in service.search(get("communities"), plc.member.user, "สมุนไพร", limit=5).hits
    ] == [plc.plc.pk]
    session = Session.objects.get(community=plc.plc)
    client_for(plc.member).post(
        reverse("communities:attendance", args=[session.pk]), {"present": [plc.member.pk]}
    )
    client_for(plc.member).post(reverse("communities:session_edit", args=[session.pk]),
                                {"title": session.title, "day": "3/12/2569", "start": "15:30", "end": "16:00",
                                 "place": "", "online_url": "", "agenda": ""})  # fmt: skip
    assert Attendance.objects.get(session=session).hours == 0.5


def test_review_findings_an_invited_teacher_of_another_school_sees_and_accepts(plc: SimpleNamespace) -> None:
    sibling = make_person("sibling", "ครู", "โรงเรียนพี่น้อง", org=plc.parent, roles=["member"])
    client_for(plc.member).post(reverse("communities:membership", args=[plc.plc.pk]),
                                {"op": "invite", "person": sibling.pk, "role": "practitioner"})  # fmt: skip
    assert client_for(sibling).get(plc.plc.get_absolute_url()).status_code == 200
    client_for(sibling).post(reverse("communities:membership", args=[plc.plc.pk]), {"op": "join"})
    assert Member.objects.get(community=plc.plc, person=sibling).state == Member.State.MEMBER


def test_a_community_follows_its_organisation_to_a_new_parent(plc: SimpleNamespace) -> None:
    from platu.orgs.models import Organisation

    other = Organisation.objects.create(
        code="office-2", kind="district_education_office", name_th="สำนักงานเขตที่สอง"
    )
    plc.a.parent = other
    plc.a.save()
    plc.plc.refresh_from_db()
    plc.a.refresh_from_db()
    assert plc.plc.network_path == Organisation.objects.get(pk=other.pk).path


def test_an_over_long_record_field_is_a_message_not_a_cut(plc: SimpleNamespace) -> None:
    from platu.communities.models import SessionRecord

    _schedule(plc)
    session = Session.objects.get(community=plc.plc)
    data = {
        **dict.fromkeys(SessionRecord.TEXT_FIELDS, ""),
        "minutes": "",
        "version": "0",
        "topic": "ก" * 20_001,
    }
    response = client_for(plc.member).post(reverse("communities:record", args=[session.pk]), data)
    assert response.status_code == 200 and "alert-danger" in response.content.decode()
    assert not SessionRecord.objects.exists()


def test_the_week_view(plc: SimpleNamespace) -> None:
    _schedule(plc, rule="weekly", until="17/12/2569")
    page = (
        client_for(plc.member)
        .get(reverse("communities:calendar"), {"view": "week", "day": "2569-12-10"})
        .content.decode()
    )
    assert page.count("วง PLC ประจำสัปดาห์") == 2  # the grid and the phone list: one session that week
    assert "6 ธ.ค. 2569 – 12 ธ.ค. 2569" in page
    assert (
        client_for(plc.member)
        .get(reverse("communities:calendar"), {"view": "week", "day": "garbage"})
        .status_code
        == 200
    )


def test_the_community_and_session_pages_keep_their_query_counts(plc: SimpleNamespace) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _schedule(plc, rule="weekly", until="10/12/2569")
    client = client_for(plc.member)
    session = Session.objects.filter(community=plc.plc).first()
    client.get(plc.plc.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(plc.plc.get_absolute_url())
    with CaptureQueriesContext(connection) as few_session:
        client.get(session.get_absolute_url())
    for i in range(4):
        make_person(f"more{i}", "สมาชิก", f"คนที่{i}", org=plc.a, roles=["member"])
    for username in ("more0", "more1", "more2", "more3"):
        from platu.orgs.models import Person

        teacher = Person.objects.get(user__username=username)
        client_for(teacher).post(reverse("communities:membership", args=[plc.plc.pk]), {"op": "join"})
    _schedule(plc, title="วงที่สอง", rule="weekly", until="31/12/2569")
    with CaptureQueriesContext(connection) as more:
        client.get(plc.plc.get_absolute_url())
    with CaptureQueriesContext(connection) as more_session:
        client.get(session.get_absolute_url())
    assert len(more) == len(few) and len(more_session) == len(few_session)
