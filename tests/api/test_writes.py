"""Writes through the API for communities, monitoring evidence and plan editing: the pages'
actions (the same audit rows as the pages write), their version checks (409), their rules
(a plan that is no longer a draft answers 409 with the reason), and 404 for what the caller's
organisation may not see. And the rate limit's Retry-After, and surveys' results keeping small groups
hidden as their page does."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from platu.accounts import tokens
from platu.api import api as platu_api
from platu.audit.models import AuditEntry
from platu.communities.models import Attendance, Community, Member, Session, SessionRecord
from platu.knowledge import actions as knowledge_actions
from platu.orgs.models import Organisation
from platu.planning.models import Activity, Plan
from platu.surveys import actions as survey_actions
from platu.tracking.models import Entry, Evidence
from tests.conftest import make_person
from tests.planning.conftest import client_for
from tests.planning.conftest import pw as pw
from tests.planning.test_pages import form_data, url
from tests.tracking.conftest import tw as tw
from tests.tracking.test_rounds import _open

API = "/api/v1"
JSON = "application/json"


def writer(user: Any) -> Client:
    _token, key = tokens.issue(user, "t", scopes=("read", "write"), days=1, acting_user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def rows(action: str) -> list[tuple[str, str, str, int | None, Any]]:
    return [
        (e.action, e.actor_repr, e.object_type, e.organisation_id, e.data)
        for e in AuditEntry.objects.filter(action=action).order_by("pk")
    ]


# -- communities ------------------------------------------------------------------------------------


def test_a_community_made_and_changed_by_the_api_is_the_page_s(world: SimpleNamespace) -> None:
    page = client_for(world.member)
    form = {"name": "ชุมชนจากหน้าเว็บ", "kind": "cop", "purpose": "", "charter": "", "visibility": "organisation",
            "status": "active", "strategic_issue": "", "kpi": "", "needed_knowledge": ""}  # fmt: skip
    assert page.post(reverse("communities:new", args=[world.a.code]), form).status_code == 302
    by_page = Community.objects.get(name="ชุมชนจากหน้าเว็บ")
    edited = page.post(
        reverse("communities:edit", args=[by_page.pk]), form | {"name": "แก้บนหน้าเว็บ", "version": "1"}
    )
    assert edited.status_code == 302

    api = writer(world.member.user)
    made = api.post(
        f"{API}/communities/", {"organisation": "org-a", "name": "ชุมชนจาก API"}, content_type=JSON
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert made["ETag"] == '"1"' and made.json()["version"] == 1
    assert Member.objects.get(community_id=pk).role == "facilitator"  # as the page: one facilitates it
    assert api.get(f"{API}/communities/{pk}")["ETag"] == '"1"'
    stale = api.put(f"{API}/communities/{pk}", {"name": "ของเก่า"}, content_type=JSON, HTTP_IF_MATCH='"0"')
    assert stale.status_code == 409 and stale.json()["current_revision"] == 1
    assert Community.objects.get(pk=pk).name == "ชุมชนจาก API"
    changed = api.put(
        f"{API}/communities/{pk}", {"name": "แก้บนหน้าเว็บ"}, content_type=JSON, HTTP_IF_MATCH='"1"'
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["name"] == "แก้บนหน้าเว็บ" and changed["ETag"] == '"2"'
    for action in ("community.create", "community.edit"):
        by_page_row, by_api_row = rows(action)
        assert by_page_row[:4] == by_api_row[:4] == (action, "member", "communities.community", world.a.pk)
    assert rows("community.edit")[1][4] == {"fields": ["name"]}
    # The form's rules: a bad kind is 400 naming the field; no version is 400; public is for admins.
    bad = api.put(f"{API}/communities/{pk}", {"kind": "nonsense", "version": 2}, content_type=JSON)
    assert bad.status_code == 400 and bad.json()["field"] == "kind"
    assert api.put(f"{API}/communities/{pk}", {"name": "x"}, content_type=JSON).status_code == 400
    public = api.put(f"{API}/communities/{pk}", {"visibility": "public", "version": 2}, content_type=JSON)
    assert public.status_code == 403
    # Another organisation does not see it; a member who does not facilitate it may not change it.
    assert (
        writer(world.outsider.user)
        .put(f"{API}/communities/{pk}", {"name": "x", "version": 2}, content_type=JSON)
        .status_code
        == 404
    )
    assert writer(world.owner.user).get(f"{API}/communities/{pk}").status_code == 200
    other = Community.objects.create(organisation=world.a, name="ชุมชนของคนอื่น")
    assert (
        api.put(f"{API}/communities/{other.pk}", {"name": "x", "version": 1}, content_type=JSON).status_code
        == 403
    )
    # Leaving and joining again.
    assert api.delete(f"{API}/communities/{other.pk}/membership").status_code == 200
    assert api.post(f"{API}/communities/{other.pk}/membership").json()["state"] in ("member", "requested")


def test_sessions_attendance_and_sign_off_through_the_api(world: SimpleNamespace) -> None:
    community = Community.objects.create(organisation=world.a, name="ชุมชนการอ่าน")
    Member.objects.create(community=community, person=world.member, role="facilitator")
    Member.objects.create(community=community, person=world.owner, role="practitioner")
    api = writer(world.member.user)
    base = f"{API}/communities/{community.pk}/sessions"
    bad = api.post(base, {"title": "วงเล่าเรื่อง", "day": "31/2/2569", "start": "15:30", "end": "16:30"},
                   content_type=JSON)  # fmt: skip
    assert bad.status_code == 400 and bad.json()["field"] == "day"
    backwards = api.post(base, {"title": "วงเล่าเรื่อง", "day": "2026-03-02", "start": "16:30", "end": "15:30"},
                         content_type=JSON)  # fmt: skip
    assert backwards.status_code == 400 and backwards.json()["field"] == "end"
    made = api.post(base, {"title": "วงเล่าเรื่อง", "day": "2/3/2569", "start": "15.30", "end": "16:30",
                           "rule": "weekly", "until": "2026-03-16"}, content_type=JSON)  # fmt: skip
    assert made.status_code == 201, made.content
    sessions = made.json()
    assert len(sessions) == 3 and sessions[0]["starts_at"] == "2026-03-02T08:30:00Z"  # 15.30 in Bangkok
    assert rows("community.schedule")[0][4] == {"title": "วงเล่าเรื่อง", "sessions": 3, "rule": "weekly"}
    first = Session.objects.get(pk=sessions[0]["id"])

    # A change with If-Match; a stale one is 409.
    changed = api.put(f"{API}/sessions/{first.pk}", {"place": "ห้องสมุด", "scope": "following"},
                      content_type=JSON, HTTP_IF_MATCH=f'"{first.version}"')  # fmt: skip
    assert changed.status_code == 200, changed.content
    assert set(Session.objects.filter(community=community).values_list("place", flat=True)) == {"ห้องสมุด"}
    stale = api.put(f"{API}/sessions/{first.pk}", {"place": "ห้องประชุม", "version": first.version},
                    content_type=JSON)  # fmt: skip
    assert stale.status_code == 409
    assert Session.objects.get(pk=first.pk).place == "ห้องสมุด"

    # Attendance: the same action (and audit row) as the session page's list.
    page = client_for(world.member)
    second = Session.objects.get(pk=sessions[1]["id"])
    assert page.post(reverse("communities:attendance", args=[second.pk]),
                     {"present": [str(world.owner.pk)], "guests": "แขก หนึ่ง"}).status_code == 302  # fmt: skip
    marked = api.put(f"{API}/sessions/{first.pk}/attendance",
                     {"present": [world.owner.pk, world.outsider.pk], "guests": ["ครูรับเชิญ"]}, content_type=JSON)  # fmt: skip
    assert marked.status_code == 200, marked.content
    assert marked.json() == {
        "session": first.pk,
        "count": 2,
        "present": [world.owner.pk],
        "guests": ["ครูรับเชิญ"],
    }
    by_page_row, by_api_row = rows("community.attendance")
    assert (
        by_page_row[:4]
        == by_api_row[:4]
        == ("community.attendance", "member", "communities.session", world.a.pk)
    )
    assert by_api_row[4] == {"present": [world.owner.pk], "count": 2}
    assert Attendance.objects.filter(session=first).count() == 2
    reader = make_person("reader", "ใจ", "ดี", org=world.a)
    Member.objects.create(community=community, person=reader, role="practitioner")
    assert (
        writer(reader.user)
        .put(f"{API}/sessions/{first.pk}/attendance", {"present": []}, content_type=JSON)
        .status_code
        == 403
    )  # only facilitators
    assert writer(world.outsider.user).get(f"{API}/sessions/{first.pk}/attendance").status_code == 404

    # The record is signed off by the head (the organisation's administrator), not its writer.
    record_url = f"{API}/sessions/{first.pk}/record"
    assert api.get(record_url).status_code == 404  # not written yet
    wrote = api.put(record_url, {"topic": "การสอนอ่าน", "minutes": "วาระที่หนึ่ง\n\nวาระที่สอง"}, content_type=JSON,
                    HTTP_IF_MATCH='"0"')  # fmt: skip
    assert wrote.status_code == 200, wrote.content
    assert wrote.json()["version"] == 1 and wrote.json()["minutes"].count("<p>") == 2
    stale = api.put(record_url, {"topic": "ของเก่า", "version": 0}, content_type=JSON)
    assert stale.status_code == 409 and SessionRecord.objects.get(session=first).topic == "การสอนอ่าน"
    assert (
        writer(reader.user).put(record_url, {"topic": "x", "version": 1}, content_type=JSON).status_code
        == 403
    )
    assert [r[:4] for r in rows("community.record")] == [("community.record", "member", "communities.session",
                                                          world.a.pk)]  # fmt: skip
    assert api.post(f"{API}/sessions/{first.pk}/record/sign").status_code == 403
    assert writer(world.supervisor.user).post(f"{API}/sessions/{first.pk}/record/sign").status_code == 403
    assert writer(world.outsider.user).post(f"{API}/sessions/{first.pk}/record/sign").status_code == 404
    owner = writer(world.owner.user)
    refused = owner.post(f"{API}/sessions/{first.pk}/record/sign")  # the owner attended it
    assert refused.status_code == 403
    Attendance.objects.filter(session=first, person=world.owner).delete()
    signed = owner.post(f"{API}/sessions/{first.pk}/record/sign")
    assert signed.status_code == 200, signed.content
    assert (
        signed.json()["signed"] is True and SessionRecord.objects.get(session=first).signed_by == world.owner
    )
    assert rows("community.record_sign")[0][:4] == ("community.record_sign", "owner", "communities.session",
                                                    world.a.pk)  # fmt: skip
    closed = api.put(f"{API}/sessions/{first.pk}/attendance", {"present": []}, content_type=JSON)
    assert closed.status_code == 400  # a signed record's attendance stays
    assert (
        api.put(record_url, {"topic": "x", "version": 1}, content_type=JSON).status_code == 400
    )  # and its text
    assert owner.post(f"{API}/sessions/{first.pk}/record/nonsense").status_code == 404
    # Cancelling.
    cancelled = api.post(f"{API}/sessions/{sessions[2]['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"


# -- monitoring ------------------------------------------------------------------------------------


def test_evidence_through_the_api_is_the_page_s(tw: SimpleNamespace) -> None:
    _open(tw)
    entry = Entry.objects.get(activity=tw.act1)
    item = knowledge_actions.create_item(
        tw.a, acting_user=tw.teacher.user, title="บันทึกการสอนอ่าน", body="<p>ก</p>"
    )
    # The page.
    page_url = reverse("tracking:entry_action", args=[tw.a.code, 2569, 6, entry.pk])
    assert (
        client_for(tw.teacher).post(page_url, {"op": "link", "url": "https://example.go.th/a"}).status_code
        == 302
    )
    # The API.
    api = writer(tw.teacher.user)
    base = f"{API}/rounds/{tw.a.code}/2569/6/entries/{entry.pk}/evidence"
    linked = api.post(base, {"url": "https://example.go.th/b", "note": "ภาพกิจกรรม"}, content_type=JSON)
    assert linked.status_code == 201, linked.content
    assert linked.json()["kind"] == "link" and linked.json()["name"] == "ภาพกิจกรรม"
    by_item = api.post(base, {"item": item.pk}, content_type=JSON)
    assert by_item.status_code == 201 and by_item.json()["name"] == "บันทึกการสอนอ่าน"
    bad = api.post(base, {"url": "ftp://example"}, content_type=JSON)
    assert bad.status_code == 400 and bad.json()["field"] == "url"
    assert api.post(base, {"item": 999999}, content_type=JSON).status_code == 400
    upload = api.post(base + "/files", {"file": SimpleUploadedFile("ผล.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
                                        "note": "รายงาน"})  # fmt: skip
    assert upload.status_code == 201, upload.content
    assert upload.json()["kind"] == "file" and upload.json()["size"] > 0
    page_row, *api_rows = rows("tracking.evidence")
    assert len(api_rows) == 3
    assert {r[:4] for r in [page_row, *api_rows]} == {
        ("tracking.evidence", "teacher7", "tracking.round", tw.a.pk)
    }
    listed = api.get(base).json()
    assert [e["kind"] for e in listed] == ["link", "link", "item", "file"]
    gone = api.delete(f"{base}/{listed[1]['uid']}")
    assert gone.status_code == 204 and Evidence.objects.filter(entry=entry).count() == 3
    assert rows("tracking.evidence_removed")[0][:4] == ("tracking.evidence_removed", "teacher7", "tracking.round",
                                                        tw.a.pk)  # fmt: skip
    # Someone not responsible for the activity may not; another organisation does not see it.
    other = Entry.objects.get(activity=tw.act2)
    assert api.post(f"{API}/rounds/{tw.a.code}/2569/6/entries/{other.pk}/evidence", {"url": "https://x.go.th"},
                    content_type=JSON).status_code == 403  # fmt: skip
    assert writer(tw.outsider.user).get(base).status_code == 404


# -- plan editing ------------------------------------------------------------------------------------


def test_form_2_activities_through_the_api_are_the_page_s(pw: SimpleNamespace) -> None:
    # The page saves the table of activities once.
    page = client_for(pw.lead)
    data = form_data(page, url(pw.plan, "sheet", page="action-plan"), "activities")
    assert page.post(url(pw.plan, "table", key="activities"), data).status_code == 302
    plan = Plan.objects.get(pk=pw.plan.pk)
    api = writer(pw.lead.user)
    base = f"{API}/plans/{pw.a.code}/2569/activities"
    listed = api.get(base)
    assert listed.status_code == 200 and listed["ETag"] == f'"{plan.version}"'
    assert [a["name"] for a in listed.json()["activities"]] == [pw.act1.name, pw.act2.name]
    assert listed.json()["activities"][0]["budget"] == 12500.0 and listed.json()["editable"] is True

    changed = api.put(f"{base}/{pw.act1.pk}", {"target": "5 เรื่อง", "budget": "๑๕,๐๐๐", "end": "31/3/2569"},
                      content_type=JSON, HTTP_IF_MATCH=f'"{plan.version}"')  # fmt: skip
    assert changed.status_code == 200, changed.content
    act = Activity.objects.get(pk=pw.act1.pk)
    assert (act.target, str(act.budget), act.end, act.name) == ("5 เรื่อง", "15000.00", dt.date(2026, 3, 31),
                                                                 pw.act1.name)  # fmt: skip
    assert changed["ETag"] == f'"{plan.version + 1}"'
    page_row, api_row = rows("plan.edit")
    assert (
        page_row
        == api_row
        == ("plan.edit", "kmlead", "planning.plan", pw.a.pk, {"table": "activities", "op": ""})
    )
    stale = api.put(f"{base}/{pw.act1.pk}", {"target": "6 เรื่อง"}, content_type=JSON,
                    HTTP_IF_MATCH=f'"{plan.version}"')  # fmt: skip
    assert stale.status_code == 409 and stale.json()["current_revision"] == plan.version + 1
    bad = api.put(
        f"{base}/{pw.act1.pk}", {"start": "1/4/2569", "version": plan.version + 1}, content_type=JSON
    )
    assert bad.status_code == 400 and bad.json()["field"] == "end"
    added = api.post(base, {"name": "อบรมครูใหม่", "step_key": "km:3", "responsible_units": ["org-a"],
                            "version": plan.version + 1}, content_type=JSON)  # fmt: skip
    assert added.status_code == 201, added.content
    new = Activity.objects.get(plan=plan, name="อบรมครูใหม่")
    assert (new.process, new.step, new.order) == ("km", 3, 2) and list(new.responsible_units.all()) == [pw.a]
    assert new.start == dt.date(2025, 10, 1)  # the fiscal year, as the page's new row
    assert api.post(base, {"name": "x", "responsible_units": ["org-b"], "version": plan.version + 2},
                    content_type=JSON).status_code == 400  # fmt: skip

    # Only the KM team; another organisation does not see the plan; the plan's texts too.
    assert writer(pw.member.user).put(f"{base}/{pw.act1.pk}", {"target": "x", "version": plan.version + 2},
                                      content_type=JSON).status_code == 403  # fmt: skip
    assert writer(pw.outsider.user).get(base).status_code == 404
    texts = api.put(f"{API}/plans/{pw.a.code}/2569/texts", {"focus_area": "การอ่าน"}, content_type=JSON,
                    HTTP_IF_MATCH=f'"{plan.version + 2}"')  # fmt: skip
    assert texts.status_code == 200, texts.content
    assert texts.json()["focus_area"] == "การอ่าน" and Plan.objects.get(pk=plan.pk).focus_area == "การอ่าน"

    # A plan sent for approval is no longer edited: 409 with the reason.
    Plan.objects.filter(pk=plan.pk).update(state=Plan.State.SUBMITTED)
    refused = api.put(f"{base}/{pw.act1.pk}", {"target": "x", "version": plan.version + 3}, content_type=JSON)
    assert refused.status_code == 409
    assert (
        str(Plan.State.SUBMITTED.label) in refused.json()["detail"]
        or "cannot be changed" in refused.json()["detail"]
        or "แก้ไขไม่ได้" in refused.json()["detail"]
    )
    assert Activity.objects.get(pk=pw.act1.pk).target == "5 เรื่อง"


# -- the rate limit ----------------------------------------------------------------------------------


def test_too_many_calls_say_when_to_try_again(world: SimpleNamespace, settings: Any) -> None:
    cache.clear()
    settings.PLATU_API_RATE = "2/m"
    client = writer(world.member.user)
    answers = [client.get(f"{API}/orgs/") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert 1 <= int(answers[2]["Retry-After"]) <= 60
    assert answers[2].json()["detail"]
    cache.clear()
    schema = platu_api.get_openapi_schema()
    for operations in schema["paths"].values():
        for operation in operations.values():
            answer = operation["responses"].get(429) or operation["responses"]["429"]
            assert "Retry-After" in answer["headers"]


def test_the_document_lists_the_writes(db: Any) -> None:
    paths = platu_api.get_openapi_schema()["paths"]
    for path, method in (
        ("/api/v1/communities/", "post"),
        ("/api/v1/communities/{pk}", "put"),
        ("/api/v1/communities/{pk}/sessions", "post"),
        ("/api/v1/sessions/{pk}", "put"),
        ("/api/v1/sessions/{pk}/attendance", "put"),
        ("/api/v1/sessions/{pk}/record/{op}", "post"),
        ("/api/v1/sessions/{pk}/record", "put"),
        ("/api/v1/rounds/{code}/{year}/{months}/entries/{pk}/evidence", "post"),
        ("/api/v1/rounds/{code}/{year}/{months}/entries/{pk}/evidence/files", "post"),
        ("/api/v1/plans/{code}/{year}/activities/{pk}", "put"),
        ("/api/v1/plans/{code}/{year}/texts", "put"),
    ):
        assert method in paths[path], path
    assert timezone.now()  # the document is built without a request


# -- surveys' results through the API keep small groups hidden ----------------------------------------


def test_survey_results_hide_small_groups_as_the_page(world: SimpleNamespace) -> None:
    from tests.surveys.test_surveys import _answer_all, make_survey

    w = world
    w.c = Organisation.objects.create(code="org-c", kind="school", name_th="โรงเรียนบ้านซี", parent=w.parent)
    w.lonely = make_person("lonely", "ครูคนเดียว", "ทดสอบ", org=w.c)
    teachers = [make_person(f"teacher{i}", f"ครู{i}", "ทดสอบ", org=w.a) for i in range(4)]
    survey = make_survey(w)
    survey_actions.open_survey(survey, acting_user=w.supervisor.user)
    _answer_all(survey, [w.lonely])
    api = writer(w.supervisor.user)
    hidden = api.get(f"{API}/surveys/{survey.pk}/results").json()
    assert hidden["responses"] == 1 and hidden["shown"] is False and hidden["sections"] == []
    _answer_all(survey, [w.owner, w.member, *teachers])
    shown = api.get(f"{API}/surveys/{survey.pk}/results").json()
    assert shown["responses"] == 7 and shown["shown"] is True and shown["sections"]
    by_org = {o["organisation"]: o for o in shown["by_organisation"]}
    assert by_org["org-a"]["shown"] and by_org["org-a"]["mean"] is not None
    assert by_org["org-c"] == {
        "organisation": "org-c",
        "responses": 1,
        "invited": 1,
        "shown": False,
        "mean": None,
    }
    assert writer(w.outsider.user).get(f"{API}/surveys/{survey.pk}/results").status_code == 404
    assert writer(w.member.user).get(f"{API}/surveys/{survey.pk}/results").status_code in (403, 404)
